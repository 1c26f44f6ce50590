import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The Japanese font every format uses: Noto Sans JP Regular, subset at build time to JIS X 0208
 * (`scripts/subset-font.mjs`). The report function finds it beside its bundle (`REPORT_FONT_PATH`, set by
 * the CDK app); from source it is the build's output in `dist/fonts`.
 */
export const REPORT_FONT_ENV = "REPORT_FONT_PATH";
export const REPORT_FONT_FAMILY = "Noto Sans JP";

export function japaneseFontPath(): string {
  return (
    process.env[REPORT_FONT_ENV] ??
    fileURLToPath(new URL("../../dist/fonts/NotoSansJP-Regular-JIS.ttf", import.meta.url))
  );
}

let cached: Buffer | undefined;

/** The font's bytes, read once per container. */
export function japaneseFont(): Buffer {
  if (!cached) {
    try {
      cached = readFileSync(japaneseFontPath());
    } catch (error) {
      throw new Error(
        `The report font is missing at ${japaneseFontPath()}: build it with \`pnpm --filter @cdp/reports fonts\``,
        { cause: error },
      );
    }
  }
  return cached;
}
