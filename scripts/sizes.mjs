// Sizes of the built app's code and styles: raw, gzip -9 and brotli -11, as a markdown table.
//   node scripts/sizes.mjs [dir=dist/assets]
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync, brotliCompressSync, constants } from "node:zlib";

const dir = process.argv[2] ?? "dist/assets";
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const rows = [];
const totals = {};
for (const name of readdirSync(dir).sort()) {
  const kind = name.endsWith(".wasm") ? "wasm" : name.endsWith(".js") ? "js" : name.endsWith(".css") ? "css" : null;
  if (!kind) continue;
  const data = readFileSync(`${dir}/${name}`);
  const gz = gzipSync(data, { level: 9 }).length;
  const br = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  const t = (totals[kind] ??= [0, 0, 0]);
  t[0] += data.length; t[1] += gz; t[2] += br;
  if (kind !== "css") rows.push(`| ${name.replace(/-[0-9a-f]{8,16}/, "")} | ${kb(data.length)} | ${kb(gz)} | ${kb(br)} |`);
}
if (totals.css) rows.push(`| all CSS (${readdirSync(dir).filter((n) => n.endsWith(".css")).length} files) | ${totals.css.map(kb).join(" | ")} |`);
console.log("| file | raw | gzip | brotli |\n|---|---|---|---|\n" + rows.join("\n"));
