import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  batchGetAll,
  type Decided,
  type Decision,
  orRefuse,
  Refused,
  refuse,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
  withRetries,
} from "@cdp/lambda-kit";
import { markDormant } from "../domain/dormancy.ts";
import { concludeAgreement, type ExchangeOutcome, recordCall, recordVisit } from "../domain/exchanges.ts";
import type {
  Agreement,
  AgreementInput,
  Partner,
  PartnerInput,
  PartnerPatch,
  Project,
  ProjectInput,
  RecordedCall,
  RecordedVisit,
} from "../domain/model.ts";
import { alreadyRegistered, registerPartner, updatePartner } from "../domain/partners.ts";
import { createProject } from "../domain/projects.ts";
import { partnerKey } from "./keys.ts";
import {
  agreementItem,
  callItem,
  establishedItem,
  type LoadedPartner,
  loadPartner,
  projectItem,
  projectLinkItem,
  putPartner,
  visitItem,
} from "./layout.ts";
import { RegistryReads } from "./registry-reads.ts";

/**
 * The registry's writes: load the state, let the domain decide (domain/), write the decision in one
 * transaction with its events and audit record. A refusal is thrown as `Refused` for the kit to map.
 * A decision made on a version that changed meanwhile is re-made on the new state (`withRetries`),
 * except an update, where the writer's If-Match version is what must hold (412).
 */
