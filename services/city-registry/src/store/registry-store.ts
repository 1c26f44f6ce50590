import { randomUUID } from "node:crypto";
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
import {
  AgreementConcluded,
  PartnerRegistered,
  PartnerUpdated,
  RelationDormant,
  RelationEstablished,
} from "@cdp/contracts";
import {
  facetsIn,
  type Page,
  problems,
  putFacetCopies,
  queryAll,
  queryPage,
  Transaction,
  VersionConflict,
  type WriteContext,
  withoutKeys,
  withRetries,
} from "@cdp/lambda-kit";
import { tokyoDate } from "../domain/dates.ts";
import { isDormant, lastExchangeOn } from "../domain/dormancy.ts";
import type {
  Agreement,
  AgreementInput,
  CategoryType,
  CooperationArea,
  Partner,
  PartnerInput,
  PartnerPatch,
  Project,
  ProjectInput,
  RecordedVisit,
  RelationStatus,
} from "../domain/model.ts";
import { priorityScore } from "../domain/priority.ts";
import { establishment } from "../domain/relation.ts";
import { type EstablishedRelation, type TargetsProgress, targetsProgress } from "../domain/targets.ts";
import {
  AGREEMENT_REVIEW_INDEX,
  AGREEMENTS_INDEX,
  agreementSk,
  ESTABLISHED_INDEX,
  establishedKey,
  facetsOf,
  invertedScore,
  PARTNER_FACET_PREFIX,
  PROJECTS_INDEX,
  partnerKey,
  partnerPk,
  projectKey,
  projectLinkKey,
  visitKey,
} from "./keys.ts";

export interface PartnerFilter {
  readonly category?: CategoryType | undefined;
  readonly status?: RelationStatus | undefined;
  readonly country?: string | undefined;
  readonly area?: CooperationArea | undefined;
  readonly sort: "id" | "priority";
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** Everything stored under one partner: loaded with a single Query. */
interface PartnerCollection {
  readonly partner: Partner;
  readonly facets: string[];
  readonly agreements: Agreement[];
  readonly visits: RecordedVisit[];
  readonly projects: Project[];
}

export class RegistryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  // ---- partners -------------------------------------------------------------------------------

