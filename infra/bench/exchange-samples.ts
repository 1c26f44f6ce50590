import { addDays, type FundHoldPlaced, type FundHoldRejected, fiscalYearOf } from "@cdp/contracts";
import { orRefuse, Refused, type WriteContext } from "@cdp/lambda-kit";
import { aProgrammeInput } from "@cdp/staff-exchange/domain/builders";
import { createProgramme } from "@cdp/staff-exchange/domain/decide";
import type { Placement, PlacementInput, ProgrammeInput } from "@cdp/staff-exchange/domain/model";
import { StaffExchange } from "@cdp/staff-exchange/use-cases";
import type * as z from "zod/mini";
import type { RouteSample, SampleContext, SubscriptionSample } from "./samples.ts";

/**
 * The staff exchange's samples. A request about a placement in some state gets one of its own, proposed and
 * moved on through the service's own use cases just before (the ledger's answer given as its event would).
 * They use a bench programme of their own, so the seeded programmes' quotas (one a year each way) stay free:
 * each placement lasts 10 days, for a person of its own, 8 days after the one before (forward for those that
 * wait, backward from today for those that must have started), alternating direction, so no fiscal year holds
 * more than its quota of 50 placements each way.
 */

const STAFF_EXCHANGE = "staff-exchange";
const BENCH_PARTNER = "bench-exchange";

const BENCH_PROGRAMME: ProgrammeInput = aProgrammeInput(BENCH_PARTNER, {
  name: { ja: "ベンチ職員交流", en: "Bench staff exchange" },
  placementsPerYear: { outbound: 50, inbound: 50 },
  totalDaysPerYear: { outbound: 500, inbound: 500 },
  maxDays: 184,
});

const exchangeOf = (context: SampleContext) => context.store(STAFF_EXCHANGE, StaffExchange);
const writeContext = ({ unique }: SampleContext): WriteContext => ({
  actor: "bench",
  correlationId: `bench-${unique()}`,
  now: new Date(),
});

let programmeReady: Promise<void> | undefined;

/** The bench programme, created once per run through the domain (the seed's way: the bench vouches for its partner). */
function benchProgramme(context: SampleContext): Promise<void> {
  programmeReady ??= (async () => {
    const exchange = exchangeOf(context);
    const existing = await exchange.programmes.get(BENCH_PARTNER);
    if (existing) return;
    const decision = orRefuse(
      createProgramme(BENCH_PROGRAMME, undefined, { partner: true, agreement: undefined }, new Date()),
    );
    await exchange.programmes.commit(decision, writeContext(context)).catch((error: unknown) => {
      if (!(error instanceof Refused)) throw error;
    });
  })();
  return programmeReady;
}

/** A 10-day specialist dispatch; `started` puts it in the past, so it may start today. */
/** This module's own count: the shared serial grows with every sample, and would walk terms back past the year 2000. */
let placements = 0;

function placementInput(context: SampleContext, started: boolean): PlacementInput {
  const serial = placements++;
  const offset = 8 * (serial + 1);
  const startDate = addDays(context.today(), started ? -offset : 30 + offset);
  return {
    programmeId: BENCH_PARTNER,
    direction: serial % 2 === 0 ? "inbound" : "outbound",
    person: { staffId: `bench-${context.unique()}`, name: { ja: "交流 花子", en: "Hanako Koryu" } },
    personal: { passportNumber: "TK7654321", medicalNotes: "None" },
    hostOrganisation: { ja: "東京都環境局", en: "Bureau of Environment, TMG" },
    hostDepartment: { ja: "気候変動対策部", en: "Climate Change Policy Division" },
    startDate,
    endDate: addDays(startDate, 9),
    purpose: { ja: "脱炭素政策の実務研修", en: "Practical training in decarbonisation policy" },
    fields: ["climate", "energy"],
  };
}

type Reachable = "applied" | "approved" | "funded" | "funding-rejected" | "active";