export class RegistryStore {
  private readonly reads: RegistryReads;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.reads = new RegistryReads(client, tableName);
  }

  async createPartner(input: PartnerInput, context: WriteContext): Promise<Partner> {
    const existing = await this.reads.getPartner(input.id, { consistent: true });
    const decision = orRefuse(registerPartner(existing, input, context.now));
    await this.commit(context, decision, (tx) =>
      putPartner(tx, decision.state, {
        expectedVersion: null,
        previousFacets: [],
        // Registered by someone else since it was read.
        onFailed: (item) => new Refused(alreadyRegistered(item ? withoutKeys<Partner>(item) : decision.state)),
      }),
    );
    return decision.state;
  }

  async updatePartner(
    partnerId: string,
    patch: PartnerPatch,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<Partner> {
    const current = await this.load(partnerId);
    const decision = orRefuse(updatePartner(current, { partnerId, patch, expectedVersion }, context.now));
    await this.commit(context, decision, (tx) =>
      putPartner(tx, decision.state, {
        expectedVersion: decision.expectedVersion,
        previousFacets: current?.facets ?? [],
        onFailed: (item) => new Refused(refuse.stale(Number(item?.version ?? 0))),
      }),
    );
    return decision.state;
  }

  async concludeAgreement(partnerId: string, input: AgreementInput, context: WriteContext): Promise<Agreement> {
    const agreementId = randomUUID();
    return withRetries(async () => {
      const current = await this.load(partnerId);
      const decision = orRefuse(concludeAgreement(current, { partnerId, agreementId, input }, context.now));
      await this.commit(context, decision, (tx) => {
        tx.put(agreementItem(decision.agreement));
        this.putExchange(tx, current, decision);
      });
      return decision.agreement;
    });
  }

  /** Records a completed visit for one partner: refused as not found (unknown partner) or conflict (recorded). */
  recordVisit(partnerId: string, visit: RecordedVisit, context: WriteContext): Promise<Partner> {
    return this.recordExchange(
      partnerId,
      (current) => recordVisit(current, { partnerId, visit }, context.now),
      (decision) => visitItem(partnerId, decision.visit),
      context,
    );
  }

  /** Records a courtesy call that took place with one partner, refused as a visit is. */
  recordCall(partnerId: string, call: RecordedCall, context: WriteContext): Promise<Partner> {
    return this.recordExchange(
      partnerId,
      (current) => recordCall(current, { partnerId, call }, context.now),
      (decision) => callItem(partnerId, decision.call),
      context,
    );
  }

  /** An exchange recorded once: its own item (written only if absent), and the partner after it. */
  private recordExchange<Extra extends ExchangeOutcome>(
    partnerId: string,
    decide: (current: LoadedPartner | undefined) => Decided<Partner, Extra>,
    itemOf: (decision: Decision<Partner, Extra>) => Record<string, unknown> & { pk: string; sk: string },
    context: WriteContext,
  ): Promise<Partner> {
    return withRetries(async () => {
      const current = await this.load(partnerId);
      const decision = orRefuse(decide(current));
      await this.commit(context, decision, (tx) => {
        // The same exchange recorded meanwhile: re-read, and the domain refuses it as recorded.
        tx.put(itemOf(decision), { expression: "attribute_not_exists(pk)", onFailed: () => new VersionConflict() });
        this.putExchange(tx, current, decision);
      });
      return decision.state;
    });
  }

  /**
   * A project, its link under each partner and the audit record: 1 + partners + 1 actions (52 at the
   * 50 partners allowed). Partners are checked with a consistent read just before, not by a
   * ConditionCheck each in the transaction: partners are never deleted, so one that exists then still
   * exists at the write, and the transaction stays well within 100 actions.
   */
  async createProject(input: ProjectInput, context: WriteContext): Promise<Project> {
    return withRetries(async () => {
      const found = await batchGetAll(this.client, this.tableName, input.partnerIds.map(partnerKey), {
        projection: "id",
        consistent: true,
      });
      const known = new Set(found.map((item) => String(item.id)));
      const decision = orRefuse(createProject(known, { projectId: randomUUID(), input }, context.now));
      await this.commit(context, decision, (tx) => {
        // A clash of random ids is all but impossible; if it happens, decide again with a new one.
        tx.put(projectItem(decision.state), {
          expression: "attribute_not_exists(pk)",
          onFailed: () => new VersionConflict("project id clash"),
        });
        for (const partnerId of decision.state.partnerIds) tx.put(projectLinkItem(partnerId, decision.state));
      });
      return decision.state;
    });
  }

  /** Marks every established partner without exchange in 24 months dormant; returns their ids. */
  async markDormantRelations(context: WriteContext): Promise<string[]> {
    const marked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.reads.listPartners({ status: "established", sort: "id", limit: 100, cursor });
      for (const candidate of page.items) {
        const became = await withRetries(async () => {
          const current = await this.load(candidate.id);
          const outcome = markDormant(current, candidate.id, context.now);
          // Refused: no longer established, or an exchange within the window. Nothing to mark.
          if (!outcome.ok) return false;
          const { decision } = outcome;
          await this.commit(context, decision, (tx) =>
            putPartner(tx, decision.state, {
              expectedVersion: decision.expectedVersion,
              previousFacets: current?.facets ?? [],
              onFailed: () => new VersionConflict(),
            }),
          );
          return true;
        });
        if (became) marked.push(candidate.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return marked;
  }

  // ---- internals ------------------------------------------------------------------------------

  private load(partnerId: string): Promise<LoadedPartner | undefined> {
    return loadPartner(this.client, this.tableName, partnerId);
  }

  /** The partner after an exchange, on the version it was decided on, and its ESTABLISHED index item. */
  private putExchange(
    tx: Transaction,
    current: LoadedPartner | undefined,
    decision: Decision<Partner, ExchangeOutcome>,
  ): void {
    putPartner(tx, decision.state, {
      expectedVersion: decision.expectedVersion,
      previousFacets: current?.facets ?? [],
      onFailed: () => new VersionConflict(),
    });
    if (decision.establishedIndex) tx.put(establishedItem(decision.establishedIndex));
  }

  /** One transaction: what `lay` writes, then the decision's events (outbox) and its audit record. */
  private async commit(
    context: WriteContext,
    decision: Decision<unknown>,
    lay: (tx: Transaction) => void,
  ): Promise<void> {
    const tx = new Transaction(this.tableName, context);
    lay(tx);
    tx.publishAll(decision.events).audit(decision.audit);
    await tx.commit(this.client);
  }
}
