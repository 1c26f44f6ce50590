import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Hospitality } from "./hospitality.ts";
import {
  CSV_HEADER,
  CSV_TOTAL_LABEL,
  escapeFormula,
  type HospitalityList,
  hospitalityListOf,
  toPublicCsv,
  toPublicJson,
} from "./hospitality-list.ts";
import { aHospitality, readCsv as readBack } from "./record-builders.ts";

const text = (ja: string, en: string) => ({ ja, en });

/** Records of every kind the list must sort out, across March 2027. */
function march(): Hospitality[] {
  return [
    aHospitality({ date: "2027-03-10", costYen: 300_000, costLines: [{ item: "catering", yen: 300_000 }] }, "h-b"),
    aHospitality({ date: "2027-03-02", costYen: 120_000, costLines: [{ item: "venue", yen: 120_000 }] }, "h-c"),
    aHospitality({ date: "2027-03-10", costYen: 50_000, costLines: [{ item: "gifts", yen: 50_000 }] }, "h-a"),
    aHospitality({ date: "2027-03-31", costYen: 7, costLines: [{ item: "other", yen: 7 }] }, "h-last"),
    aHospitality({ date: "2027-04-01", kind: "luncheon" }, "h-april"),
    aHospitality({ date: "2027-02-28", kind: "luncheon" }, "h-february"),
    aHospitality({ date: "2027-03-05", host: "vice-governor" }, "h-vice"),
    aHospitality({ date: "2027-03-06", host: "other" }, "h-other"),
    { ...aHospitality({ date: "2027-03-07" }, "h-cancelled"), status: "cancelled" },
  ];
}

describe("hospitalityListOf", () => {
  it("lists the governor's recorded hospitality of the month, by date then id, with the total", () => {
    const list = hospitalityListOf(march(), "2027-03");

    expect(list.rows.map((row) => row.hospitalityId)).toEqual(["h-c", "h-a", "h-b", "h-last"]);
    expect(list.totalYen).toBe(470_007);
    expect(list.count).toBe(4);
    expect(list.month).toBe("2027-03");
  });

  it("gives each row the date, the occasion, the counterpart's public name and the amount", () => {
    const record = aHospitality();

    expect(hospitalityListOf([record], "2027-03").rows).toEqual([
      {
        hospitalityId: "h-1",
        date: "2027-03-10",
        occasion: record.occasion,
        counterpart: record.counterpart.name,
        amountYen: 1_250_000,
      },
    ]);
  });

  it("gives an empty month no rows and a total of 0", () => {
    expect(hospitalityListOf(march(), "2027-05")).toEqual({ month: "2027-05", rows: [], totalYen: 0, count: 0 });
  });

  it.each(["2027-3", "2027-13", "2027-00", "March"])("refuses %s as a month", (month) => {
    expect(() => hospitalityListOf([], month)).toThrow(RangeError);
  });

  it("totals the rows, whatever the records", () => {
    const amount = fc.integer({ min: 0, max: 100_000_000 });
    const day = fc.integer({ min: 1, max: 31 }).map((d) => `2027-03-${String(d).padStart(2, "0")}`);
    const host = fc.constantFrom("governor" as const, "vice-governor" as const, "other" as const);
    const records = fc.array(fc.tuple(amount, day, host, fc.boolean()), { maxLength: 40 }).map((specs) =>
      specs.map(([yen, date, by, cancelled], n): Hospitality => {
        const record = aHospitality({ date, host: by, costYen: yen, costLines: [{ item: "other", yen }] }, `h-${n}`);
        return cancelled ? { ...record, status: "cancelled" } : record;
      }),
    );
    fc.assert(
      fc.property(records, (all) => {
        const listed = all.filter((r) => r.host === "governor" && r.status === "recorded");
        const json = toPublicJson(hospitalityListOf(all, "2027-03"));
        expect(json.totalYen).toBe(listed.reduce((total, r) => total + r.costYen, 0));
        expect(json.totalYen).toBe(json.rows.reduce((total, row) => total + row.amountYen, 0));
        expect(json.count).toBe(listed.length);
      }),
    );
  });
});

describe("toPublicJson", () => {
  it("publishes month, rows of date, occasion, counterpart and amount, the total and the count: nothing else", () => {
    const json = toPublicJson(hospitalityListOf(march(), "2027-03"));

    expect(Object.keys(json)).toEqual(["month", "rows", "totalYen", "count"]);
    for (const row of json.rows) expect(Object.keys(row)).toEqual(["date", "occasion", "counterpart", "amountYen"]);
    expect(json.rows[0]).toEqual({
      date: "2027-03-02",
      occasion: aHospitality().occasion,
      counterpart: aHospitality().counterpart.name,
      amountYen: 120_000,
    });
  });

  it("names no guest, venue, cost line, mission or internal id", () => {
    const published = JSON.stringify(toPublicJson(hospitalityListOf([aHospitality()], "2027-03")));

    for (const hidden of ["Jean Dupont", "ジャン・デュポン", "Ambassador", "Government Building", "interpretation"]) {
      expect(published).not.toContain(hidden);
    }
    expect(published).not.toContain("embassy-of-france");
    expect(published).not.toContain("h-1");
  });
});

