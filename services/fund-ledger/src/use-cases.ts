import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { HoldRejectionReason } from "@cdp/contracts";
import {
  IdempotencyKeyTaken,
  orRefuse,
  previousResponse,
  Refused,
  recordIdempotentResponse,
  refuse,
  type StoredResponse,
  Transaction,
  TransactionConflict,
  VersionConflict,
  type WriteContext,
} from "@cdp/lambda-kit";
import type * as z from "zod/mini";
import {
  postByReference,
  type ReferenceCommand,
  type ReferenceState,
  rejectedResult,
  requestOutcomeOf,
  voidByReference,
} from "./domain/by-reference.ts";
import { accountIds, BANK, type IncomeSource, PRINCIPAL } from "./domain/chart.ts";
import type { LedgerDecided, Stamp } from "./domain/decide.ts";
import * as decide from "./domain/decide.ts";
import { fiscalYearOf, tokyoDate } from "./domain/fiscal-year.ts";
import type {
  ApprovalRequest,
  ExpenseRequest,
  Hold,
  HoldRequest,
  Journal,
  Programme,
  RequestRecord,
} from "./domain/model.ts";
import { keys } from "./store/layout.ts";
import { LedgerStore, type Loaded, type LoadRequest } from "./store/ledger-store.ts";
import { putRequestRecord, readRequestRecord } from "./store/requests.ts";
import { ShardsNeedRebalancing } from "./store/shards.ts";

/** An HTTP write's idempotency: its key, what makes the request itself, and the response it gets. */
export interface Idempotency<State> {
  readonly key: string;
  readonly fingerprint: string;
  readonly respond: (state: State) => StoredResponse;
}

/** What a write returns: the state it made, or the first response to the same idempotency key. */
export type Outcome<State> =
  | { readonly state: State; readonly replayed?: undefined }
  | { readonly replayed: StoredResponse };

/** Lost races are normal on a hot programme: retried with jittered backoff, many times, before a 409. */
const MAX_ATTEMPTS = 16;
const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 5 * 2 ** attempt)));

const description = (ja: string, en: string) => ({ ja, en });

/**
 * The fund ledger's use cases: load, decide (in `domain/`), commit; again on a lost race. Every write
 * is one transaction, with its idempotency record when it came over HTTP.
 */
