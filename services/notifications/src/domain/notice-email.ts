import { ENGLISH_MONTHS, type Language, type PartnerContact, type VisitNoticeDetail } from "@cdp/contracts";
import type { NoticeKind } from "./model.ts";

export type VisitNoticeKind = Extract<NoticeKind, `visit-${string}`>;

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

interface VisitNoticeInput {
  readonly kind: VisitNoticeKind;
  readonly visit: VisitNoticeDetail & { reason?: string };
  /** The partner this contact belongs to, and the names of every partner the visit covers. */
  readonly partnerName: { ja: string; en: string };
  readonly partnerNames: readonly { ja: string; en: string }[];
  readonly contact: Pick<PartnerContact, "name" | "preferredLanguage">;
}

function parts(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return { y, m, d };
}

/** "10–13 January 2027", "30 January – 2 February 2027", "30 December 2026 – 2 January 2027". */
export function englishPeriod(start: string, end: string): string {
  const a = parts(start);
  const b = parts(end);
  if (start === end) return `${a.d} ${ENGLISH_MONTHS[a.m - 1]} ${a.y}`;
  if (a.y === b.y && a.m === b.m) return `${a.d}–${b.d} ${ENGLISH_MONTHS[a.m - 1]} ${a.y}`;
  if (a.y === b.y) return `${a.d} ${ENGLISH_MONTHS[a.m - 1]} – ${b.d} ${ENGLISH_MONTHS[b.m - 1]} ${a.y}`;
  return `${a.d} ${ENGLISH_MONTHS[a.m - 1]} ${a.y} – ${b.d} ${ENGLISH_MONTHS[b.m - 1]} ${b.y}`;
}

/** "2027年1月10日〜13日", "2027年1月30日〜2月2日", "2026年12月30日〜2027年1月2日". */
export function japanesePeriod(start: string, end: string): string {
  const a = parts(start);
  const b = parts(end);
  const first = `${a.y}年${a.m}月${a.d}日`;
  if (start === end) return first;
  if (a.y === b.y && a.m === b.m) return `${first}〜${b.d}日`;
  if (a.y === b.y) return `${first}〜${b.m}月${b.d}日`;
  return `${first}〜${b.y}年${b.m}月${b.d}日`;
}

const PURPOSE = {
  "international-conference": { ja: "国際会議への出席", en: "attending an international conference" },
  "relationship-building": { ja: "都市間関係の構築・強化", en: "building and strengthening city-to-city relations" },
  "policy-promotion": { ja: "政策の推進・発信", en: "promoting policy cooperation" },
} as const;

/** One language's part of a notice: its heading, then its paragraphs. */
export interface Section {
  readonly heading: string;
  readonly lines: readonly string[];
}

/** The signature under every notice. */
export const SIGNATURE = {
  ja: "東京都 政策企画局 外務部",
  en: "Office of the Governor for Policy Planning, Tokyo Metropolitan Government",
} as const;

function section(language: Language, input: VisitNoticeInput): Section {
  const { visit, kind, contact, partnerNames } = input;
  const head = visit.delegationHead;
  const places = partnerNames.map((name) => name[language]).join(language === "ja" ? "・" : ", ");
  if (language === "ja") {
    const what =
      visit.direction === "outbound"
        ? `${head.title.ja}（${head.name.ja}）の${places}訪問`
        : `${places}代表団の東京訪問`;
    return {
      heading: kind === "visit-confirmed" ? "訪問日程確定のお知らせ" : "訪問中止のお知らせ",
      lines: [
        `${contact.name.ja} 様`,
        kind === "visit-confirmed"
          ? `${what}の日程が確定しましたので、お知らせいたします。`
          : `誠に恐縮ながら、${what}は中止となりましたので、お知らせいたします。`,
        `日程：${japanesePeriod(visit.startDate, visit.endDate)}`,
        `団長：${head.title.ja} ${head.name.ja}`,
        `目的：${PURPOSE[visit.purpose].ja}`,
        `趣旨：${visit.purposeStatement.ja}`,
        ...(kind === "visit-cancelled" && visit.reason ? [`理由：${visit.reason}`] : []),
        SIGNATURE.ja,
      ],
    };
  }
  const what =
    visit.direction === "outbound"
      ? `the visit of the ${head.title.en} (${head.name.en}) to ${places}`
      : `the visit of the delegation of ${places} to Tokyo`;
  return {
    heading: kind === "visit-confirmed" ? "Visit confirmed" : "Visit cancelled",
    lines: [
      `Dear ${contact.name.en},`,
      kind === "visit-confirmed"
        ? `We are pleased to confirm the dates of ${what}.`
        : `We regret to inform you that ${what} has been cancelled.`,
      `Dates: ${englishPeriod(visit.startDate, visit.endDate)}`,
      `Head of delegation: ${head.title.en} ${head.name.en}`,
      `Purpose: ${PURPOSE[visit.purpose].en}`,
      `Statement: ${visit.purposeStatement.en}`,
      ...(kind === "visit-cancelled" && visit.reason ? [`Reason: ${visit.reason}`] : []),
      SIGNATURE.en,
    ],
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/**
 * One e-mail in both languages, both authentic: the contact's preferred language first, then the
 * other, as plain text and as simple, accessible HTML (each part marked with its `lang`). The subject
 * is each heading with the period, in the same order.
 */
export function composeEmail(
  preferredLanguage: Language,
  sections: Readonly<Record<Language, Section>>,
  period: { readonly start: string; readonly end: string },
): RenderedEmail {
  const order: Language[] = preferredLanguage === "ja" ? ["ja", "en"] : ["en", "ja"];
  const parts = order.map((language) => ({ language, ...sections[language] }));
  const periodIn = {
    ja: japanesePeriod(period.start, period.end),
    en: englishPeriod(period.start, period.end),
  };
  const subject = `[Tokyo] ${parts.map((part) => `${part.heading} ${periodIn[part.language]}`).join(" / ")}`;
  const text = parts
    .map((part) => [part.heading, "", ...part.lines].join("\n"))
    .join("\n\n----------------------------------------\n\n");
  const html = [
    "<!doctype html>",
    `<html lang="${order[0]}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    ...parts.map(
      (part) =>
        `<section lang="${part.language}"><h1>${escapeHtml(part.heading)}</h1>${part.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join("")}</section>`,
    ),
    "</body></html>",
  ].join("\n");
  return { subject, text, html };
}

/** A visit confirmed or cancelled, told to one contact of one of its partners. */
export function renderVisitNotice(input: VisitNoticeInput): RenderedEmail {
  return composeEmail(
    input.contact.preferredLanguage,
    { ja: section("ja", input), en: section("en", input) },
    { start: input.visit.startDate, end: input.visit.endDate },
  );
}