describe("toPublicCsv", () => {
  it("reads back as the header, a row per hospitality with ja and en in columns of their own, and the total", () => {
    const record = aHospitality();

    expect(readBack(toPublicCsv(hospitalityListOf([record], "2027-03")))).toEqual([
      [...CSV_HEADER],
      [
        "2027-03-10",
        record.occasion.ja,
        record.occasion.en,
        record.counterpart.name.ja,
        record.counterpart.name.en,
        "1250000",
      ],
      [CSV_TOTAL_LABEL, "", "", "", "", "1250000"],
    ]);
  });

  it("starts with one byte order mark, encodes as UTF-8 and ends every record with CRLF", () => {
    const csv = toPublicCsv(hospitalityListOf(march(), "2027-03"));
    const bytes = Buffer.from(csv, "utf8");

    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.indexOf("\uFEFF", 1)).toBe(-1);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(csv.split("\r\n")).toHaveLength(1 + 4 + 1 + 1);
    expect(csv.replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("gives headers in Japanese, then English", () => {
    const header = headerRow();
    expect(header[0]).toBe("年月日 / Date");
    expect(header[5]).toBe("金額（円） / Amount (yen)");
    for (const cell of header) expect(cell).toMatch(/^[^A-Za-z]+ \/ [A-Za-z]/);
  });

  it("writes amounts as plain integers: no separator, no quotes", () => {
    const record = aHospitality({ costYen: 12_345_678, costLines: [{ item: "catering", yen: 12_345_678 }] });
    const csv = toPublicCsv(hospitalityListOf([record], "2027-03"));

    expect(csv).toContain(",12345678\r\n");
    expect(csv).not.toContain("12,345,678");
  });

  it("quotes a field with a comma, a quote or a line break, and doubles its quotes", () => {
    const record = aHospitality({
      occasion: text('歓迎会、"特別"', 'Dinner, "gala"\r\nsecond line'),
      counterpart: { name: text("大使館\n一行", "Plain") },
    });
    const csv = toPublicCsv(hospitalityListOf([record], "2027-03"));

    expect(csv).toContain(',"Dinner, ""gala""\r\nsecond line",');
    expect(csv).toContain(',"大使館\n一行",Plain,');
    expect(readBack(csv)[1]?.slice(1, 5)).toEqual([
      '歓迎会、"特別"',
      'Dinner, "gala"\r\nsecond line',
      "大使館\n一行",
      "Plain",
    ]);
  });

  it.each([
    ["=", '=HYPERLINK("http://evil.example","x")'],
    ["+", "+cmd|' /C calc'!A0"],
    ["-", "-2+3"],
    ["@", "@SUM(1+1)"],
    ["a tab", "\tindented"],
    ["a carriage return", "\rreturned"],
    ["a full-width =", "＝1+1"],
  ])("escapes a text cell beginning with %s by a leading '", (_case, hostile) => {
    const record = aHospitality({ occasion: text(hostile, hostile), counterpart: { name: text(hostile, "safe") } });

    const row = readBack(toPublicCsv(hospitalityListOf([record], "2027-03")))[1];

    expect(row?.slice(1, 5)).toEqual([`'${hostile}`, `'${hostile}`, `'${hostile}`, "safe"]);
  });

  it("leaves text beginning with anything else as it is", () => {
    for (const safe of ["Dinner", "夕食会", " =spaced", "'quoted", "1+1", "a=b"])
      expect(escapeFormula(safe)).toBe(safe);
  });

  it("reads back any text it is given, escaped only where it could start a formula", () => {
    // The characters CSV and spreadsheets treat specially, often, and any other text too.
    const special = fc.constantFrom('"', ",", "\r", "\n", "\r\n", "=", "+", "-", "@", "\t", "'", " ", "a", "日", "＝");
    const cellText = fc.oneof(
      fc.string({ unit: special, maxLength: 12 }),
      fc.string({ unit: "grapheme", maxLength: 30 }),
    );
    const row = fc.record({ ja: cellText, en: cellText, cja: cellText, cen: cellText, yen: fc.nat() });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), (rows) => {
        const list: HospitalityList = {
          month: "2027-03",
          rows: rows.map((r, n) => ({
            hospitalityId: `h-${n}`,
            date: "2027-03-01",
            occasion: text(r.ja, r.en),
            counterpart: text(r.cja, r.cen),
            amountYen: r.yen,
          })),
          totalYen: rows.reduce((total, r) => total + r.yen, 0),
          count: rows.length,
        };
        const expected = rows.map((r) =>
          ["2027-03-01", r.ja, r.en, r.cja, r.cen].map(escapeFormula).concat(String(r.yen)),
        );
        const records = readBack(toPublicCsv(list));
        expect(records.slice(1, -1)).toEqual(expected);
        expect(records.at(-1)).toEqual([CSV_TOTAL_LABEL, "", "", "", "", String(list.totalYen)]);
      }),
    );
  });
});

function headerRow(): string[] {
  return readBack(toPublicCsv(hospitalityListOf([], "2027-03")))[0] ?? [];
}
