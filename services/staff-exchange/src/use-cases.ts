import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { tokyoDate } from "@cdp/contracts";
import { orRefuse, type WriteContext, withRetries } from "@cdp/lambda-kit";
import {
  approvePlacement,
  cancelPlacement,
  completePlacement,
  createProgramme,
  editPlacement,
  flagFundingOverdue,
  holdPlaced,
  holdRejected,
  type PersonTerms,
  type PlacementDecided,
  proposePlacement,
  requestFundingAgain,
  requestTopUp,
  type Stamp,
  startPlacement,
} from "./domain/decide.ts";
import type {
  CostBreakdown,
  Placement,
  PlacementInput,
  PlacementPatch,
  Programme,
  ProgrammeInput,
} from "./domain/model.ts";
import { PlacementStore } from "./store/placement-store.ts";
import { ProgrammeStore } from "./store/programme-store.ts";

const NO_TERMS: PersonTerms = { terms: [], version: null };

/**
 * The use cases of the staff exchange, each the same three steps: load through a store, decide in the
 * domain (a refusal is thrown as `Refused` for the kit to map), write the decision in one transaction.
 * A write that lost a race is tried again from a fresh read, which sees the winner. Handlers, tests and
 * the benchmark all go through here.
 */
export class StaffExchange {
  readonly programmes: ProgrammeStore;
  readonly placements: PlacementStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.programmes = new ProgrammeStore(client, tableName);
    this.placements = new PlacementStore(client, tableName);
  }

  createProgramme(input: ProgrammeInput, context: WriteContext): Promise<Programme> {
    return withRetries(async () => {
      const [existing, known] = await Promise.all([
        this.programmes.get(input.partnerId),
        this.programmes.knows(input.partnerId, input.agreementId),
      ]);
      return this.programmes.commit(orRefuse(createProgramme(input, existing, known, context.now)), context);
    });
  }

  propose(input: PlacementInput, context: WriteContext): Promise<Placement> {
    return withRetries(async () => {
      const [programme, person] = await Promise.all([
        this.programmes.get(input.programmeId),
        this.placements.personTerms(input.person.staffId),
      ]);
      return this.placements.commit(orRefuse(proposePlacement(input, programme, person, stampOf(context))), context);
    });
  }

  edit(id: string, patch: PlacementPatch, expectedVersion: number, context: WriteContext): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => {
      const [programme, person] = await Promise.all([
        placement && this.programmes.get(placement.programmeId),
        placement ? this.placements.personTerms(placement.person.staffId) : NO_TERMS,
      ]);
      return editPlacement(placement, { patch, expectedVersion }, programme, person, stamp);
    });
  }

  approve(id: string, expectedVersion: number | undefined, context: WriteContext): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => {
      const [programme, used] = await Promise.all([
        placement && this.programmes.get(placement.programmeId),
        placement
          ? this.placements.quotaUsed(placement.programmeId, placement.fiscalYear, placement.direction)
          : { placements: 0, days: 0 },
      ]);
      return approvePlacement(placement, { expectedVersion }, programme, used, stamp);
    });
  }

  requestFunding(
    id: string,
    command: { estimate?: CostBreakdown | undefined; expectedVersion?: number | undefined },
    context: WriteContext,
  ): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) =>
      requestFundingAgain(placement, command, placement && (await this.programmes.get(placement.programmeId)), stamp),
    );
  }

  topUp(id: string, command: { amountYen: number; expectedVersion?: number | undefined }, context: WriteContext) {
    return this.change(id, context, async (placement, stamp) =>
      requestTopUp(placement, command, placement && (await this.programmes.get(placement.programmeId)), stamp),
    );
  }

  start(id: string, expectedVersion: number | undefined, context: WriteContext): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => startPlacement(placement, { expectedVersion }, stamp));
  }

  complete(
    id: string,
    command: { actual: CostBreakdown; expectedVersion?: number | undefined },
    context: WriteContext,
  ): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => completePlacement(placement, command, stamp));
  }

  cancel(
    id: string,
    command: { reason: string; incurredYen?: number | undefined; expectedVersion?: number | undefined },
    context: WriteContext,
  ): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => {
      const [programme, person] = await Promise.all([
        placement && this.programmes.get(placement.programmeId),
        placement ? this.placements.personTerms(placement.person.staffId) : NO_TERMS,
      ]);
      return cancelPlacement(placement, command, programme, person, stamp);
    });
  }

  onHoldPlaced(id: string, answer: { reference: string; holdId: string; amountYen: number }, context: WriteContext) {
    return this.change(id, context, async (placement, stamp) => holdPlaced(placement, answer, stamp));
  }

  onHoldRejected(id: string, answer: { reference: string; reason: string; detail: string }, context: WriteContext) {
    return this.change(id, context, async (placement, stamp) => holdRejected(placement, answer, stamp));
  }

  flagFundingOverdue(id: string, waitHours: number, context: WriteContext): Promise<Placement> {
    return this.change(id, context, async (placement, stamp) => flagFundingOverdue(placement, waitHours, stamp));
  }

  /** Load the placement (strongly: an answer may follow its request within milliseconds), decide, commit. */
  private change(
    id: string,
    context: WriteContext,
    decide: (placement: Placement | undefined, stamp: Stamp) => Promise<PlacementDecided>,
  ): Promise<Placement> {
    return withRetries(async () => {
      const placement = await this.placements.get(id, true);
      return this.placements.commit(orRefuse(await decide(placement, stampOf(context))), context);
    });
  }
}

export function stampOf(context: WriteContext): Stamp {
  return { now: context.now, today: tokyoDate(context.now), newId: randomUUID };
}
