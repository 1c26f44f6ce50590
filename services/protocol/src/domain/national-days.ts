import {
  addDays,
  BilingualText,
  ENGLISH_MONTHS,
  IsoDate,
  IsoDateTime,
  NationalDayGreetingReleased,
} from "@cdp/contracts";
import { type AuditEntry, type Decided, decided, event, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import { type Mission, nationalDayIn } from "./missions.ts";
import type { Stamp } from "./stamp.ts";

/**
 * National-day greetings: once a year each mission gets the governor's bilingual congratulations by e-mail on
 * its national day. The daily schedule drafts the greeting the day before (Tokyo dates), so the governor's
 * office can review it; on the day the schedule releases it, and Notifications sends it to the mission's
 * contacts.
 *
 * The office *can* review, it need not: a greeting still drafted on the day is released as drafted, so no
 * mission goes without its congratulations because nobody had time to look. While drafted the text may be
 * edited; approving it locks the text, and on the day itself sends it at once (the day's run may be over).
 * Nothing is released before or after the day: a greeting whose day passed unreleased (the schedule failed)
 * is not sent late. A mission added on its national day itself is first greeted the next year (its draft would
 * have been due the day before).
 */

/** The contract's limit on recipients: the first ones of the mission's list get it. */
export const MAX_RECIPIENTS = 20;
/** The contract's limit on each language of the subject and the message. */
const MAX_TEXT = 500;

/** What a greeting needs of a mission; a mission may have no national day. */
export type GreetingMission = Pick<Mission, "id" | "country" | "name" | "contacts" | "nationalDay">;

export const GreetingStatus = z.enum(["drafted", "approved", "released"]);
export type GreetingStatus = z.infer<typeof GreetingStatus>;

export const Greeting = z.object({
  /** `<missionId>-<year>`: one a year per mission, and the store's conditional write keeps it so. */
  greetingId: z.string(),
  missionId: z.string(),
  year: z.int(),
  nationalDay: IsoDate,
  occasion: BilingualText,
  subject: BilingualText,
  message: BilingualText,
  status: GreetingStatus,
  draftedOn: IsoDate,
  approvedBy: z.optional(z.string()),
  releasedAt: z.optional(IsoDateTime),
  version: z.int(),
});
export type Greeting = z.infer<typeof Greeting>;

/** An edit of a drafted greeting's text. */
export const GreetingEdit = z
  .strictObject({ subject: z.optional(BilingualText), message: z.optional(BilingualText) })
  .check(z.refine((edit) => Object.keys(edit).length > 0, "names no field to change"));
export type GreetingEdit = z.infer<typeof GreetingEdit>;

export const RULES = {
  noNationalDay: "no-national-day",
  noContacts: "no-contacts",
  textTooLong: "greeting-too-long",
  notTheDay: "not-the-national-day",
  dayPassed: "national-day-passed",
} as const;

export type GreetingDecided = Decided<Greeting>;

export const greetingIdOf = (missionId: string, year: number): string => `${missionId}-${year}`;

function writtenDate(date: string): BilingualText {
  const [year, month, day] = date.split("-").map(Number);
  return { ja: `${year}年${month}月${day}日`, en: `${day} ${ENGLISH_MONTHS[(month ?? 1) - 1]} ${year}` };
}

/** The governor's congratulations, formal in both languages; the occasion is the mission's own wording. */
export function composeGreeting(occasion: BilingualText, nationalDay: string) {
  const dated = writtenDate(nationalDay);
  return {
    subject: {
      ja: `${occasion.ja}に寄せて（東京都知事より）`,
      en: `Congratulations on ${occasion.en} from the Governor of Tokyo`,
    },
    message: {
      ja: [
        `貴国の${occasion.ja}を心よりお祝い申し上げます。`,
        "この佳き日に当たり、貴国の一層の御発展と国民の皆様の御健勝を祈念いたしますとともに、東京と貴国との友好の絆がますます深まることを願っております。",
        "",
        dated.ja,
        "東京都知事",
      ].join("\n"),
      en: [
        `On the occasion of ${occasion.en}, I extend my warmest congratulations to the Government and the people of your country.`,
        "On this happy day, I wish your nation continued prosperity and your people good health, and I look forward to ever closer friendship between Tokyo and your country.",
        "",
        dated.en,
        "Governor of Tokyo",
      ].join("\n"),
    },
  };
}

const tooLong = (text: BilingualText) => text.ja.length > MAX_TEXT || text.en.length > MAX_TEXT;

const audit = (greeting: Greeting, action: string, beforeVersion: number | null) => ({
  entity: `greeting#${greeting.greetingId}`,
  action: `greeting.${action}`,
  beforeVersion,
  afterVersion: greeting.version,
});

/** The year's draft for a mission; written only if the mission has none for that year yet. */
export function draftGreeting(mission: GreetingMission, year: number, stamp: Pick<Stamp, "today">): GreetingDecided {
  const facts = { missionId: mission.id, year };
  const nationalDay = nationalDayIn(mission, year);
  // A date filed under the wrong year is refused here too: the greeting's id names the year it is sent in.
  if (nationalDay === null || !nationalDay.startsWith(`${year}-`) || !mission.nationalDay) {
    return refused(refuse.rule(RULES.noNationalDay, `Mission ${mission.id} has no national day in ${year}`, facts));
  }
  const { occasion } = mission.nationalDay;
  const { subject, message } = composeGreeting(occasion, nationalDay);
  if (tooLong(subject) || tooLong(message)) {
    return refused(
      refuse.rule(RULES.textTooLong, `The occasion of mission ${mission.id} is too long for a greeting`, facts),
    );
  }
  const greeting: Greeting = {
    greetingId: greetingIdOf(mission.id, year),
    missionId: mission.id,
    year,
    nationalDay,
    occasion,
    subject,
    message,
    status: "drafted",
    draftedOn: stamp.today,
    version: 1,
  };
  return decided({ state: greeting, expectedVersion: null, events: [], audit: audit(greeting, "drafted", null) });
}

/**
 * The drafts the daily schedule makes on `today`: one for each mission whose national day is tomorrow and that
 * has someone to send it to. A refusal (a text too long) names its mission in `facts`, for the log.
 */
export function greetingsToDraft(missions: readonly GreetingMission[], today: string): GreetingDecided[] {
  const tomorrow = addDays(today, 1);
  // On December 31 tomorrow is in the next year, and so is the greeting.
  const year = Number(tomorrow.slice(0, 4));
  return missions
    .filter((mission) => mission.contacts.length > 0 && nationalDayIn(mission, year) === tomorrow)
    .map((mission) => draftGreeting(mission, year, { today }));
}

function changeRefusal(greeting: Greeting, expectedVersion: number | undefined, today: string, doing: string) {
  if (expectedVersion !== undefined && expectedVersion !== greeting.version) return refuse.stale(greeting.version);
  if (greeting.status !== "drafted") {
    return refuse.conflict(
      `Greeting ${greeting.greetingId} is ${greeting.status}: it cannot be ${doing}`,
      greeting.status,
    );
  }
  if (today > greeting.nationalDay) {
    return refuse.rule(RULES.dayPassed, `The national day of greeting ${greeting.greetingId} has passed`, {
      nationalDay: greeting.nationalDay,
    });
  }
  return undefined;
}

export function editGreeting(
  greeting: Greeting | undefined,
  command: GreetingEdit & { expectedVersion?: number | undefined },
  stamp: Stamp,
): GreetingDecided {
  if (!greeting) return refused(refuse.notFound("Greeting"));
  const refusal = changeRefusal(greeting, command.expectedVersion, stamp.today, "edited");
  if (refusal) return refused(refusal);
  const edited: Greeting = {
    ...greeting,
    subject: command.subject ?? greeting.subject,
    message: command.message ?? greeting.message,
    version: greeting.version + 1,
  };
  return decided({
    state: edited,
    expectedVersion: greeting.version,
    events: [],
    audit: audit(edited, "edited", greeting.version),
  });
}

/** Locks the text; the greeting is released on its day (approved on the day itself: `approveOnTheDay`). */
export function approveGreeting(
  greeting: Greeting | undefined,
  approver: string,
  expectedVersion: number | undefined,
  stamp: Stamp,
): GreetingDecided {
  if (!greeting) return refused(refuse.notFound("Greeting"));
  const refusal = changeRefusal(greeting, expectedVersion, stamp.today, "approved");
  if (refusal) return refused(refusal);
  const approved: Greeting = { ...greeting, status: "approved", approvedBy: approver, version: greeting.version + 1 };
  return decided({
    state: approved,
    expectedVersion: greeting.version,
    events: [],
    audit: audit(approved, "approved", greeting.version),
  });
}

/** On the day, a drafted or approved greeting is released to the mission's contacts (the first 20). */
export function releaseDue(
  greeting: Greeting | undefined,
  mission: GreetingMission | undefined,
  today: string,
  stamp: Stamp,
): GreetingDecided {
  if (!greeting) return refused(refuse.notFound("Greeting"));
  if (greeting.status === "released") {
    return refused(refuse.conflict(`Greeting ${greeting.greetingId} is released already`, greeting.status));
  }
  if (today !== greeting.nationalDay) {
    return refused(
      refuse.rule(RULES.notTheDay, `Greeting ${greeting.greetingId} is released on ${greeting.nationalDay} only`, {
        nationalDay: greeting.nationalDay,
        today,
      }),
    );
  }
  if (!mission || mission.id !== greeting.missionId) return refused(refuse.notFound(`Mission ${greeting.missionId}`));
  if (mission.contacts.length === 0) {
    return refused(refuse.rule(RULES.noContacts, `Mission ${mission.id} has no contact to send it to`));
  }
  const released: Greeting = {
    ...greeting,
    status: "released",
    releasedAt: stamp.now.toISOString(),
    version: greeting.version + 1,
  };
  return decided({
    state: released,
    expectedVersion: greeting.version,
    events: [
      event(NationalDayGreetingReleased, {
        greetingId: released.greetingId,
        missionId: mission.id,
        country: mission.country,
        missionName: mission.name,
        nationalDay: released.nationalDay,
        occasion: released.occasion,
        subject: released.subject,
        message: released.message,
        recipients: mission.contacts.slice(0, MAX_RECIPIENTS),
      }),
    ],
    audit: audit(released, greeting.status === "drafted" ? "released-unreviewed" : "released", greeting.version),
  });
}

/** An approval, and on the day itself the release with it: both audited, in one write. */
export type ApprovalDecided = Decided<Greeting, { readonly alsoAudit: AuditEntry | null }>;

/**
 * Approves a drafted greeting. On its national day the day's run may be over already, so the approved text is
 * released at once, the approval and the release written together; a greeting that cannot be released (its
 * mission has no contact left) stays approved, as the day's run would have left it.
 */
export function approveOnTheDay(
  greeting: Greeting | undefined,
  mission: GreetingMission | undefined,
  approver: string,
  expectedVersion: number | undefined,
  stamp: Stamp,
): ApprovalDecided {
  const approval = approveGreeting(greeting, approver, expectedVersion, stamp);
  if (!approval.ok) return approval;
  const approved = approval.decision;
  const release =
    approved.state.nationalDay === stamp.today ? releaseDue(approved.state, mission, stamp.today, stamp) : undefined;
  if (!release?.ok) return decided({ ...approved, alsoAudit: null });
  return decided({ ...release.decision, expectedVersion: approved.expectedVersion, alsoAudit: approved.audit });
}
