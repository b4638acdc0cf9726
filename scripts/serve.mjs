// A static file server for a built site, answering the way a static host (Netlify,
// Cloudflare Pages, the nginx block press writes) does:
// - `/news/x` is served from `news/x.html` (press's pre-rendered pages), a folder from its
//   index.html;
// - an unknown path gets 404.html with status 404 when the site has one (a press build),
//   otherwise index.html (the bare app, which routes on the client); a missing file with an
//   extension (a missing article's JSON, say) is a plain 404;
// - the site's `_headers` file (Content-Security-Policy, caching) is applied, standing in for
//   the site's own origin: press names it on the file's first line, and the policy's
//   `script-src https://site/assets/` then reads as this server's `assets/`.
// No dependencies.
//
//   node scripts/serve.mjs [dir=dist] [port=8080] [host=127.0.0.1] [prefix=/] [engage=URL]
// With a prefix (`/paper/`) the site is served under that path, as a publisher deploying
// under a path would (press --url https://host/paper/); anything else is a 404.
// With `engage` (the engagement service's address, e.g. http://127.0.0.1:8787), requests
// under `/engage/` go to that service, as the reverse proxy of a same-origin deployment
// routes them (the client's address in X-Forwarded-For).
import { createServer, request as forward } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
};

const COMPRESSIBLE = new Set([".html", ".js", ".mjs", ".wasm", ".css", ".json", ".svg", ".txt", ".xml"]);

// Best compression only up to 1 MiB, as CDNs do: brotli 11 takes about 2 s a MB, so a large
// file's first answer would wait many seconds to come out under a tenth smaller than at 5.
function pack(encoding, body) {
  const small = body.length <= 1 << 20;
  return encoding === "br"
    ? brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: small ? 11 : 5, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : gzipped(body, { level: small ? 9 : 6 });
}

/// Options: `compress` answers with brotli or gzip (by Accept-Encoding), as a CDN does.
/// The rules of a `_headers` file: [{ pattern: RegExp, headers: [[name, value]] }].
export function readHeaderRules(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) {
      const source = line.trim().split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
      rules.push({ pattern: new RegExp(`^${source}$`), headers: [] });
    } else if (rules.length) {
      const at = line.indexOf(":");
      if (at > 0) rules.at(-1).headers.push([line.slice(0, at).trim(), line.slice(at + 1).trim()]);
    }
  }
  return rules;
}

/// A header value with every source that is on `origin` (the origin itself, or a URL under it)
/// moved to `here`; anything else, such as a longer host that starts the same, is kept.
export function standIn(value, origin, here) {
  return value
    .split(" ")
    .map((part) => {
      const end = part.replace(/;$/, "");
      return end === origin || end.startsWith(`${origin}/`) ? here + part.slice(origin.length) : part;
    })
    .join(" ");
}

/// Passes one request on to the engagement service at `target` and its answer back.
function proxy(req, res, target, path) {
  const to = new URL(path, target);
  const headers = { ...req.headers, host: to.host, "x-forwarded-for": req.socket.remoteAddress ?? "" };
  const upstream = forward(to, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
    res.end("The engagement service is not answering");
  });
  req.pipe(upstream);
}

export function startServer({ dir = "dist", port = 8080, host = "127.0.0.1", prefix = "/", compress = false, engage = null } = {}) {
  const root = resolve(dir);
  const packed = new Map();
  let rules = null;
  let siteOrigin = null;
  const headerRules = async () => {
    if (rules === null) {
      const text = await readFile(join(root, "_headers"), "utf8").catch(() => "");
      rules = readHeaderRules(text);
      const named = /^# Written by press for (\S+):/.exec(text)?.[1];
      siteOrigin = URL.canParse(named ?? "") ? new URL(named).origin : null;
    }
    return rules;
  };
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      const service = `${prefix}engage/`;
      if (engage && url.pathname.startsWith(service)) {
        proxy(req, res, engage, "/" + req.url.slice(service.length));
        return;
      }
      if (!url.pathname.startsWith(prefix)) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
        return;
      }
      const path = "/" + decodeURIComponent(url.pathname.slice(prefix.length));
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) {
        res.writeHead(403).end("Forbidden");
        return;
      }
      let target = file;
      let info = await stat(target).catch(() => null);
      if (info?.isDirectory()) {
        target = join(target, "index.html");
        info = await stat(target).catch(() => null);
      }
      let status = 200;
      if (!info && extname(path) === "" && path !== "/") {
        target = file.replace(/\/+$/, "") + ".html";
        info = await stat(target).catch(() => null);
      }
      if (!info && extname(path) === "") {
        target = join(root, "404.html");
        info = await stat(target).catch(() => null);
        if (info) {
          status = 404;
        } else {
          target = join(root, "index.html");
          info = await stat(target).catch(() => null);
        }
      }
      if (!info || info.isDirectory()) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
        return;
      }
      let body = await readFile(target);
      const type = TYPES[extname(target)] ?? "application/octet-stream";
      const cache = target.endsWith(".html") || target.endsWith(".json") ? "no-cache" : "public, max-age=3600";
      const headers = { "Content-Type": type, "Cache-Control": cache };
      const here = /^[\w.:[\]-]+$/.test(req.headers.host ?? "") ? `http://${req.headers.host}` : null;
      for (const rule of await headerRules()) {
        if (rule.pattern.test(url.pathname)) {
          for (const [name, value] of rule.headers) headers[name] = siteOrigin && here ? standIn(value, siteOrigin, here) : value;
        }
      }
      const accepts = String(req.headers["accept-encoding"] ?? "");
      const encoding = !compress || !COMPRESSIBLE.has(extname(target)) ? null : /\bbr\b/.test(accepts) ? "br" : /\bgzip\b/.test(accepts) ? "gzip" : null;
      if (encoding) {
        const key = `${encoding}:${target}:${info.mtimeMs}`;
        // The promise is cached, so concurrent requests share one compression (off the event
        // loop); a failed one is dropped so the next request tries again.
        if (!packed.has(key)) {
          const packing = pack(encoding, body);
          packed.set(key, packing);
          packing.catch(() => packed.delete(key));
        }
        body = await packed.get(key);
        headers["Content-Encoding"] = encoding;
        headers["Vary"] = "Accept-Encoding";
      }
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String(err));
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, host, () => ok(server));
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [dir = "dist", port = "8080", host = "127.0.0.1", prefix = "/", engage = null] = process.argv.slice(2);
  const server = await startServer({ dir, port: Number(port), host, prefix, compress: true, engage });
  const { port: actual } = server.address();
  console.log(`Broadsheet: serving ${dir}/ on http://${host}:${actual}${prefix} (Ctrl+C stops)`);
}
