import { describe, expect, it } from "vitest";
import { englishPeriod, japanesePeriod, renderVisitNotice } from "./notice-email.ts";

const visit = {
  visitId: "v-1",
  direction: "outbound" as const,
  partnerIds: ["london", "paris"],
  delegationHead: {
    name: { ja: "山田花子", en: "Hanako Yamada" },
    title: { ja: "東京都知事", en: "Governor of Tokyo" },
    level: "head" as const,
  },
  purpose: "relationship-building" as const,
  purposeStatement: { ja: "姉妹友好都市との関係強化 <重要>", en: "Strengthening sister-city ties <important>" },
  startDate: "2027-01-30",
  endDate: "2027-02-02",
  metadata: { eventId: "e-1", correlationId: "c-1", occurredAt: "2026-11-28T00:00:00.000Z" },
};
const partnerNames = [
  { ja: "ロンドン", en: "London" },
  { ja: "パリ", en: "Paris" },
];

describe("visit notices", () => {
  it("write dates the way each language does", () => {
    expect(englishPeriod("2027-01-10", "2027-01-13")).toBe("10–13 January 2027");
    expect(englishPeriod("2027-01-30", "2027-02-02")).toBe("30 January – 2 February 2027");
    expect(englishPeriod("2026-12-30", "2027-01-02")).toBe("30 December 2026 – 2 January 2027");
    expect(englishPeriod("2027-01-10", "2027-01-10")).toBe("10 January 2027");
    expect(japanesePeriod("2027-01-10", "2027-01-13")).toBe("2027年1月10日〜13日");
    expect(japanesePeriod("2027-01-30", "2027-02-02")).toBe("2027年1月30日〜2月2日");
    expect(japanesePeriod("2026-12-30", "2027-01-02")).toBe("2026年12月30日〜2027年1月2日");
  });

  it("put the contact's preferred language first and carry dates, head and purpose in both", () => {
    for (const preferredLanguage of ["ja", "en"] as const) {
      const email = renderVisitNotice({
        kind: "visit-confirmed",
        visit,
        partnerName: partnerNames[0] as { ja: string; en: string },
        partnerNames,
        contact: { name: { ja: "スミス", en: "Ms Smith" }, preferredLanguage },
      });
      const jaAt = email.text.indexOf("訪問日程確定のお知らせ");
      const enAt = email.text.indexOf("Visit confirmed");
      expect(jaAt).toBeGreaterThanOrEqual(0);
      expect(enAt).toBeGreaterThanOrEqual(0);
      expect(preferredLanguage === "ja" ? jaAt < enAt : enAt < jaAt).toBe(true);
      for (const expected of [
        "2027年1月30日〜2月2日",
        "30 January – 2 February 2027",
        "Governor of Tokyo Hanako Yamada",
        "東京都知事 山田花子",
        "Strengthening sister-city ties <important>",
        "姉妹友好都市との関係強化 <重要>",
        "London, Paris",
        "ロンドン・パリ",
      ]) {
        expect(email.text).toContain(expected);
      }
      expect(
        email.subject.startsWith(preferredLanguage === "ja" ? "[Tokyo] 訪問日程確定" : "[Tokyo] Visit confirmed"),
      ).toBe(true);
      expect(email.html).toContain(`<html lang="${preferredLanguage}">`);
      expect(email.html).toContain('<section lang="ja">');
      expect(email.html).toContain("&lt;important&gt;");
      expect(email.html).not.toContain("<important>");
    }
  });

  it("say a visit is cancelled, with its reason", () => {
    const email = renderVisitNotice({
      kind: "visit-cancelled",
      visit: { ...visit, direction: "inbound", reason: "Typhoon warning" },
      partnerName: { ja: "ソウル", en: "Seoul" },
      partnerNames: [{ ja: "ソウル", en: "Seoul" }],
      contact: { name: { ja: "キム", en: "Mr Kim" }, preferredLanguage: "en" },
    });
    expect(email.subject).toContain("Visit cancelled");
    expect(email.text).toContain("the delegation of Seoul to Tokyo has been cancelled");
    expect(email.text).toContain("Reason: Typhoon warning");
    expect(email.text).toContain("訪問中止のお知らせ");
  });
});
