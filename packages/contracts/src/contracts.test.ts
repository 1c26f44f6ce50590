import { describe, expect, it } from "vitest";
import { ALL_CONTRACTS } from "./catalogue.ts";
import { VisitCompleted } from "./events.ts";
import { BilingualText, CountryCode, IsoDate, Money, PartnerId } from "./values.ts";

describe("shared value types", () => {
  it("accepts real calendar dates only", () => {
    expect(IsoDate.safeParse("2024-02-29").success).toBe(true);
    expect(IsoDate.safeParse("2026-02-29").success).toBe(false);
    expect(IsoDate.safeParse("2026-13-01").success).toBe(false);
    expect(IsoDate.safeParse("2026-1-01").success).toBe(false);
  });

  it("keeps money in integer minor units with a known currency", () => {
    expect(Money.safeParse({ amountMinor: 14_000_000, currency: "JPY" }).success).toBe(true);
    expect(Money.safeParse({ amountMinor: 10.5, currency: "JPY" }).success).toBe(false);
    expect(Money.safeParse({ amountMinor: 100, currency: "XXX" }).success).toBe(false);
  });

  it("takes slugs as partner ids, ISO alpha-2 country codes and both languages", () => {
    expect(PartnerId.safeParse("new-south-wales").success).toBe(true);
    expect(PartnerId.safeParse("New York").success).toBe(false);
    expect(PartnerId.safeParse("-paris").success).toBe(false);
    expect(CountryCode.safeParse("JP").success).toBe(true);
    expect(CountryCode.safeParse("JPN").success).toBe(false);
    expect(BilingualText.safeParse({ ja: "東京", en: "" }).success).toBe(false);
  });
});

describe("event contracts", () => {
  it("are uniquely named by source and versioned detail-type", () => {
    const names = ALL_CONTRACTS.map((c) => `${c.source}/${c.detailType}`);
    expect(new Set(names).size).toBe(names.length);
    for (const contract of ALL_CONTRACTS) expect(contract.detailType).toMatch(/^[A-Z][A-Za-z]+\.v\d+$/);
  });

  it("define VisitCompleted.v1 exactly as the registry consumes it", () => {
    const detail = {
      visitId: "v-1",
      direction: "outbound",
      partnerIds: ["london", "paris"],
      leaderLevel: "head",
      startDate: "2015-10-12",
      endDate: "2015-10-16",
      metadata: { eventId: "outbox-1", correlationId: "req-1", occurredAt: "2015-10-16T09:00:00+09:00" },
    };
    expect(VisitCompleted.detail.parse(detail)).toEqual(detail);
    const wrong = VisitCompleted.detail.safeParse({ ...detail, direction: "sideways", partnerIds: [] });
    expect(wrong.success).toBe(false);
    expect(wrong.error?.issues.map((i) => i.path.join("."))).toEqual(["direction", "partnerIds"]);
  });
});
