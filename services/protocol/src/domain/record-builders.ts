import { addDays, type PartnerContact, tokyoDate } from "@cdp/contracts";
import type { PendingEvent } from "@cdp/lambda-kit/decision";
import { decisionOf, publishedAt, refusalOf, sequentialIds } from "./decision-builders.ts";
import { type Declaration, declareReceipt, type Gift, type GiftInput, registerGift } from "./gifts.ts";
import { type Hospitality, type HospitalityInput, recordHospitality } from "./hospitality.ts";
import { nationalDayIn } from "./missions.ts";
import { approveGreeting, draftGreeting, type Greeting, type GreetingMission, releaseDue } from "./national-days.ts";
import type { Stamp } from "./stamp.ts";

export { decisionOf, refusalOf, sequentialIds };

/**
 * Fixtures for the tests of hospitality, the gift register and national-day greetings. Records are made
 * through the decide functions themselves, so a fixture is always a state the domain can reach. Pure: no I/O,
 * no test runner.
 */

/** 10:00 in Tokyo on 2027-03-15. */
export const NOW = "2027-03-15T01:00:00.000Z";

/** A stamp at a fixed instant: `today` is Tokyo's date then, unless given. */
export function stampAt(at: string | Date = NOW, options: { newId?: () => string; today?: string } = {}): Stamp {
  const now = typeof at === "string" ? new Date(at) : at;
  return { now, today: options.today ?? tokyoDate(now), newId: options.newId ?? sequentialIds() };
}

/** A stamp at 10:00 in Tokyo on `date`. */
export const stampOn = (date: string, newId?: () => string): Stamp =>
  stampAt(`${date}T01:00:00.000Z`, newId ? { newId } : {});

/** An event as the outbox will write it: parsed by its contract (an error if it does not match). */
export const published = (pending: PendingEvent | undefined, occurredAt: string = NOW) =>
  publishedAt(pending, occurredAt);

/**
 * RFC 4180, read strictly: records end in CRLF, a quoted field may hold anything with its quotes doubled, an
 * unquoted one neither a quote nor a line break. Written here because no CSV reader is a dependency of this
 * service; it throws on anything the RFC does not allow, so a sloppy writer fails the tests.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let at = 0;
  while (at < text.length) {
    let field = "";
    if (text[at] === '"') {
      at++;
      for (;;) {
        const quote = text.indexOf('"', at);
        if (quote < 0) throw new Error("unterminated quoted field");
        field += text.slice(at, quote);
        at = quote + 1;
        if (text[at] !== '"') break;
        field += '"';
        at++;
      }
    } else {
      const end = text.slice(at).search(/[,\r\n]/);
      field = end < 0 ? text.slice(at) : text.slice(at, at + end);
      if (field.includes('"')) throw new Error(`a quote in an unquoted field: ${field}`);
      at += field.length;
    }
    record.push(field);
    if (text[at] === ",") {
      at++;
    } else if (text.startsWith("\r\n", at)) {
      records.push(record);
      record = [];
      at += 2;
    } else {
      throw new Error(`expected , or CRLF at ${at}`);
    }
  }
  if (record.length > 0) throw new Error("the last record does not end in CRLF");
  return records;
}

/** The CSV as published, read back: it must begin with a byte order mark. */
export const readCsv = (csv: string): string[][] => {
  if (!csv.startsWith("\uFEFF")) throw new Error("no byte order mark");
  return parseCsv(csv.slice(1));
};

// ─── hospitality ─────────────────────────────────────────────────────────────────────────────────────────────

export function aHospitalityInput(overrides: Partial<HospitalityInput> = {}): HospitalityInput {
  return {
    date: "2027-03-10",
    kind: "dinner",
    occasion: { ja: "フランス共和国大統領の公式訪問", en: "Official visit of the President of France" },
    host: "governor",
    counterpart: {
      name: { ja: "フランス共和国大統領一行", en: "The delegation of the President of France" },
      missionId: "embassy-of-france",
      partnerIds: ["paris"],
    },
    guestCount: 24,
    principalGuests: [
      { name: { ja: "ジャン・デュポン", en: "Jean Dupont" }, title: { ja: "駐日フランス大使", en: "Ambassador" } },
    ],
    venue: { ja: "東京都庁第一本庁舎", en: "Tokyo Metropolitan Government Building No. 1" },
    costYen: 1_250_000,
    costLines: [
      { item: "catering", yen: 960_000 },
      { item: "venue", yen: 120_000 },
      { item: "interpretation", yen: 170_000 },
    ],
    ...overrides,
  };
}

