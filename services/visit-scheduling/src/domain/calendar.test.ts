import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { DEFAULT_PRODUCT_ID, escapeText, foldLine, visitSummary, visitsToICalendar } from "./calendar.ts";
import type { Visit, VisitStatus } from "./model.ts";

const visit = (overrides: Partial<Visit> = {}): Visit => ({
  id: "0d6f7a52-8b1e-4c3e-9f4a-2a1b3c4d5e6f",
  direction: "outbound",
  partnerIds: ["london", "paris"],
  delegationHead: {
    name: { en: "Yuriko Koike", ja: "小池百合子" },
    title: { en: "Governor", ja: "知事" },
    level: "head",
  },
  purpose: "relationship-building",
  purposeStatement: {
    en: "Renew the policy-cooperation MOU with London",
    ja: "ロンドンとの政策協力覚書を更新する",
  },
  priority: 1,
  startDate: "2026-06-01",
  endDate: "2026-06-05",
  itinerary: [
    { date: "2026-06-02", place: "City Hall, London", activity: "Signing of the MOU", counterpart: "Mayor of London" },
    { date: "2026-06-01", time: "18:00", place: "Heathrow", activity: "Arrival" },
  ],
  members: [{ id: "m-1", name: { en: "Taro Yamada", ja: "山田太郎" }, role: "Secretary" }],
  costEstimate: { breakdown: [{ item: "Air fares", amountYen: 9_000_000 }], quotes: [], totalYen: 9_000_000 },
  actualCostYen: null,
  conferenceId: null,
  status: "confirmed",
  cancellationReason: null,
  governorEngagement: true,
  version: 4,
  createdAt: "2026-04-01T09:15:00+09:00",
  updatedAt: "2026-05-20T18:30:05.123+09:00",
  ...overrides,
});

const OPTIONS = {
  now: new Date("2026-05-21T08:00:00+09:00"),
  uidDomain: "visits.city-diplomacy.metro.tokyo.lg.jp",
  calendarName: "知事の海外訪問, 来訪 / Governor's visits; Tokyo",
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevents = calendar.getAllSubcomponents("vevent");
  return { calendar, vevents, events: vevents.map((vevent) => new ICAL.Event(vevent)) };
}

