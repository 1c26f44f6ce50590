// Subsets Noto Sans JP (OFL) at build time to what Japanese public documents use: ASCII and Latin-1, the
// punctuation and symbols of JIS X 0208, hiragana, katakana, full-width forms, and the 6,355 kanji of JIS
// levels 1 and 2. The full font is 5.5 MB; the subset is what the report function ships, and the PDF writer
// subsets it again to the glyphs each report uses. Run by `.ci/bootstrap.mjs` (npm start, npm test); skipped
// when the subset is already newer than this script.
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import subsetFont from "subset-font";

const root = fileURLToPath(new URL("..", import.meta.url));
export const SUBSET_PATH = join(root, "dist", "fonts", "NotoSansJP-Regular-JIS.ttf");

function isFresh() {
  try {
    return statSync(SUBSET_PATH).mtimeMs > statSync(fileURLToPath(import.meta.url)).mtimeMs;
  } catch {
    return false;
  }
}

/** Every character Shift_JIS (JIS X 0208) can encode, decoded from its two-byte codes, plus Latin-1. */
function jisCharacters() {
  const decoder = new TextDecoder("shift_jis", { fatal: true });
  const characters = new Set();
  for (let code = 0x20; code <= 0xff; code++) characters.add(String.fromCodePoint(code));
  const leads = [...range(0x81, 0x9f), ...range(0xe0, 0xef)];
  const trails = [...range(0x40, 0x7e), ...range(0x80, 0xfc)];
  for (const lead of leads) {
    for (const trail of trails) {
      try {
        characters.add(decoder.decode(Uint8Array.of(lead, trail)));
      } catch {
        // not an assigned code
      }
    }
  }
  // Characters the platform writes that JIS X 0208 lacks: the yen sign's full-width form, dashes, quotes.
  for (const extra of "￥〜–—‘’“”…・①②③④⑤") characters.add(extra);
  return [...characters].join("");
}

function* range(from, to) {
  for (let value = from; value <= to; value++) yield value;
}

if (!isFresh()) {
  const started = Date.now();
  const require = createRequire(import.meta.url);
  const source = require.resolve("@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf");
  const full = readFileSync(source);
  const characters = jisCharacters();
  const subset = await subsetFont(full, characters, { targetFormat: "truetype" });
  mkdirSync(dirname(SUBSET_PATH), { recursive: true });
  writeFileSync(SUBSET_PATH, subset);
  console.log(
    `Japanese font subset: ${[...characters].length} characters, ${(full.length / 1e6).toFixed(1)} MB → ${(subset.length / 1e6).toFixed(2)} MB (${Date.now() - started} ms)`,
  );
}
