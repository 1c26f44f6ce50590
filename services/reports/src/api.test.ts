import { describe, expect, it } from "vitest";
import { ReportRequestBody } from "./api.ts";

const pathsOf = (body: unknown) => {
  const parsed = ReportRequestBody.safeParse(body);
  return parsed.success ? [] : [...new Set(parsed.error.issues.map((issue) => issue.path.join(".")))];
};

describe("asking for a report", () => {
  it("names a broken date at its own field, without judging the period it cannot read", () => {
    expect(pathsOf({ kind: "progress", from: "2000-@02-29", to: "2026-11-30" })).toEqual(["from"]);
    expect(pathsOf({ kind: "progress", from: "2026-11-01", to: "2026-02-30" })).toEqual(["to"]);
    expect(pathsOf({ kind: "progress", from: "0000-01-01", to: "0000-01-01" })).toEqual(["from", "to"]);
  });

  it("refuses a period that ends before it starts, or longer than five fiscal years, at `to`", () => {
    expect(pathsOf({ kind: "progress", from: "2026-11-30", to: "2026-11-01" })).toEqual(["to"]);
    expect(pathsOf({ kind: "progress", from: "2016-04-01", to: "2026-03-31" })).toEqual(["to"]);
    expect(pathsOf({ kind: "progress", from: "2026-04-01", to: "2026-11-30" })).toEqual([]);
  });
});