export class FundLedger {
  readonly store: LedgerStore;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.store = new LedgerStore(client, tableName);
  }

  stamp(context: WriteContext): Stamp {
    return {
      now: context.now,
      today: tokyoDate(context.now),
      newId: randomUUID,
      actor: context.actor,
      correlationId: context.correlationId,
      requestId: context.requestId,
    };
  }

  /** Load, decide, commit, with the idempotency record; retried on a lost race, rebalanced when shards run dry. */
  async run<State, Found extends Loaded = Loaded>(
    context: WriteContext,
    /** Loads for the decision; `fresh` false allows what this instance last saw (see LedgerStore.load). */
    load: (fresh: boolean) => Promise<Found>,
    decideWith: (loaded: Found) => LedgerDecided<State>,
    idempotency?: Idempotency<State>,
    extra?: (tx: Transaction, state: State) => void,
  ): Promise<Outcome<State>> {
    // The key is not looked up first: its record is written with the change, on condition that it is new, so a
    // repeat is found when that fails, or when the repeat is refused (the first request changed the state).
    const replay = async () =>
      idempotency &&
      (await previousResponse(this.store.client, this.store.tableName, idempotency.key, idempotency.fingerprint));
    let fresh = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const loaded = await load(fresh);
        const outcome = decideWith(loaded);
        if (!outcome.ok && !fresh) {
          fresh = true; // decided on what this instance last saw: decide again on what is there now
          continue;
        }
        if (!outcome.ok) {
          const previous = await replay();
          if (previous) return { replayed: previous };
          throw new Refused(outcome.refusal);
        }
        const { decision } = outcome;
        await this.store.commit(decision, loaded, context, {
          idempotency: idempotency && {
            key: idempotency.key,
            fingerprint: idempotency.fingerprint,
            response: idempotency.respond(decision.state),
          },
          extra: extra && ((tx) => extra(tx, decision.state)),
        });
        return { state: decision.state };
      } catch (error) {
        if (error instanceof IdempotencyKeyTaken) {
          const previous = await replay();
          if (previous) return { replayed: previous };
        }
        if (error instanceof ShardsNeedRebalancing) {
          await this.store.rebalance(error.account, error.needed, context).catch((failure: unknown) => {
            if (!(failure instanceof VersionConflict)) throw failure;
          });
        } else if (!(error instanceof VersionConflict) && !(error instanceof IdempotencyKeyTaken)) {
          throw error;
        }
        if (attempt >= MAX_ATTEMPTS)
          throw error instanceof VersionConflict ? error : new VersionConflict(String(error));
        // After a transaction conflict what this instance saw still stands; after anything else, read afresh.
        fresh = fresh || !(error instanceof TransactionConflict);
        await backoff(attempt);
      }
    }
  }

  private load(request: LoadRequest): (fresh: boolean) => Promise<Loaded> {
    return (fresh) => this.store.load(request, false, !fresh);
  }

  contributeCapital(
    command: { amountYen: number; description: Journal["description"]; reference?: string | undefined },
    context: WriteContext,
    idempotency?: Idempotency<Journal>,
  ): Promise<Outcome<Journal>> {
    return this.run(
      context,
      this.load({ accounts: [BANK, PRINCIPAL] }),
      (loaded) => decide.contributeCapital(loaded.view, command, this.stamp(context)),
      idempotency,
    );
  }

  recordIncome(
    command: {
      source: IncomeSource;
      amountYen: number;
      description: Journal["description"];
      reference?: string | undefined;
    },
    context: WriteContext,
    idempotency?: Idempotency<Journal>,
  ): Promise<Outcome<Journal>> {
    const fiscalYear = fiscalYearOf(tokyoDate(context.now));
    return this.run(
      context,
      this.load({ accounts: [BANK, accountIds.income(fiscalYear, command.source)], fiscalYears: [fiscalYear] }),
      (loaded) => decide.recordIncome(loaded.view, command, this.stamp(context)),
      idempotency,
    );
  }

  appropriate(
    command: { fiscalYear: number; programme: string; amountYen: number; description: Journal["description"] },
    context: WriteContext,
    idempotency?: Idempotency<Journal>,
  ): Promise<Outcome<Journal>> {
    return this.run(
      context,
      this.load({
        accounts: [PRINCIPAL, accountIds.appropriation(command.fiscalYear, command.programme)],
        fiscalYears: [command.fiscalYear],
        programme: command.programme,
      }),
      (loaded) => decide.appropriate(loaded.view, loaded.programme, command, this.stamp(context)),
      idempotency,
    );
  }

  requestHold(
    request: HoldRequest,
    context: WriteContext,
    idempotency?: Idempotency<Hold | ApprovalRequest>,
    extra?: (tx: Transaction, state: Hold | ApprovalRequest) => void,
  ): Promise<Outcome<Hold | ApprovalRequest>> {
    const { fiscalYear, programme } = request;
    return this.run<Hold | ApprovalRequest>(
      context,
      this.load({
        accounts: [accountIds.appropriation(fiscalYear, programme), accountIds.commitments(fiscalYear, programme)],
        fiscalYears: [fiscalYear],
        programme,
      }),
      (loaded) =>
        decide.requestHold(loaded.view, loaded.programme, request, this.stamp(context)) as LedgerDecided<
          Hold | ApprovalRequest
        >,
      idempotency,
      extra,
    );
  }

  private holdAccounts(hold: { fiscalYear: number; programme: string }): string[] {
    return [
      accountIds.appropriation(hold.fiscalYear, hold.programme),
      accountIds.commitments(hold.fiscalYear, hold.programme),
      accountIds.expenses(hold.fiscalYear, hold.programme),
      BANK,
    ];
  }

  /**
   * Loads an entity, then what it touches (the entity names the accounts). A batch read is no snapshot: read in
   * one batch, the balances could already show a change the entity does not (two approvers at once: the second
   * would be refused for want of money instead of as already approved). So a fresh load reads the entity again
   * after the balances: one that still shows its earlier state was read before any change to it was written.
   */
  private loadAround(
    entity: Pick<LoadRequest, "holdId" | "approvalId" | "journalId">,
    touches: (found: Loaded) => Pick<LoadRequest, "accounts" | "fiscalYears"> | undefined,
  ): (fresh: boolean) => Promise<Loaded> {
    return async (fresh) => {
      const first = await this.store.load(entity, true);
      const around = touches(first);
      if (!around) return first;
      if (!fresh) return this.store.load({ ...entity, ...around }, true, true);
      const rest = await this.store.load(around, true);
      const again = await this.store.load(entity, true);
      return { ...rest, hold: again.hold, approval: again.approval, journal: again.journal };
    };
  }

  private loadForHold(holdId: string): (fresh: boolean) => Promise<Loaded> {
    return this.loadAround({ holdId }, ({ hold }) =>
      hold ? { accounts: this.holdAccounts(hold), fiscalYears: [hold.fiscalYear] } : undefined,
    );
  }

  postHold(
    command: { holdId: string; amountYen?: number | undefined; expectedVersion?: number | undefined },
    context: WriteContext,
    idempotency?: Idempotency<Hold>,
  ): Promise<Outcome<Hold>> {
    return this.run(
      context,
      this.loadForHold(command.holdId),
      (loaded) => decide.postHold(loaded.view, loaded.hold, command, this.stamp(context)),
      idempotency,
    );
  }

  voidHold(
    command: {
      holdId: string;
      reason: "voided" | "expired" | "fiscal-year-closed";
      expectedVersion?: number | undefined;
    },
    context: WriteContext,
    idempotency?: Idempotency<Hold>,
  ): Promise<Outcome<Hold>> {
    return this.run(
      context,
      this.loadForHold(command.holdId),
      (loaded) => decide.voidHold(loaded.view, loaded.hold, command, this.stamp(context)),
      idempotency,
    );
  }

  /**
   * A hold asked for by event (`FundHoldRequested.v1`). The requester's reference is recorded in the transaction
   * that acts on it, on condition that it has no record yet: the first request with it is placed, sent for
   * approval, or rejected (answered with `FundHoldRejected.v1` when the requester can act on the reason); a
   * later one, or one whose reference a void closed before it came, is refused as a conflict and changes nothing.
   */
  async requestHoldByEvent(
    request: HoldRequest & { readonly requester: string },
    eventId: string,
    context: WriteContext,
  ): Promise<{ readonly made: Hold | ApprovalRequest } | { readonly rejected: z.infer<typeof HoldRejectionReason> }> {
    const { requester, reference } = request;
    const record = (tx: Transaction, result: string) =>
      putRequestRecord(
        tx,
        { requester, reference, result, eventId },
        () => new Refused(refuse.conflict(`${reference} was acted on already`, "requested")),
      );
    try {
      return {
        made: madeState(await this.requestHold(request, context, undefined, (tx, state) => record(tx, state.id))),
      };
    } catch (error) {
      const reason = error instanceof Refused ? decide.rejectionReasonOf(error.refusal) : undefined;
      if (!(error instanceof Refused) || !reason) throw error;
      const tx = new Transaction(this.store.tableName, context);
      record(tx, rejectedResult(reason));
      tx.publish(decide.holdRejectedEvent(request, reason, error.message));
      await tx.commit(this.store.client);
      return { rejected: reason };
    }
  }

  /**
   * What a requester's reference leads to, read in up to three steps, each naming the next: the reference's
   * record; the hold or approval request it names; then the hold (an approved request names its own) with the
   * accounts and the year it touches. The approval request is read again with them, so every item the decision
   * may write is read on the version its transaction is conditional on.
   */
  private loadByReference(
    command: ReferenceCommand,
  ): (fresh: boolean) => Promise<Loaded & { readonly found: ReferenceState }> {
    return async (fresh) => {
      const record = await readRequestRecord(
        this.store.client,
        this.store.tableName,
        command.requester,
        command.reference,
      );
      const outcome = record && requestOutcomeOf(record.result);
      const made = outcome?.kind === "made" ? outcome.id : undefined;
      const named = made ? await this.store.load({ holdId: made, approvalId: made }, true) : await this.store.load({});
      const holdId = named.hold?.id ?? (named.approval?.status === "approved" ? named.approval.resultId : undefined);
      const touched = named.hold ?? named.approval;
      const loaded =
        holdId && touched
          ? await this.store.load(
              {
                holdId,
                approvalId: named.approval?.id,
                accounts: this.holdAccounts(touched),
                fiscalYears: [touched.fiscalYear],
              },
              true,
              !fresh,
            )
          : named;
      return { ...loaded, found: { record, approval: loaded.approval, hold: loaded.hold } };
    };
  }

  /**
   * `FundHoldPostRequested.v1`: the hold the requester asked for under its reference is posted as by `postHold`
   * (0: voided as by `voidHold`). See domain/by-reference.ts for what is refused and why.
   */
  async postHoldByReference(
    command: ReferenceCommand & { readonly amountYen: number },
    context: WriteContext,
  ): Promise<Hold> {
    return madeState(
      await this.run(context, this.loadByReference(command), (loaded) =>
        postByReference(loaded.view, loaded.found, command, this.stamp(context)),
      ),
    );
  }

  /**
   * `FundHoldVoidRequested.v1`: the hold is voided as by `voidHold`, a request awaiting approval withdrawn, or a
   * reference not seen yet closed before its request. See domain/by-reference.ts.
   */
  async voidHoldByReference(
    command: ReferenceCommand & { readonly reason: string; readonly eventId?: string | undefined },
    context: WriteContext,
  ): Promise<Hold | ApprovalRequest | RequestRecord> {
    return madeState(
      await this.run<Hold | ApprovalRequest | RequestRecord, Loaded & { readonly found: ReferenceState }>(
        context,
        this.loadByReference(command),
        (loaded) => voidByReference(loaded.view, loaded.found, command, this.stamp(context)),
      ),
    );
  }

  spend(
    request: ExpenseRequest,
    context: WriteContext,
    idempotency?: Idempotency<Journal | ApprovalRequest>,
  ): Promise<Outcome<Journal | ApprovalRequest>> {
    return this.run<Journal | ApprovalRequest>(
      context,
      this.load({
        accounts: this.holdAccounts(request),
        fiscalYears: [request.fiscalYear],
        programme: request.programme,
      }),
      (loaded) =>
        decide.spend(loaded.view, loaded.programme, request, this.stamp(context)) as LedgerDecided<
          Journal | ApprovalRequest
        >,
      idempotency,
    );
  }

  private loadForApproval(approvalId: string): (fresh: boolean) => Promise<Loaded> {
    return this.loadAround({ approvalId }, ({ approval }) =>
      approval ? { accounts: this.holdAccounts(approval), fiscalYears: [approval.fiscalYear] } : undefined,
    );
  }

  approve(
    approvalId: string,
    context: WriteContext,
    idempotency?: Idempotency<ApprovalRequest>,
  ): Promise<Outcome<ApprovalRequest>> {
    return this.run(
      context,
      this.loadForApproval(approvalId),
      (loaded) => decide.approve(loaded.view, loaded.approval, { approvalId }, this.stamp(context)),
      idempotency,
    );
  }

  reject(
    approvalId: string,
    reason: string,
    context: WriteContext,
    idempotency?: Idempotency<ApprovalRequest>,
  ): Promise<Outcome<ApprovalRequest>> {
    return this.run(
      context,
      () => this.store.load({ approvalId }, true),
      (loaded) => decide.reject(loaded.approval, { approvalId, reason }, this.stamp(context)),
      idempotency,
    );
  }

  reverse(
    command: { journalId: string; description?: Journal["description"] | undefined },
    context: WriteContext,
    idempotency?: Idempotency<Journal>,
  ): Promise<Outcome<Journal>> {
    return this.run(
      context,
      this.loadAround({ journalId: command.journalId }, ({ journal }) =>
        journal
          ? { accounts: journal.lines.map((line) => line.account), fiscalYears: [journal.fiscalYear] }
          : undefined,
      ),
      (loaded) =>
        decide.reverse(
          loaded.view,
          loaded.journal,
          {
            journalId: command.journalId,
            description: command.description ?? description("仕訳の取消", `Reversal of journal ${command.journalId}`),
          },
          this.stamp(context),
        ),
      idempotency,
    );
  }
}

