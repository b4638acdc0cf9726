// The preview server compresses off the event loop: the first request for a large file must not
// hold up every other request while it is compressed (a 12 MB file once blocked all for 27 s).
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync } from "node:zlib";
import { standIn, startServer } from "../../scripts/serve.mjs";

// About 8 MB of seeded pseudo-random words: compressible, but not trivially (brotli 11 takes
// about 15 s on it, the quality 5 the server uses for large files about a second).
function words(bytes) {
  let seed = 42;
  const random = () => {
    let t = (seed = (seed + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const letters = () => Array.from({ length: 2 + Math.floor(random() * 8) }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join("");
  const vocabulary = Array.from({ length: 2000 }, letters);
  const parts = [];
  for (let length = 0; length < bytes; ) {
    const word = vocabulary[Math.floor(random() * vocabulary.length)] + (random() < 0.08 ? ".\n" : " ");
    parts.push(word);
    length += word.length;
  }
  return Buffer.from(parts.join(""));
}

const dir = await mkdtemp(join(tmpdir(), "broadsheet-serve-"));
const big = words(8 << 20);
const small = Buffer.from("A small file.\n");
await writeFile(join(dir, "big.txt"), big);
await writeFile(join(dir, "small.txt"), small);
after(() => rm(dir, { recursive: true, force: true }));

// Each test its own server, so none finds the other's compression cached.
async function serve(t) {
  const server = await startServer({ dir, port: 0, compress: true });
  t.after(() => new Promise((done) => server.close(done)));
  return server.address().port;
}

// The raw answer (node:http does not decode it), on a connection of its own.
function get(port, path, encoding = "br") {
  return new Promise((ok, fail) => {
    const req = request({ port, host: "127.0.0.1", path, agent: false, headers: { "Accept-Encoding": encoding } }, (res) => {
      const chunks = [];
      res.on("data", (chunk) => chunks.push(chunk));
      res.on("end", () => ok({ status: res.statusCode, encoding: res.headers["content-encoding"], body: Buffer.concat(chunks) }));
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

test("a small file is answered while a large one is still being compressed", async (t) => {
  const port = await serve(t);
  const finished = [];
  const bigAnswer = get(port, "/big.txt").then((answer) => (finished.push("big"), answer));
  // By the time an uncompressed big.txt is back, the server has read the file for the first
  // request too and is compressing it (asked sooner, small.txt could slip in during that read).
  const plain = await get(port, "/big.txt", "identity");
  assert.equal(plain.encoding, undefined);
  assert.ok(plain.body.equals(big));
  const smallAnswer = get(port, "/small.txt").then((answer) => (finished.push("small"), answer));
  const [large, little] = await Promise.all([bigAnswer, smallAnswer]);
  assert.deepEqual(finished, ["small", "big"]);
  assert.equal(little.status, 200);
  assert.equal(brotliDecompressSync(little.body).toString(), small.toString());
  assert.equal(large.status, 200);
  assert.equal(large.encoding, "br");
  assert.ok(large.body.length < big.length / 2, "the large file is compressed");
  assert.ok(brotliDecompressSync(large.body).equals(big));
});

test("concurrent requests for one large file get the same correct answer", async (t) => {
  const port = await serve(t);
  const [first, second] = await Promise.all([get(port, "/big.txt"), get(port, "/big.txt")]);
  assert.equal(first.encoding, "br");
  assert.ok(first.body.equals(second.body));
  assert.ok(brotliDecompressSync(first.body).equals(big));
});

test("the site's origin in its policy is read as this server's, and nothing else is", () => {
  const csp = "script-src https://news.example/assets/ 'wasm-unsafe-eval'; connect-src 'self' https://news.example.cdn.net https://news.example;";
  assert.equal(
    standIn(csp, "https://news.example", "http://127.0.0.1:8080"),
    "script-src http://127.0.0.1:8080/assets/ 'wasm-unsafe-eval'; connect-src 'self' https://news.example.cdn.net http://127.0.0.1:8080;",
  );
  assert.equal(standIn("script-src https://[::1]:8443/paper/assets/", "https://[::1]:8443", "http://localhost:1"), "script-src http://localhost:1/paper/assets/");
});
