import { describe, expect, it } from "vitest";
import { compileSchedule, InvalidScheduleExpression } from "./cron.ts";

describe("schedule expressions", () => {
  it("fires a daily Tokyo cron at 03:00 Tokyo, which is 18:00 UTC the day before", () => {
    const next = compileSchedule("cron(0 3 * * ? *)", "Asia/Tokyo");
    expect(next(new Date("2026-11-28T00:00:00Z"))?.toISOString()).toBe("2026-11-28T18:00:00.000Z");
    expect(next(new Date("2026-11-28T18:00:00Z"))?.toISOString()).toBe("2026-11-29T18:00:00.000Z");
  });

  it("honours day-of-week names and ranges (MON-FRI at 09:30)", () => {
    const next = compileSchedule("cron(30 9 ? * MON-FRI *)", "UTC");
    // 2026-11-28 is a Saturday: the next weekday is Monday 30 November.
    expect(next(new Date("2026-11-28T12:00:00Z"))?.toISOString()).toBe("2026-11-30T09:30:00.000Z");
  });

  it("honours steps, lists and months (every 15 minutes in April and October)", () => {
    const next = compileSchedule("cron(0/15 * * APR,OCT ? *)", "UTC");
    expect(next(new Date("2026-11-28T12:00:00Z"))?.toISOString()).toBe("2027-04-01T00:00:00.000Z");
    expect(next(new Date("2027-04-01T00:00:00Z"))?.toISOString()).toBe("2027-04-01T00:15:00.000Z");
  });

  it("fires the first day of the fiscal year (1 April, Tokyo)", () => {
    const next = compileSchedule("cron(0 0 1 4 ? *)", "Asia/Tokyo");
    expect(next(new Date("2026-11-28T00:00:00Z"))?.toISOString()).toBe("2027-03-31T15:00:00.000Z");
  });

  it("adds the rate to the last run", () => {
    expect(compileSchedule("rate(5 minutes)", "UTC")(new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-01T00:05:00.000Z",
    );
    expect(compileSchedule("rate(1 day)", "UTC")(new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-02T00:00:00.000Z",
    );
  });

  it.each([
    "cron(0 3 * * * *)",
    "cron(0 3 * *)",
    "cron(61 3 * * ? *)",
    "cron(0 3 L * ? *)",
    "rate(0 minutes)",
    "every day",
  ])("refuses %s", (expression) => {
    expect(() => compileSchedule(expression, "UTC")).toThrow(InvalidScheduleExpression);
  });
});