/** The physical lines, without their CRLF terminators. */
const physicalLines = (text: string) => text.slice(0, -2).split("\r\n");
const octets = (text: string) => new TextEncoder().encode(text).length;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("the iCalendar feed", () => {
  it("is a published Gregorian VERSION 2.0 calendar with its name and the Tokyo time zone", () => {
    const text = visitsToICalendar([visit()], OPTIONS);
    const { calendar } = parse(text);
    expect(calendar.name).toBe("vcalendar");
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("prodid")).toBe(DEFAULT_PRODUCT_ID);
    expect(calendar.getFirstPropertyValue("calscale")).toBe("GREGORIAN");
    expect(calendar.getFirstPropertyValue("method")).toBe("PUBLISH");
    // An X- property is TEXT by default (RFC 5545 3.8.8.2), so it is escaped; ical.js does not know it and hands
    // back the escaped value, which is still one property.
    expect(calendar.getFirstPropertyValue("x-wr-calname")).toBe("知事の海外訪問\\, 来訪 / Governor's visits\\; Tokyo");
    expect(text).toContain("\r\nX-WR-CALNAME:知事の海外訪問\\, 来訪 / Governor's visits\\; Tokyo\r\n");
    expect(calendar.getFirstPropertyValue("x-wr-timezone")).toBe("Asia/Tokyo");
    expect(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")).toBe(true);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });

  it("takes the product id when given", () => {
    const text = visitsToICalendar([], { ...OPTIONS, productId: "-//Example//Test, Feed//EN" });
    expect(parse(text).calendar.getFirstPropertyValue("prodid")).toBe("-//Example//Test, Feed//EN");
  });

  it("is a valid calendar without events when there are no visits", () => {
    const { calendar, vevents } = parse(visitsToICalendar([], OPTIONS));
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(vevents).toEqual([]);
  });

  it("has one event per visit, in start-date order", () => {
    const visits = [
      visit({ id: "b-later", startDate: "2026-09-01", endDate: "2026-09-03", itinerary: [] }),
      visit({ id: "a-earlier", startDate: "2026-06-01", endDate: "2026-06-05" }),
    ];
    const { events } = parse(visitsToICalendar(visits, OPTIONS));
    expect(events.map((event) => event.uid)).toEqual([
      `a-earlier@${OPTIONS.uidDomain}`,
      `b-later@${OPTIONS.uidDomain}`,
    ]);
  });

  it("makes all-day events whose exclusive end is the day after the last day", () => {
    const text = visitsToICalendar([visit({ startDate: "2027-03-29", endDate: "2027-03-31" })], OPTIONS);
    const [event] = parse(text).events;
    expect(event?.startDate.isDate).toBe(true);
    expect(event?.startDate.toString()).toBe("2027-03-29");
    expect(event?.endDate.isDate).toBe(true);
    expect(event?.endDate.toString()).toBe("2027-04-01");
    expect(text).toContain("\r\nDTSTART;VALUE=DATE:20270329\r\n");
    expect(text).toContain("\r\nDTEND;VALUE=DATE:20270401\r\n");
  });

  it("ends a one-day visit on the next day, across a year end", () => {
    const [event] = parse(
      visitsToICalendar([visit({ startDate: "2026-12-31", endDate: "2026-12-31" })], OPTIONS),
    ).events;
    expect(event?.startDate.toString()).toBe("2026-12-31");
    expect(event?.endDate.toString()).toBe("2027-01-01");
  });

  it("identifies and versions each event: UID, SEQUENCE = version - 1, UTC DTSTAMP, CREATED and LAST-MODIFIED", () => {
    const text = visitsToICalendar([visit({ version: 4 })], OPTIONS);
    const { vevents, events } = parse(text);
    expect(events[0]?.uid).toBe(`0d6f7a52-8b1e-4c3e-9f4a-2a1b3c4d5e6f@${OPTIONS.uidDomain}`);
    expect(events[0]?.sequence).toBe(3);
    expect(text).toContain("\r\nDTSTAMP:20260520T230000Z\r\n");
    expect(text).toContain("\r\nCREATED:20260401T001500Z\r\n");
    expect(text).toContain("\r\nLAST-MODIFIED:20260520T093005Z\r\n");
    expect(String(vevents[0]?.getFirstPropertyValue("dtstamp"))).toBe("2026-05-20T23:00:00Z");
  });

  it("starts a first version at SEQUENCE 0", () => {
    expect(parse(visitsToICalendar([visit({ version: 1 })], OPTIONS)).events[0]?.sequence).toBe(0);
  });

  it.each([
    ["proposed", "TENTATIVE"],
    ["approved", "TENTATIVE"],
    ["confirmed", "CONFIRMED"],
    ["completed", "CONFIRMED"],
    ["cancelled", "CANCELLED"],
  ] as [VisitStatus, string][])("shows a %s visit as %s", (status, expected) => {
    const { vevents } = parse(visitsToICalendar([visit({ status })], OPTIONS));
    expect(vevents[0]?.getFirstPropertyValue("status")).toBe(expected);
  });

  it("files the event under the visit's purpose", () => {
    const { vevents } = parse(visitsToICalendar([visit({ purpose: "international-conference" })], OPTIONS));
    expect(vevents[0]?.getFirstPropertyValue("categories")).toBe("international-conference");
  });

  it("sums up an outbound visit in both languages, naming the partners", () => {
    const [event] = parse(visitsToICalendar([visit()], OPTIONS)).events;
    expect(event?.summary).toBe("Governor's visit to London, Paris / 知事の海外訪問");
  });

  it("sums up an inbound visit as a visit to Tokyo", () => {
    const head = {
      name: { en: "Anne Hidalgo", ja: "アンヌ・イダルゴ" },
      title: { en: "Mayor of Paris", ja: "パリ市長" },
      level: "head" as const,
    };
    expect(visitSummary({ direction: "inbound", partnerIds: ["paris"], delegationHead: head })).toBe(
      "Mayor of Paris's visit to Tokyo from Paris / パリ市長の東京訪問",
    );
    expect(visitSummary({ direction: "outbound", partnerIds: ["new-south-wales"], delegationHead: head })).toBe(
      "Mayor of Paris's visit to New South Wales / パリ市長の海外訪問",
    );
  });

  it("describes purpose in both languages, head, status and the itinerary in time order, but no members", () => {
    const [event] = parse(visitsToICalendar([visit()], OPTIONS)).events;
    expect(event?.description).toBe(
      [
        "Relationship building / 関係強化",
        "Renew the policy-cooperation MOU with London",
        "ロンドンとの政策協力覚書を更新する",
        "",
        "Head of delegation / 団長: Yuriko Koike (Governor) / 小池百合子（知事）",
        "Status / 状態: Confirmed / 確定",
        "",
        "Itinerary / 日程:",
        "2026-06-01 18:00 Heathrow: Arrival",
        "2026-06-02 City Hall, London: Signing of the MOU (Mayor of London)",
      ].join("\n"),
    );
    const text = visitsToICalendar([visit()], OPTIONS);
    expect(text).not.toContain("Taro Yamada");
    expect(text).not.toContain("山田");
  });

  it("leaves the itinerary heading out when there is no itinerary", () => {
    const [event] = parse(visitsToICalendar([visit({ itinerary: [] })], OPTIONS)).events;
    expect(event?.description).not.toContain("Itinerary");
    expect(event?.description.endsWith("Status / 状態: Confirmed / 確定")).toBe(true);
  });
});

describe("RFC 5545 text", () => {
  const tricky = visit({
    partnerIds: ["sao-paulo", "new-south-wales", "jakarta"],
    delegationHead: {
      name: { en: "Governor, Tokyo; \\ backslash", ja: "東京都知事、；＼" },
      title: { en: "Governor; of, Tokyo", ja: "東京都知事" },
      level: "head",
    },
    purposeStatement: {
      en: `Line one, with commas; semicolons \\ and a backslash\nLine two\r\nLine three: ${"a long sentence ".repeat(12)}`,
      ja: `都市外交の基本戦略に基づき、姉妹友好都市との関係を強化する。${"東京２０２０大会の成功に向けて協力する。".repeat(6)}🗼🎌`,
    },
  });

  it("survives a round trip through an independent parser: Japanese, commas, semicolons, backslashes, newlines", () => {
    const [event] = parse(visitsToICalendar([tricky], OPTIONS)).events;
    expect(event?.summary).toBe(
      "Governor; of, Tokyo's visit to Sao Paulo, New South Wales, Jakarta / 東京都知事の海外訪問",
    );
    expect(event?.description).toContain(`${tricky.purposeStatement.en.replace("\r\n", "\n")}\n`);
    expect(event?.description).toContain(`${tricky.purposeStatement.ja}\n`);
    expect(event?.description).toContain(
      "Governor, Tokyo; \\ backslash (Governor; of, Tokyo) / 東京都知事、；＼（東京都知事）",
    );
  });

  it("ends every line with CRLF and has no bare CR or LF", () => {
    const text = visitsToICalendar([tricky, visit({ id: "other" })], OPTIONS);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("folds long lines to at most 75 octets, continuations starting with a space, never splitting a character", () => {
    const text = visitsToICalendar([tricky], OPTIONS);
    const lines = physicalLines(text);
    const continuations = lines.filter((line) => line.startsWith(" "));
    expect(continuations.length).toBeGreaterThan(5);
    for (const line of lines) {
      expect(octets(line)).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(LONE_SURROGATE);
    }
    // Unfolding (RFC 5545 3.1: remove CRLF followed by one space) gives back whole content lines.
    const unfolded = text.replaceAll("\r\n ", "");
    expect(unfolded).toContain("🗼🎌");
    expect(unfolded).toContain(
      "\r\nSUMMARY:Governor\\; of\\, Tokyo's visit to Sao Paulo\\, New South Wales\\, Jakarta / ",
    );
  });

  it("escapes backslash, semicolon, comma and line breaks in TEXT, and drops other control characters", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf\rg")).toBe("a\\\\b\\;c\\,d\\ne\\nf\\ng");
    expect(escapeText("tab\tbell\u0007del\u007F")).toBe("tab\tbelldel");
    expect(escapeText("東京、パリ")).toBe("東京、パリ");
  });

  it("leaves a line of 75 octets alone and folds one of 76", () => {
    expect(foldLine("X".repeat(75))).toBe("X".repeat(75));
    expect(foldLine("X".repeat(76))).toBe(`${"X".repeat(75)}\r\n X`);
  });

  it("breaks before a three-octet character that would cross the limit", () => {
    // "SUMMARY:" is 8 octets; 22 kana make 74, the 23rd would make 77.
    const folded = foldLine(`SUMMARY:${"あ".repeat(60)}`).split("\r\n");
    expect(folded.map(octets)).toEqual([74, 73, 43]);
    expect(folded[0]).toBe(`SUMMARY:${"あ".repeat(22)}`);
    expect(folded[1]).toBe(` ${"あ".repeat(24)}`);
    expect(folded.join("").replaceAll(" ", "")).toBe(`SUMMARY:${"あ".repeat(60)}`);
  });

  it("keeps a four-octet character (a surrogate pair in JavaScript) whole", () => {
    const folded = foldLine(`X:${"a".repeat(72)}🗼b`).split("\r\n");
    expect(folded).toEqual([`X:${"a".repeat(72)}`, " 🗼b"]);
  });

  it("keeps an escape sequence on one line", () => {
    const folded = foldLine(`X:${"a".repeat(72)}\\,b`).split("\r\n");
    expect(folded).toEqual([`X:${"a".repeat(72)}`, " \\,b"]);
  });
});
