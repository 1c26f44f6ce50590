import { compareCodeUnits } from "@cdp/contracts";
import { addDays } from "./dates.ts";
import type { Visit, VisitPurpose, VisitStatus } from "./model.ts";

/**
 * The visits as an iCalendar feed (RFC 5545) that staff subscribe to from their calendar apps. Visits
 * are whole days, so events are all-day dates and need no time zone; X-WR-TIMEZONE only tells clients
 * which zone to show the calendar in.
 */

export interface ICalendarOptions {
  /** DTSTAMP: when the feed was made. */
  readonly now: Date;
  readonly productId?: string;
  /** UIDs are `<visit id>@<uidDomain>`, globally unique as RFC 5545 asks. */
  readonly uidDomain: string;
  readonly calendarName: string;
}

export const DEFAULT_PRODUCT_ID = "-//Tokyo Metropolitan Government//City Diplomacy Platform Visit Scheduling//EN";

/** RFC 5545 3.1: content lines longer than 75 octets are folded. */
const MAX_LINE_OCTETS = 75;
const CRLF = "\r\n";

/** Proposed and approved visits may still move or fall through; confirmed and completed ones are settled. */
const EVENT_STATUS: Readonly<Record<VisitStatus, "TENTATIVE" | "CONFIRMED" | "CANCELLED">> = {
  proposed: "TENTATIVE",
  approved: "TENTATIVE",
  confirmed: "CONFIRMED",
  completed: "CONFIRMED",
  cancelled: "CANCELLED",
};

const STATUS_LABEL: Readonly<Record<VisitStatus, { en: string; ja: string }>> = {
  proposed: { en: "Proposed", ja: "提案中" },
  approved: { en: "Approved", ja: "承認済み" },
  confirmed: { en: "Confirmed", ja: "確定" },
  completed: { en: "Completed", ja: "実施済み" },
  cancelled: { en: "Cancelled", ja: "中止" },
};

const PURPOSE_LABEL: Readonly<Record<VisitPurpose, { en: string; ja: string }>> = {
  "international-conference": { en: "International conference", ja: "国際会議" },
  "relationship-building": { en: "Relationship building", ja: "関係強化" },
  "policy-promotion": { en: "Policy promotion", ja: "政策推進" },
};

/**
 * A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break as `\n`.
 * Other control characters are not allowed in TEXT at all, so they are dropped.
 */
export function escapeText(value: string): string {
  const printable = Array.from(value.replace(/\r\n|\r/g, "\n"))
    .filter((character) => !isForbiddenControl(character))
    .join("");
  return printable.replace(/[\\;,]/g, (special) => `\\${special}`).replace(/\n/g, "\\n");
}

/** Control characters other than tab (and the line feed, escaped) cannot appear in a content line. */
function isForbiddenControl(character: string): boolean {
  const codePoint = character.codePointAt(0) ?? 0;
  return (codePoint < 0x20 && character !== "\t" && character !== "\n") || codePoint === 0x7f;
}

/** The UTF-8 length of a string, counted per code point (a lone surrogate encodes as U+FFFD, 3 octets). */
function utf8Octets(text: string): number {
  let octets = 0;
  for (const character of text) {
    const codePoint = character.codePointAt(0) ?? 0;
    octets += codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
  }
  return octets;
}

/**
 * Folds a content line (RFC 5545 3.1): no physical line longer than 75 octets, continuations starting
 * with one space. It breaks only between characters, never inside a multi-byte UTF-8 sequence, and keeps
 * an escape such as `\,` on one line: RFC 5545 would allow splitting it, but some readers unescape
 * before unfolding.
 */
export function foldLine(line: string): string {
  if (utf8Octets(line) <= MAX_LINE_OCTETS) return line;
  const physicalLines: string[] = [];
  let current = "";
  let currentOctets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const unit of line.match(/\\[\s\S]|[\s\S]/gu) ?? []) {
    const octets = utf8Octets(unit);
    if (currentOctets + octets > limit) {
      physicalLines.push(current);
      current = "";
      currentOctets = 0;
      // The leading space of a continuation counts toward its 75 octets.
      limit = MAX_LINE_OCTETS - 1;
    }
    current += unit;
    currentOctets += octets;
  }
  physicalLines.push(current);
  return physicalLines.join(`${CRLF} `);
}

/** 2026-06-01 → 20260601 (DATE, RFC 5545 3.3.4). */
function icsDate(date: string): string {
  return date.replaceAll("-", "");
}

