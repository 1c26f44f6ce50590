import { addDays, tokyoDate } from "@cdp/contracts";
import type { WriteContext } from "@cdp/lambda-kit";
import { CourtesyCalls } from "@cdp/protocol/calls";
import { aCallInput, aMissionInput } from "@cdp/protocol/domain/call-builders";
import { aContact, aGiftInput, aHospitalityInput } from "@cdp/protocol/domain/record-builders";
import { governorAbroadSubscription, manifest as protocol } from "@cdp/protocol/manifest";
import { ProtocolRecords } from "@cdp/protocol/records";
import { subscriptionKey } from "./sample-keys.ts";
import type { RouteSample, SampleContext, SubscriptionSample } from "./samples.ts";

/**
 * The protocol office's samples. What a request is about (a mission, a call in a state, a record, a gift, a greeting
 * awaiting review) is made just before through the service's own use cases, with ids of its own. Calls are on a
 * vice-governor, whose time nothing holds, so samples never refuse each other; a governor's call is what the
 * abroad subscription's samples are about (trips far ahead, a new visit each time).
 */

const callsOf = (context: SampleContext) => context.store(protocol.name, CourtesyCalls);
const recordsOf = (context: SampleContext) => context.store(protocol.name, ProtocolRecords);
const writeContext = ({ unique }: SampleContext): WriteContext => ({
  actor: "bench",
  correlationId: `bench-${unique()}`,
  now: new Date(),
});

/** A mission of its own, with one official, whose national day is the day given (`MM-DD`). */
async function aMission(context: SampleContext, monthDay = "07-14"): Promise<string> {
  const id = `bench-mission-${context.unique()}`;
  await callsOf(context).registerMission(
    aMissionInput({
      id,
      contacts: [aContact(1, { email: `protocol@${id}.example.org` })],
      partnerIds: [],
      nationalDay: { kind: "fixed", monthDay, occasion: { ja: "建国記念日", en: "National Day" } },
    }),
    writeContext(context),
  );
  return id;
}

/** A vice-governor's call of its own, `daysFromToday` away (before today: it may be completed). */
async function aCall(context: SampleContext, daysFromToday = 30): Promise<string> {
  const day = addDays(context.today(), daysFromToday);
  const call = await callsOf(context).schedule(
    aCallInput({
      missionId: undefined,
      partnerIds: ["seoul"],
      host: "vice-governor",
      startsAt: `${day}T10:00:00+09:00`,
    }),
    writeContext(context),
  );
  return call.id;
}

const aRecord = async (context: SampleContext) =>
  (await recordsOf(context).recordHospitality(aHospitalityInput({ date: context.today() }), writeContext(context))).id;

const aGift = async (context: SampleContext) =>
  (await recordsOf(context).registerGift(aGiftInput({ date: context.today() }), writeContext(context))).id;

/** A greeting drafted for review: a mission whose national day is tomorrow, and the day-before run of the schedule. */
async function aDraftedGreeting(context: SampleContext): Promise<string> {
  const tomorrow = addDays(tokyoDate(new Date()), 1);
  const missionId = await aMission(context, tomorrow.slice(5));
  await recordsOf(context).runNationalDays(writeContext(context));
  return `${missionId}-${tomorrow.slice(0, 4)}`;
}

