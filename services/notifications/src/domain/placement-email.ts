import type { ExchangeDirection, Language, PartnerContact, PlacementFunded } from "@cdp/contracts";
import type * as z from "zod/mini";
import type { NoticeKind } from "./model.ts";
import {
  composeEmail,
  englishPeriod,
  japanesePeriod,
  type RenderedEmail,
  type Section,
  SIGNATURE,
} from "./notice-email.ts";

export type PlacementNoticeKind = Extract<NoticeKind, `placement-${string}`>;

/**
 * What a partner is told of a placement: who is placed (name and position), where, when and why.
 * Picked rather than spread, so the ledger's figures and ids in the same events never reach an e-mail.
 */
export type PlacementNoticeDetail = Pick<
  z.infer<typeof PlacementFunded.detail>,
  | "placementId"
  | "direction"
  | "person"
  | "hostOrganisation"
  | "hostDepartment"
  | "startDate"
  | "endDate"
  | "purpose"
  | "fields"
>;

interface PlacementNoticeInput {
  readonly kind: PlacementNoticeKind;
  readonly placement: PlacementNoticeDetail & { readonly reason?: string };
  /** The partner the placement is with, whose contact this is. */
  readonly partnerName: { ja: string; en: string };
  readonly contact: Pick<PartnerContact, "name" | "preferredLanguage">;
}

interface Wording {
  /** The placement, as the subject of a sentence. */
  readonly what: (partner: string) => string;
  readonly funded: string;
  readonly cancelled: string;
  readonly person: string;
  readonly period: string;
  readonly host: string;
  readonly welcome: string;
}

/**
 * Inbound: the partner's staff member is hosted in a TMG bureau. Outbound: Tokyo's staff member is
 * seconded to the partner. The Japanese names TMG's own staff without an honorific, as letters to
 * another organisation do.
 */
const WORDING: Readonly<Record<ExchangeDirection, Readonly<Record<Language, Wording>>>> = {
  inbound: {
    ja: {
      what: (partner) => `${partner}職員の東京都への受入れ`,
      funded: "職員受入れ決定のお知らせ",
      cancelled: "職員受入れ中止のお知らせ",
      person: "受入職員",
      period: "受入期間",
      host: "受入先",
      welcome: "東京でお迎えできることを心より楽しみにしております。",
    },
    en: {
      what: (partner) => `the placement in Tokyo of a staff member from ${partner}`,
      funded: "Staff placement in Tokyo confirmed",
      cancelled: "Staff placement in Tokyo cancelled",
      person: "Staff member",
      period: "Dates",
      host: "Host",
      welcome: "We look forward to welcoming them to Tokyo.",
    },
  },
  outbound: {
    ja: {
      what: (partner) => `東京都職員の${partner}への派遣`,
      funded: "職員派遣決定のお知らせ",
      cancelled: "職員派遣中止のお知らせ",
      person: "派遣職員",
      period: "派遣期間",
      host: "派遣先",
      welcome: "受入れに際しましては、格別のご高配を賜りますよう、よろしくお願い申し上げます。",
    },
    en: {
      what: (partner) => `the secondment of a Tokyo Metropolitan Government staff member to ${partner}`,
      funded: "Staff secondment confirmed",
      cancelled: "Staff secondment cancelled",
      person: "Staff member",
      period: "Dates",
      host: "Host",
      welcome: "We would be grateful for your kind support in hosting our colleague.",
    },
  },
};

function japaneseSection({ kind, placement, partnerName, contact }: PlacementNoticeInput): Section {
  const words = WORDING[placement.direction].ja;
  const { person } = placement;
  const funded = kind === "placement-funded";
  return {
    heading: funded ? words.funded : words.cancelled,
    lines: [
      `${contact.name.ja} 様`,
      funded
        ? `${words.what(partnerName.ja)}が決定しましたので、お知らせいたします。`
        : `誠に恐縮ながら、${words.what(partnerName.ja)}は中止となりましたので、お知らせいたします。`,
      `${words.person}：${person.name.ja}${person.position ? `（${person.position.ja}）` : ""}`,
      `${words.period}：${japanesePeriod(placement.startDate, placement.endDate)}`,
      `${words.host}：${placement.hostOrganisation.ja} ${placement.hostDepartment.ja}`,
      `目的：${placement.purpose.ja}`,
      ...(placement.fields.length > 0 ? [`分野：${placement.fields.join("、")}`] : []),
      ...(!funded && placement.reason ? [`理由：${placement.reason}`] : []),
      funded ? words.welcome : "何卒ご理解を賜りますよう、お願い申し上げます。",
      SIGNATURE.ja,
    ],
  };
}

function englishSection({ kind, placement, partnerName, contact }: PlacementNoticeInput): Section {
  const words = WORDING[placement.direction].en;
  const { person } = placement;
  const funded = kind === "placement-funded";
  return {
    heading: funded ? words.funded : words.cancelled,
    lines: [
      `Dear ${contact.name.en},`,
      funded
        ? `We are pleased to confirm ${words.what(partnerName.en)}.`
        : `We regret to inform you that ${words.what(partnerName.en)} has been cancelled.`,
      `${words.person}: ${person.name.en}${person.position ? `, ${person.position.en}` : ""}`,
      `${words.period}: ${englishPeriod(placement.startDate, placement.endDate)}`,
      `${words.host}: ${placement.hostDepartment.en}, ${placement.hostOrganisation.en}`,
      `Purpose: ${placement.purpose.en}`,
      ...(placement.fields.length > 0 ? [`Fields: ${placement.fields.join(", ")}`] : []),
      ...(!funded && placement.reason ? [`Reason: ${placement.reason}`] : []),
      funded ? words.welcome : "We thank you for your understanding.",
      SIGNATURE.en,
    ],
  };
}

/**
 * A placement funded or cancelled, told to one contact of its partner: the person's name and
 * position, the period, the host and the purpose. The subject names no one: it is kept in the notice log.
 */
export function renderPlacementNotice(input: PlacementNoticeInput): RenderedEmail {
  return composeEmail(
    input.contact.preferredLanguage,
    { ja: japaneseSection(input), en: englishSection(input) },
    { start: input.placement.startDate, end: input.placement.endDate },
  );
}