/** An instant as a UTC DATE-TIME (RFC 5545 3.3.5 form 2): 20260601T093000Z. */
function icsUtcDateTime(instant: Date): string {
  return `${instant.toISOString().slice(0, 19).replace(/[-:]/g, "")}Z`;
}

/** The stored ISO timestamps as UTC DATE-TIME; null when one does not parse, so the property is left out. */
function icsUtcDateTimeOf(isoTimestamp: string): string | null {
  const instant = new Date(isoTimestamp);
  return Number.isNaN(instant.getTime()) ? null : icsUtcDateTime(instant);
}

/** `new-south-wales` → `New South Wales`: partner ids are slugs of the English name, good enough to read. */
function partnerLabel(partnerId: string): string {
  return partnerId
    .split("-")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(" ");
}

/** "Governor's visit to London, Paris / 知事の海外訪問", "Mayor's visit to Tokyo from Paris / 市長の東京訪問". */
export function visitSummary(visit: Pick<Visit, "direction" | "partnerIds" | "delegationHead">): string {
  const places = visit.partnerIds.map(partnerLabel).join(", ");
  const title = visit.delegationHead.title;
  return visit.direction === "outbound"
    ? `${title.en}'s visit to ${places} / ${title.ja}の海外訪問`
    : `${title.en}'s visit to Tokyo from ${places} / ${title.ja}の東京訪問`;
}

/** Purpose, head, status and itinerary, each in English and Japanese. Delegation members are left out. */
function visitDescription(visit: Visit): string {
  const head = visit.delegationHead;
  const purpose = PURPOSE_LABEL[visit.purpose];
  const status = STATUS_LABEL[visit.status];
  const lines = [
    `${purpose.en} / ${purpose.ja}`,
    visit.purposeStatement.en,
    visit.purposeStatement.ja,
    "",
    `Head of delegation / 団長: ${head.name.en} (${head.title.en}) / ${head.name.ja}（${head.title.ja}）`,
    `Status / 状態: ${status.en} / ${status.ja}`,
  ];
  if (visit.itinerary.length > 0) {
    lines.push("", "Itinerary / 日程:");
    const byTime = [...visit.itinerary].sort(
      (a, b) => compareCodeUnits(a.date, b.date) || compareCodeUnits(a.time ?? "", b.time ?? ""),
    );
    for (const entry of byTime) {
      const when = entry.time ? `${entry.date} ${entry.time}` : entry.date;
      const withWhom = entry.counterpart ? ` (${entry.counterpart})` : "";
      lines.push(`${when} ${entry.place}: ${entry.activity}${withWhom}`);
    }
  }
  return lines.join("\n");
}

function visitEvent(visit: Visit, uidDomain: string, dtstamp: string): string[] {
  const created = icsUtcDateTimeOf(visit.createdAt);
  const lastModified = icsUtcDateTimeOf(visit.updatedAt);
  return [
    "BEGIN:VEVENT",
    `UID:${escapeText(`${visit.id}@${uidDomain}`)}`,
    `DTSTAMP:${dtstamp}`,
    ...(created ? [`CREATED:${created}`] : []),
    ...(lastModified ? [`LAST-MODIFIED:${lastModified}`] : []),
    // Clients take a higher SEQUENCE as a newer revision; the stored version starts at 1.
    `SEQUENCE:${Math.max(0, visit.version - 1)}`,
    `DTSTART;VALUE=DATE:${icsDate(visit.startDate)}`,
    // An all-day DTEND is exclusive: the day after the last day of the visit.
    `DTEND;VALUE=DATE:${icsDate(addDays(visit.endDate, 1))}`,
    `SUMMARY:${escapeText(visitSummary(visit))}`,
    `DESCRIPTION:${escapeText(visitDescription(visit))}`,
    `STATUS:${EVENT_STATUS[visit.status]}`,
    `CATEGORIES:${escapeText(visit.purpose)}`,
    "END:VEVENT",
  ];
}

/** One all-day VEVENT per visit, in start-date order, as an RFC 5545 text with CRLF line endings. */
export function visitsToICalendar(visits: readonly Visit[], options: ICalendarOptions): string {
  const dtstamp = icsUtcDateTime(options.now);
  const inOrder = [...visits].sort(
    (a, b) => compareCodeUnits(a.startDate, b.startDate) || compareCodeUnits(a.id, b.id),
  );
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(options.productId ?? DEFAULT_PRODUCT_ID)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
    "X-WR-TIMEZONE:Asia/Tokyo",
    ...inOrder.flatMap((visit) => visitEvent(visit, options.uidDomain, dtstamp)),
    "END:VCALENDAR",
  ];
  return lines.map((line) => foldLine(line) + CRLF).join("");
}