/** A recorded hospitality (id `h-1` unless given), made by `recordHospitality`. */
export function aHospitality(overrides: Partial<HospitalityInput> = {}, id = "h-1"): Hospitality {
  return decisionOf(recordHospitality(aHospitalityInput(overrides), stampAt(NOW, { newId: () => id }))).state;
}

// ─── gifts ───────────────────────────────────────────────────────────────────────────────────────────────────

/** A private giver whose name and affiliation appear nowhere else, so a leak can be searched for. */
export const PRIVATE_GIVER = {
  kind: "person",
  name: "Matsudaira Kiyohime",
  affiliation: "Kiyohime Lacquer Atelier",
} as const;

export function aGiftInput(overrides: Partial<GiftInput> = {}): GiftInput {
  return {
    direction: "received",
    counterpart: { kind: "mission", missionId: "embassy-of-france" },
    counterpartLabel: { ja: "駐日フランス大使館", en: "Embassy of France in Japan" },
    occasion: { ja: "大統領の公式訪問", en: "The President's official visit" },
    date: "2027-03-01",
    description: { ja: "セーヴル焼の花瓶", en: "A Sèvres porcelain vase" },
    estimatedValueYen: 80_000,
    custodian: "Protocol Office",
    disposition: "on-display",
    ...overrides,
  };
}

/** A registered gift (id `g-1` unless given), registered on `registeredOn` (default: the day of receipt). */
export function aGift(overrides: Partial<GiftInput> = {}, options: { id?: string; registeredOn?: string } = {}): Gift {
  const input = aGiftInput(overrides);
  const id = options.id ?? "g-1";
  return decisionOf(
    registerGift(
      input,
      undefined,
      stampOn(options.registeredOn ?? input.date, () => id),
    ),
  ).state;
}

/** A pending declaration of a receipt (id `d-1` unless given), declared on the day of receipt. */
export function aDeclaration(
  overrides: { receivedOn?: string; estimatedValueYen?: number; summary?: string } = {},
  id = "d-1",
): Declaration {
  const input = {
    receivedOn: "2027-03-01",
    estimatedValueYen: 80_000,
    summary: "Vase from the French embassy",
    ...overrides,
  };
  return decisionOf(
    declareReceipt(
      input,
      stampOn(input.receivedOn, () => id),
    ),
  ).state;
}

// ─── national days ───────────────────────────────────────────────────────────────────────────────────────────

export function aContact(n = 1, overrides: Partial<PartnerContact> = {}): PartnerContact {
  return {
    name: { ja: `担当者${n}`, en: `Officer ${n}` },
    role: "Protocol officer",
    email: `officer${n}@ambafrance.example.org`,
    preferredLanguage: "en",
    ...overrides,
  };
}

/** The French embassy: national day July 14. */
export function aMission(overrides: Partial<GreetingMission> = {}): GreetingMission {
  return {
    id: "embassy-of-france",
    country: "FR",
    name: { ja: "駐日フランス大使館", en: "Embassy of France in Japan" },
    contacts: [aContact(1)],
    nationalDay: { kind: "fixed", monthDay: "07-14", occasion: { ja: "革命記念日", en: "the National Day of France" } },
    ...overrides,
  };
}

/** The mission's greeting for `year` (default 2027) in `status`, reached through the decide functions. */
export function aGreeting(
  status: Greeting["status"] = "drafted",
  options: { mission?: GreetingMission; year?: number } = {},
): Greeting {
  const mission = options.mission ?? aMission();
  const year = options.year ?? 2027;
  const dayBefore = addDays(nationalDayIn(mission, year) ?? `${year}-01-01`, -1);
  const drafted = decisionOf(draftGreeting(mission, year, { today: dayBefore })).state;
  if (status === "drafted") return drafted;
  const approved = decisionOf(approveGreeting(drafted, "chief-of-protocol", undefined, stampOn(dayBefore))).state;
  if (status === "approved") return approved;
  const day = stampOn(approved.nationalDay);
  return decisionOf(releaseDue(approved, mission, day.today, day)).state;
}
