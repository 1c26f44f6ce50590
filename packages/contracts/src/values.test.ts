import { describe, expect, it } from "vitest";
import { IsoDate, IsoDateTime, PlannedDate, PlannedInstant } from "./values.ts";

describe("planned dates and instants", () => {
  it("take exactly fiscal years 2000–2099, where any date stays an IsoDate", () => {
    expect(PlannedDate.safeParse("2000-03-31").success).toBe(false);
    expect(PlannedDate.safeParse("2000-04-01").success).toBe(true);
    expect(PlannedDate.safeParse("2100-03-31").success).toBe(true);
    expect(PlannedDate.safeParse("2100-04-01").success).toBe(false);
    expect(PlannedDate.safeParse("2027-02-30").success).toBe(false);
    expect(IsoDate.safeParse("1960-02-29").success).toBe(true);
  });

  it("read an instant's Tokyo date, at any offset", () => {
    expect(PlannedInstant.safeParse("2000-03-31T14:59:59.999Z").success).toBe(false);
    expect(PlannedInstant.safeParse("2000-03-31T15:00:00Z").success).toBe(true);
    expect(PlannedInstant.safeParse("2100-03-31T23:59:59+09:00").success).toBe(true);
    expect(PlannedInstant.safeParse("2100-03-31T10:00:00-05:00").success).toBe(false);
    expect(PlannedInstant.safeParse("9999-12-31T23:00:00Z").success).toBe(false);
    expect(PlannedInstant.safeParse("0000-01-01T00:00:00-23:59").success).toBe(false);
    expect(IsoDateTime.safeParse("1950-01-01T00:00:00Z").success).toBe(true);
  });
});