/** A new placement in the given status, through the service's own use cases; `started`: its term began already. */
async function placementIn(
  context: SampleContext,
  status: Reachable,
  started = status === "active",
): Promise<Placement> {
  await benchProgramme(context);
  const exchange = exchangeOf(context);
  const write = writeContext(context);
  let placement = await exchange.propose(placementInput(context, started), write);
  if (status === "applied") return placement;
  placement = await exchange.approve(placement.id, undefined, write);
  const reference = placement.holds[0]?.reference ?? "";
  if (status === "funding-rejected") {
    return exchange.onHoldRejected(
      placement.id,
      { reference, reason: "insufficient-available", detail: "The bench asked for too much" },
      write,
    );
  }
  if (status === "approved") return placement;
  placement = await exchange.onHoldPlaced(
    placement.id,
    { reference, holdId: crypto.randomUUID(), amountYen: placement.estimate.totalYen },
    write,
  );
  return status === "active" ? exchange.start(placement.id, undefined, write) : placement;
}

const placementParams = async (context: SampleContext, status: Reachable, started?: boolean) => ({
  params: { id: (await placementIn(context, status, started)).id },
});

const ACTUAL = { allowanceYen: 100_000, housingYen: 50_000, travelYen: 80_000, insuranceYen: 3_000, otherYen: 0 };

export const exchangeRouteSamples: Readonly<Record<string, RouteSample>> = {
  // A new partner each time, known to the staff exchange as the registry's event would make it.
  createExchangeProgramme: async (context) => {
    const partnerId = `bench-${context.unique()}`;
    await exchangeOf(context).programmes.keepPartner(
      { partnerId, name: { ja: "ベンチ市", en: "Bench City" } },
      writeContext(context),
    );
    return { body: { ...BENCH_PROGRAMME, partnerId } };
  },
  listExchangeProgrammes: () => ({ query: { limit: "20" } }),
  getExchangeProgramme: () => ({ params: { id: "seoul" } }),
  getExchangeQuota: (context) => ({
    params: { id: "seoul" },
    query: { fiscalYear: String(fiscalYearOf(context.today())) },
  }),
  proposePlacement: async (context) => {
    await benchProgramme(context);
    return { body: placementInput(context, false) };
  },
  listPlacements: () => ({ query: { programmeId: "seoul", limit: "20" } }),
  getPlacement: (context) => placementParams(context, "funded"),
  editPlacement: async (context) => {
    const placement = await placementIn(context, "applied");
    return {
      params: { id: placement.id },
      headers: { "if-match": `"${placement.version}"` },
      body: { fields: ["climate", "energy", "waste"] },
    };
  },
  getPlacementPerson: (context) => placementParams(context, "applied"),
  approvePlacement: (context) => placementParams(context, "applied"),
  // Asked again with the same estimate (the body may name a lower one).
  fundPlacement: async (context) => ({ ...(await placementParams(context, "funding-rejected")), body: {} }),
  topUpPlacement: async (context) => ({ ...(await placementParams(context, "active")), body: { amountYen: 50_000 } }),
  startPlacement: (context) => placementParams(context, "funded", true),
  completePlacement: async (context) => ({ ...(await placementParams(context, "active")), body: { actual: ACTUAL } }),
  cancelPlacement: async (context) => ({
    ...(await placementParams(context, "funded")),
    body: { reason: "The host bureau reorganised" },
  }),
};

type Answer<Contract extends { detail: z.ZodMiniType }> = Omit<
  z.input<Contract["detail"]>,
  "correlationId" | "metadata"
>;

/** The ledger's answer to a new approval's hold request, as its event brings it. */
async function answerTo(context: SampleContext) {
  const placement = await placementIn(context, "approved");
  const hold = placement.holds[0];
  if (!hold) throw new Error("staff-exchange sample: an approved placement without a hold request");
  return {
    reference: hold.reference,
    requester: STAFF_EXCHANGE,
    programme: "staff-exchange",
    fiscalYear: placement.fiscalYear,
    amountYen: hold.amountYen,
  };
}

export const exchangeSubscriptionSamples: Readonly<Record<string, SubscriptionSample>> = {
  "staff-exchange.hold-placed": async (context): Promise<Answer<typeof FundHoldPlaced>> => ({
    ...(await answerTo(context)),
    holdId: crypto.randomUUID(),
    journalId: crypto.randomUUID(),
  }),
  "staff-exchange.hold-rejected": async (context): Promise<Answer<typeof FundHoldRejected>> => ({
    ...(await answerTo(context)),
    reason: "insufficient-available",
    detail: "The staff-exchange appropriation has 1,000,000 yen available",
  }),
};