/** The state a write without an idempotency key made (such a write is never answered as a replay). */
function madeState<State>(outcome: Outcome<State>): State {
  if (outcome.replayed) throw new Error("a write without an idempotency key was answered as a replay");
  return outcome.state;
}

/** Adds a programme: one item, on condition that it is new. */
export async function addProgramme(
  store: LedgerStore,
  command: { id: string; name: Programme["name"]; approvalThresholdYen?: number | undefined },
  context: WriteContext,
  idempotency?: Idempotency<Programme>,
): Promise<Outcome<Programme>> {
  const stamp = {
    now: context.now,
    today: tokyoDate(context.now),
    newId: randomUUID,
    actor: context.actor,
    correlationId: context.correlationId,
  };
  if (idempotency) {
    const previous = await previousResponse(store.client, store.tableName, idempotency.key, idempotency.fingerprint);
    if (previous) return { replayed: previous };
  }
  const { programme: existing } = await store.load({ programme: command.id }, true);
  const programme = orRefuse(decide.addProgramme(existing, command, stamp)).state;
  const tx = new Transaction(store.tableName, context);
  tx.put(
    { ...keys.programme(programme.id), ...programme },
    {
      expression: "attribute_not_exists(pk)",
      onFailed: () => new Refused(refuse.conflict(`Programme ${programme.id} exists already`, "exists")),
    },
  );
  if (idempotency)
    recordIdempotentResponse(tx, idempotency.key, idempotency.fingerprint, idempotency.respond(programme), context.now);
  tx.audit({ entity: `programme/${programme.id}`, action: "add", beforeVersion: null, afterVersion: 1 });
  await tx.commit(store.client);
  return { state: programme };
}