  async createPartner(input: PartnerInput, context: WriteContext): Promise<Partner> {
    const now = context.now.toISOString();
    const partner: Partner = {
      ...input,
      relation: input.relation ?? { status: "prospect", since: tokyoDate(context.now) },
      established: null,
      priorityScore: priorityScore(input, context.now.getUTCFullYear()),
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    const tx = new Transaction(this.tableName, context).put(
      { ...partnerKey(partner.id), ...partner },
      {
        expression: "attribute_not_exists(pk)",
        onFailed: () => problems.conflict(`A partner with the id ${partner.id} exists`, { partnerId: partner.id }),
      },
    );
    this.putFacets(tx, partner, []);
    tx.publish(PartnerRegistered, {
      partnerId: partner.id,
      name: partner.name,
      kind: partner.kind,
      country: partner.country,
      status: partner.relation.status,
      contacts: partner.contacts,
      version: partner.version,
    });
    tx.audit({ entity: `partner#${partner.id}`, action: "partner.registered", beforeVersion: null, afterVersion: 1 });
    await tx.commit(this.client);
    return partner;
  }

  async getPartner(id: string): Promise<Partner | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: partnerKey(id) }));
    return Item ? withoutKeys<Partner>(Item) : undefined;
  }

  async updatePartner(
    id: string,
    patch: PartnerPatch,
    expectedVersion: number,
    context: WriteContext,
  ): Promise<Partner> {
    const current = await this.loadCollection(id);
    if (!current) throw problems.notFound(`Partner ${id}`);
    if (current.partner.version !== expectedVersion) throw problems.preconditionFailed(current.partner.version);
    const merged = { ...current.partner, ...patch };
    const updated: Partner = {
      ...merged,
      priorityScore: priorityScore(merged, context.now.getUTCFullYear()),
      version: current.partner.version + 1,
      updatedAt: context.now.toISOString(),
    };
    const tx = new Transaction(this.tableName, context);
    this.putPartnerIfVersion(tx, updated, expectedVersion, (item) =>
      problems.preconditionFailed(Number(item?.version ?? 0)),
    );
    this.putFacets(tx, updated, current.facets);
    tx.publish(PartnerUpdated, {
      partnerId: updated.id,
      name: updated.name,
      kind: updated.kind,
      country: updated.country,
      status: updated.relation.status,
      contacts: updated.contacts,
      version: updated.version,
    });
    tx.audit({
      entity: `partner#${id}`,
      action: "partner.updated",
      beforeVersion: expectedVersion,
      afterVersion: updated.version,
    });
    await tx.commit(this.client);
    return updated;
  }

  async listPartners(filter: PartnerFilter): Promise<Page<Partner>> {
    // Query the most selective facet; the other filters become a filter expression on the copies.
    const facet = filter.category
      ? `category#${filter.category}`
      : filter.area
        ? `area#${filter.area}`
        : filter.country
          ? `country#${filter.country}`
          : filter.status
            ? `status#${filter.status}`
            : "all";
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ":facet": `${PARTNER_FACET_PREFIX}${facet}` };
    if (filter.status && facet !== `status#${filter.status}`) {
      conditions.push("#relation.#status = :status");
      Object.assign(names, { "#relation": "relation", "#status": "status" });
      values[":status"] = filter.status;
    }
    if (filter.country && facet !== `country#${filter.country}`) {
      conditions.push("#country = :country");
      names["#country"] = "country";
      values[":country"] = filter.country;
    }
    if (filter.area && facet !== `area#${filter.area}`) {
      conditions.push("contains(#areas, :area)");
      names["#areas"] = "cooperationAreas";
      values[":area"] = filter.area;
    }
    const index = filter.sort === "priority" ? "gsi2" : "gsi1";
    return queryPage<Partner>(
      this.client,
      {
        TableName: this.tableName,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :facet`,
        ...(conditions.length > 0 && { FilterExpression: conditions.join(" AND "), ExpressionAttributeNames: names }),
        ExpressionAttributeValues: values,
      },
      filter.limit,
      filter.cursor,
      (item) => withoutKeys<Partner>(item),
    );
  }

  // ---- agreements -----------------------------------------------------------------------------

  async concludeAgreement(partnerId: string, input: AgreementInput, context: WriteContext): Promise<Agreement> {
    const agreement: Agreement = {
      ...input,
      id: randomUUID(),
      partnerId,
      reviewOn: input.reviewOn ?? null,
      expiresOn: input.expiresOn ?? null,
      supersedes: input.supersedes ?? null,
      createdAt: context.now.toISOString(),
    };
    await withRetries(async () => {
      const current = await this.loadCollection(partnerId);
      if (!current) throw problems.notFound(`Partner ${partnerId}`);
      if (agreement.supersedes && !current.agreements.some((a) => a.id === agreement.supersedes)) {
        throw problems.conflict(`Agreement ${agreement.supersedes} is not one of ${partnerId}'s agreements`, {
          supersedes: agreement.supersedes,
        });
      }
      const tx = new Transaction(this.tableName, context).put({
        pk: partnerPk(partnerId),
        sk: agreementSk(agreement.signedOn, agreement.id),
        gsi1pk: AGREEMENTS_INDEX,
        gsi1sk: `${agreement.signedOn}#${partnerId}#${agreement.id}`,
        ...(agreement.reviewOn && {
          gsi2pk: AGREEMENT_REVIEW_INDEX,
          gsi2sk: `${agreement.reviewOn}#${partnerId}#${agreement.id}`,
        }),
        ...agreement,
      });
      tx.publish(AgreementConcluded, {
        partnerId,
        agreementId: agreement.id,
        type: agreement.type,
        title: agreement.title,
        signedOn: agreement.signedOn,
      });
      this.applyExchange(
        tx,
        current,
        { agreements: [...current.agreements, agreement], visits: current.visits },
        context,
      );
      tx.audit({
        entity: `agreement#${agreement.id}`,
        action: "agreement.concluded",
        beforeVersion: null,
        afterVersion: 1,
      });
      await tx.commit(this.client);
    });
    return agreement;
  }

  async listPartnerAgreements(partnerId: string, limit: number, cursor?: string): Promise<Page<Agreement>> {
    if (!(await this.getPartner(partnerId))) throw problems.notFound(`Partner ${partnerId}`);
    return queryPage<Agreement>(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :agreement)",
        ExpressionAttributeValues: { ":pk": partnerPk(partnerId), ":agreement": "AGREEMENT#" },
      },
      limit,
      cursor,
      (item) => withoutKeys<Agreement>(item),
    );
  }

  async listAgreements(reviewDueBefore: string | undefined, limit: number, cursor?: string): Promise<Page<Agreement>> {
    const query: QueryCommandInput = reviewDueBefore
      ? {
          TableName: this.tableName,
          IndexName: "gsi2",
          KeyConditionExpression: "gsi2pk = :index AND gsi2sk < :before",
          ExpressionAttributeValues: { ":index": AGREEMENT_REVIEW_INDEX, ":before": reviewDueBefore },
        }
      : {
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :index",
          ExpressionAttributeValues: { ":index": AGREEMENTS_INDEX },
        };
    return queryPage<Agreement>(this.client, query, limit, cursor, (item) => withoutKeys<Agreement>(item));
  }

  // ---- visits ---------------------------------------------------------------------------------

  /**
   * Records a completed visit for one partner. A visit already recorded changes nothing (returns false),
   * whatever event brought it again. An unknown partner is skipped: the registry cannot relate to it.
   */
  async recordVisit(
    partnerId: string,
    visit: RecordedVisit,
    context: WriteContext,
  ): Promise<"recorded" | "duplicate" | "unknown-partner"> {
    return withRetries(async () => {
      const current = await this.loadCollection(partnerId);
      if (!current) return "unknown-partner" as const;
      if (current.visits.some((v) => v.visitId === visit.visitId)) return "duplicate" as const;
      const tx = new Transaction(this.tableName, context).put(
        { ...visitKey(partnerId, visit.visitId), ...visit, recordedAt: context.now.toISOString() },
        { expression: "attribute_not_exists(pk)", onFailed: () => new VersionConflict() },
      );
      this.applyExchange(tx, current, { agreements: current.agreements, visits: [...current.visits, visit] }, context);
      tx.audit({
        entity: `partner#${partnerId}`,
        action: "visit.recorded",
        beforeVersion: current.partner.version,
        afterVersion: current.partner.version + 1,
      });
      await tx.commit(this.client);
      return "recorded" as const;
    });
  }

  // ---- projects -------------------------------------------------------------------------------

  async createProject(input: ProjectInput, context: WriteContext): Promise<Project> {
    const project: Project = {
      ...input,
      id: randomUUID(),
      endDate: input.endDate ?? null,
      createdAt: context.now.toISOString(),
    };
    const known = await this.existingPartners(project.partnerIds);
    const unknown = project.partnerIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw problems.notFound(`Partner ${unknown.join(", ")}`);
    const tx = new Transaction(this.tableName, context).put({
      ...projectKey(project.id),
      gsi1pk: PROJECTS_INDEX,
      gsi1sk: `${project.startDate}#${project.id}`,
      ...project,
    });
    for (const partnerId of project.partnerIds) {
      // The link holds a copy so a partner's projects come back from one Query; the partner must still exist.
      tx.put(
        { ...projectLinkKey(partnerId, project.id), ...project },
        { expression: "attribute_not_exists(pk)", onFailed: () => problems.conflict("Project id clash; retry") },
      );
      tx.check(partnerKey(partnerId), {
        expression: "attribute_exists(pk)",
        onFailed: () => problems.notFound(`Partner ${partnerId}`),
      });
    }
    tx.audit({ entity: `project#${project.id}`, action: "project.created", beforeVersion: null, afterVersion: 1 });
    await tx.commit(this.client);
    return project;
  }

  async listProjects(partnerId: string | undefined, limit: number, cursor?: string): Promise<Page<Project>> {
    const query: QueryCommandInput = partnerId
      ? {
          TableName: this.tableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :project)",
          ExpressionAttributeValues: { ":pk": partnerPk(partnerId), ":project": "PROJECT#" },
        }
      : {
          TableName: this.tableName,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :index",
          ExpressionAttributeValues: { ":index": PROJECTS_INDEX },
        };
    return queryPage<Project>(this.client, query, limit, cursor, (item) => withoutKeys<Project>(item));
  }

  // ---- targets and dormancy ------------------------------------------------------------------------

  async targetsProgress(asOf: string): Promise<TargetsProgress> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: "gsi1",
      KeyConditionExpression: "gsi1pk = :index",
      ExpressionAttributeValues: { ":index": ESTABLISHED_INDEX },
    });
    const relations: EstablishedRelation[] = items.map((item) => ({
      partnerId: String(item.partnerId),
      on: String(item.on),
    }));
    return targetsProgress(relations, asOf);
  }

  /** Marks every established partner without exchange in 24 months dormant; returns their ids. */
  async markDormantRelations(context: WriteContext): Promise<string[]> {
    const today = tokyoDate(context.now);
    const marked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listPartners({ status: "established", sort: "id", limit: 100, cursor });
      for (const candidate of page.items) {
        const became = await withRetries(async () => {
          const current = await this.loadCollection(candidate.id);
          if (!current) return false;
          const last = lastExchangeOn(current, today);
          if (!isDormant(current.partner.relation.status, last, today)) return false;
          const dormant: Partner = {
            ...current.partner,
            relation: { status: "dormant", since: today },
            version: current.partner.version + 1,
            updatedAt: context.now.toISOString(),
          };
          const tx = new Transaction(this.tableName, context);
          this.putPartnerIfVersion(tx, dormant, current.partner.version, () => new VersionConflict());
          this.putFacets(tx, dormant, current.facets);
          tx.publish(RelationDormant, { partnerId: dormant.id, lastExchangeOn: last, since: today });
          tx.audit({
            entity: `partner#${dormant.id}`,
            action: "relation.dormant",
            beforeVersion: current.partner.version,
            afterVersion: dormant.version,
          });
          await tx.commit(this.client);
          return true;
        });
        if (became) marked.push(candidate.id);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return marked;
  }

  // ---- internals ------------------------------------------------------------------------------

  /**
   * After an agreement or a visit: recompute when the relation became concrete, revive a dormant one,
   * and publish RelationEstablished the first time it becomes concrete.
   */
  private applyExchange(
    tx: Transaction,
    current: PartnerCollection,
    exchanges: { agreements: readonly Agreement[]; visits: readonly RecordedVisit[] },
    context: WriteContext,
  ): void {
    const before = current.partner;
    const reached = establishment(exchanges.agreements, exchanges.visits);
    const today = tokyoDate(context.now);
    let relation = before.relation;
    if (reached && (before.relation.status === "prospect" || before.relation.status === "engaging")) {
      relation = { status: "established", since: reached.on };
    } else if (reached && before.relation.status === "dormant") {
      relation = { status: "established", since: today };
    }
    const updated: Partner = {
      ...before,
      relation,
      established: reached ?? before.established,
      version: before.version + 1,
      updatedAt: context.now.toISOString(),
    };
    this.putPartnerIfVersion(tx, updated, before.version, () => new VersionConflict());
    this.putFacets(tx, updated, current.facets);
    if (reached && (before.established === null || before.established.on !== reached.on)) {
      tx.put({
        ...establishedKey(before.id),
        gsi1pk: ESTABLISHED_INDEX,
        gsi1sk: `${reached.on}#${before.id}`,
        partnerId: before.id,
        on: reached.on,
        basis: reached.basis,
      });
    }
    if (reached && before.established === null) {
      tx.publish(RelationEstablished, { partnerId: before.id, establishedOn: reached.on, basis: reached.basis });
    }
  }

  private putPartnerIfVersion(
    tx: Transaction,
    partner: Partner,
    expectedVersion: number,
    onFailed: (item: Record<string, unknown> | undefined) => Error,
  ): void {
    tx.put(
      { ...partnerKey(partner.id), ...partner },
      { expression: "version = :expected", values: { ":expected": expectedVersion }, onFailed },
    );
  }

  /** Writes the partner's facet copies and deletes those it no longer belongs to. */
  private putFacets(tx: Transaction, partner: Partner, previous: readonly string[]): void {
    putFacetCopies(tx, {
      pk: partnerPk(partner.id),
      indexPrefix: PARTNER_FACET_PREFIX,
      facets: facetsOf(partner),
      previous,
      item: partner,
      sortKeys: { gsi1sk: partner.id, gsi2sk: `${invertedScore(partner.priorityScore)}#${partner.id}` },
    });
  }

  private async loadCollection(partnerId: string): Promise<PartnerCollection | undefined> {
    let partner: Partner | undefined;
    const agreements: Agreement[] = [];
    const visits: RecordedVisit[] = [];
    const projects: Project[] = [];
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: "pk = :pk",
      ExpressionAttributeValues: { ":pk": partnerPk(partnerId) },
      ConsistentRead: true,
    });
    const facets = facetsIn(items);
    for (const item of items) {
      const sk = String(item.sk);
      if (sk === "PARTNER") partner = withoutKeys<Partner>(item);
      else if (sk.startsWith("AGREEMENT#")) agreements.push(withoutKeys<Agreement>(item));
      else if (sk.startsWith("VISIT#")) visits.push(withoutKeys<RecordedVisit>(item));
      else if (sk.startsWith("PROJECT#")) projects.push(withoutKeys<Project>(item));
    }
    return partner ? { partner, facets, agreements, visits, projects } : undefined;
  }

  private async existingPartners(ids: readonly string[]): Promise<Set<string>> {
    const { Responses } = await this.client.send(
      new BatchGetCommand({
        RequestItems: { [this.tableName]: { Keys: ids.map(partnerKey), ProjectionExpression: "id" } },
      }),
    );
    return new Set((Responses?.[this.tableName] ?? []).map((item) => String(item.id)));
  }
}
