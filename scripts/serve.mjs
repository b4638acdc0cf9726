// A static file server for a built site, with the fallback a CDN uses for a client-side app:
// a path without a file extension that is not a file gets index.html; a missing file (a
// missing article's JSON, say) is a real 404. No dependencies.
//
//   node scripts/serve.mjs [dir=dist] [port=8080] [host=127.0.0.1] [prefix=/]
// With a prefix (`/paper/`) the site is served under that path, as a publisher deploying
// under a path would (set <base href="/paper/"> in its index.html); anything else is a 404.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

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

/// Options: `compress` answers with brotli or gzip (by Accept-Encoding), as a CDN does.
export function startServer({ dir = "dist", port = 8080, host = "127.0.0.1", prefix = "/", compress = false } = {}) {
  const root = resolve(dir);
  const packed = new Map();
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
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
      if (!info && extname(path) === "") {
        target = join(root, "index.html");
        info = await stat(target).catch(() => null);
      }
      if (!info) {
        res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
        return;
      }
      let body = await readFile(target);
      const type = TYPES[extname(target)] ?? "application/octet-stream";
      const cache = target.endsWith(".html") || target.endsWith(".json") ? "no-cache" : "public, max-age=3600";
      const headers = { "Content-Type": type, "Cache-Control": cache };
      const accepts = String(req.headers["accept-encoding"] ?? "");
      const encoding = !compress || !COMPRESSIBLE.has(extname(target)) ? null : /\bbr\b/.test(accepts) ? "br" : /\bgzip\b/.test(accepts) ? "gzip" : null;
      if (encoding) {
        const key = `${encoding}:${target}:${info.mtimeMs}`;
        if (!packed.has(key)) {
          packed.set(key, encoding === "br"
            ? brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } })
            : gzipSync(body, { level: 9 }));
        }
        body = packed.get(key);
        headers["Content-Encoding"] = encoding;
        headers["Vary"] = "Accept-Encoding";
      }
      res.writeHead(200, headers);
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
  const [dir = "dist", port = "8080", host = "127.0.0.1", prefix = "/"] = process.argv.slice(2);
  const server = await startServer({ dir, port: Number(port), host, prefix, compress: true });
  const { port: actual } = server.address();
  console.log(`Broadsheet: serving ${dir}/ on http://${host}:${actual}${prefix} (Ctrl+C stops)`);
}