export const protocolRouteSamples: Readonly<Record<string, RouteSample>> = {
  registerMission: (context) => ({
    body: aMissionInput({ id: `bench-mission-${context.unique()}`, partnerIds: [] }),
  }),
  listMissions: () => ({ query: { limit: "20" } }),
  getMission: async (context) => ({ params: { id: await aMission(context) } }),
  updateMission: async (context) => ({
    params: { id: await aMission(context) },
    body: { address: { ja: "東京都港区", en: "Minato, Tokyo" } },
  }),
  getMissionContacts: async (context) => ({ params: { id: await aMission(context) } }),
  scheduleCourtesyCall: (context) => ({
    body: aCallInput({
      missionId: undefined,
      partnerIds: ["seoul"],
      host: "vice-governor",
      startsAt: `${addDays(context.today(), 20)}T11:00:00+09:00`,
    }),
  }),
  listCourtesyCalls: () => ({ query: { limit: "20" } }),
  getCourtesyCall: async (context) => ({ params: { id: await aCall(context) } }),
  getCourtesyCallVisitors: async (context) => ({ params: { id: await aCall(context) } }),
  rescheduleCourtesyCall: async (context) => ({
    params: { id: await aCall(context) },
    body: { startsAt: `${addDays(context.today(), 31)}T15:00:00+09:00` },
  }),
  completeCourtesyCall: async (context) => ({ params: { id: await aCall(context, -1) }, body: {} }),
  cancelCourtesyCall: async (context) => ({ params: { id: await aCall(context) }, body: { reason: "Postponed" } }),

  recordHospitality: (context) => ({ body: aHospitalityInput({ date: context.today() }) }),
  listHospitality: () => ({ query: { limit: "20" } }),
  getHospitality: async (context) => ({ params: { id: await aRecord(context) } }),
  updateHospitality: async (context) => ({ params: { id: await aRecord(context) }, body: { guestCount: 30 } }),
  cancelHospitality: async (context) => ({ params: { id: await aRecord(context) }, body: { reason: "Postponed" } }),
  getHospitalitySpending: (context) => ({ params: { month: context.today().slice(0, 7) } }),

  declareGiftReceipt: (context) => ({
    body: { receivedOn: context.today(), estimatedValueYen: 80_000, summary: "A vase from an embassy" },
  }),
  listGiftDeclarations: () => ({ query: { limit: "20" } }),
  registerGift: (context) => ({ body: aGiftInput({ date: context.today() }) }),
  listGifts: () => ({ query: { limit: "20" } }),
  getGift: async (context) => ({ params: { id: await aGift(context) } }),
  getGiftRecord: async (context) => ({ params: { id: await aGift(context) } }),
  editGift: async (context) => ({
    params: { id: await aGift(context) },
    body: { custodian: "Protocol Office, Room 2" },
  }),
  changeGiftDisposition: async (context) => ({ params: { id: await aGift(context) }, body: { disposition: "stored" } }),

  listGreetings: () => ({ query: { limit: "20" } }),
  editGreeting: async (context) => ({
    params: { id: await aDraftedGreeting(context) },
    body: { message: { ja: "心よりお祝い申し上げます。", en: "Our warmest congratulations." } },
  }),
  approveGreeting: async (context) => ({ params: { id: await aDraftedGreeting(context) } }),
};

/** The governor's trip as visit scheduling announces it: a new visit every time, far ahead, on days of its own. */
function governorTrip(context: SampleContext) {
  const serial = context.serial();
  const startDate = addDays("2040-01-01", serial * 4);
  const correlationId = `bench-${context.unique()}`;
  return {
    visitId: `bench-visit-${context.unique()}`,
    direction: "outbound",
    partnerIds: ["seoul"],
    delegationHead: {
      name: { ja: "東京都知事", en: "Governor of Tokyo" },
      title: { ja: "知事", en: "Governor" },
      level: "head",
    },
    purpose: "relationship-building",
    purposeStatement: { ja: "関係構築", en: "Building relations" },
    startDate,
    endDate: addDays(startDate, 2),
    correlationId,
    metadata: { eventId: `bench-event-${context.unique()}`, correlationId, occurredAt: new Date().toISOString() },
  };
}

const abroadKey = (detailType: string) => `${subscriptionKey(protocol, governorAbroadSubscription.name)}:${detailType}`;

export const protocolSubscriptionSamples: Readonly<Record<string, SubscriptionSample>> = {
  [abroadKey("VisitApproved.v1")]: governorTrip,
  [abroadKey("VisitConfirmed.v1")]: governorTrip,
  [abroadKey("VisitCancelled.v1")]: (context) => ({
    ...governorTrip(context),
    reason: "The dates no longer suit",
    previousStatus: "approved",
  }),
};
