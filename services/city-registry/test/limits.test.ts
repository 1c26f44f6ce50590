import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import { ITEM_MAX_BYTES, itemSize, TRANSACTION_MAX_ACTIONS, TRANSACTION_MAX_BYTES } from "@cdp/lambda-kit";
import { answer, eventBridgeEvent, eventMetadata, httpEvent, lambdaContext } from "@cdp/lambda-kit/testing";
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { beforeAll, describe, expect, it } from "vitest";
import {
  CategoryType,
  CooperationArea,
  MAX_AUTHENTIC_LANGUAGES,
  MAX_CONTACTS,
  MAX_GAMES,
  MAX_PROJECT_PARTNERS,
} from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";

/**
 * Every write at its largest allowed input, through the real handlers on DynamoDB Local: each is one
 * TransactWriteItems within 100 actions and 4 MB, every item within 400 KB. A body over a bound is a
 * 400 naming the field, and nothing is written.
 */

const tableName = `city-registry-limits-${randomUUID()}`;
process.env[table.envVar] = tableName;
const raw = new DynamoDBClient({});
const documents = DynamoDBDocumentClient.from(raw);

type HttpHandler = (
  event: APIGatewayProxyEventV2WithJWTAuthorizer,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
let createPartner: HttpHandler;
let updatePartner: HttpHandler;
let concludeAgreement: HttpHandler;
let createProject: HttpHandler;
let onVisitCompleted: (event: unknown, context: Context) => Promise<unknown>;
let markDormantRelations: (context: { actor: string; correlationId: string; now: Date }) => Promise<string[]>;

interface Written {
  readonly actions: number;
  readonly bytes: number;
  readonly largestItem: number;
}
/** Every TransactWriteItems the handlers send, as DynamoDB counts it: actions, bytes, the largest item. */
const transactions: Written[] = [];

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
  // The handlers' modules read the table name when loaded: import them once it is set.
  const shared = await import("../src/handlers/shared.ts");
  shared.documentClient.middlewareStack.add(
    (next) => async (args) => {
      const items = (args.input as { TransactItems?: { Put?: { Item: Record<string, unknown> } }[] }).TransactItems;
      if (items) {
        const sizes = items.map((action) => (action.Put ? itemSize(action.Put.Item) : 0));
        transactions.push({
          actions: items.length,
          bytes: sizes.reduce((sum, size) => sum + size, 0),
          largestItem: Math.max(...sizes),
        });
      }
      return next(args);
    },
    { step: "initialize", name: "measureTransactions" },
  );
  createPartner = (await import("../src/handlers/create-partner.ts")).handler;
  updatePartner = (await import("../src/handlers/update-partner.ts")).handler;
  concludeAgreement = (await import("../src/handlers/conclude-agreement.ts")).handler;
  createProject = (await import("../src/handlers/create-project.ts")).handler;
  onVisitCompleted = (await import("../src/handlers/on-visit-completed.ts")).handler;
  markDormantRelations = (context) => shared.store.markDormantRelations(context);
});

/** Runs one write and returns its answer and the one transaction it sent. */
async function measured<T>(write: () => Promise<T>): Promise<{ result: T; written: Written }> {
  transactions.length = 0;
  const result = await write();
  expect(transactions).toHaveLength(1);
  const [written] = transactions as [Written];
  expect(written.actions).toBeLessThanOrEqual(TRANSACTION_MAX_ACTIONS);
  expect(written.bytes).toBeLessThan(TRANSACTION_MAX_BYTES);
  expect(written.largestItem).toBeLessThan(ITEM_MAX_BYTES);
  return { result, written };
}

/** Sent by an international-affairs officer, the registry's writer. */
const call = async (handler: HttpHandler, request: Parameters<typeof httpEvent>[0]) =>
  answer(await handler(httpEvent({ groups: "[international-affairs]", ...request }), lambdaContext()));

/** How many items the table holds: what "nothing written" is checked against. */
async function itemCount(): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, Select: "COUNT", ExclusiveStartKey: startKey }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return count;
}

async function allItems(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

// ---- the largest allowed inputs ------------------------------------------------------------------

/** The longest text allowed, in the widest characters it can hold (3 UTF-8 bytes each). */
const longest = (length: number) => "東".repeat(length);
const longestBilingual = () => ({ ja: longest(500), en: longest(500) });
/** A 64-character partner id, the longest allowed. */
const longestId = (n: number) => `${String(n).padStart(2, "0")}-${"x".repeat(61)}`;
const longestEmail = (n: number) => `${String(n).padStart(2, "0")}${"a".repeat(240)}@example.org`;

const allCategories = [
  { type: "friendship-city" },
  { type: "anmc21-member", joined: "2000-08-28", withdrew: "2005-08-30" },
  {
    type: "olympic-host",
    games: Array.from({ length: MAX_GAMES }, (_, i) => ({ season: i % 2 ? "winter" : "summer", year: 1900 + i * 20 })),
  },
  { type: "asian-major-city" },
  { type: "global-ranking", ranking: longest(120), year: 2025, rank: 1000 },
  { type: "emerging-region-leader" },
];

const largestPartner = (id: string) => ({
  id,
  name: longestBilingual(),
  kind: "region",
  country: "VN",
  worldRegion: "southeast-asia",
  categories: allCategories,
  relation: { status: "prospect", since: "2026-01-01" },
  cooperationAreas: [...CooperationArea.options],
  contacts: Array.from({ length: MAX_CONTACTS }, (_, i) => ({
    name: longestBilingual(),
    role: longest(200),
    email: longestEmail(i),
    preferredLanguage: "ja",
  })),
});

const largestAgreement = (supersedes: string) => ({
  type: "sister-friendship",
  title: longestBilingual(),
  signedOn: "1990-10-23",
  areas: [...CooperationArea.options],
  responsibleDepartments: {
    tokyo: Array.from({ length: 20 }, () => longest(200)),
    partner: Array.from({ length: 20 }, () => longest(200)),
  },
  reviewOn: "2030-10-23",
  expiresOn: "2040-10-23",
  supersedes,
  legallyBinding: true,
  authenticLanguages: Array.from({ length: MAX_AUTHENTIC_LANGUAGES }, (_, i) => `l${String.fromCharCode(97 + i)}`),
});

const facetCount = 3 + CategoryType.options.length + CooperationArea.options.length;

// Each write moves megabytes through DynamoDB Local: ~8 s measured on a busy 2-core machine, so a wide margin.
describe("every write at its largest allowed input, on DynamoDB Local", { timeout: 60_000 }, () => {
  const partnerA = longestId(98);
  const partnerB = longestId(99);

  it("registers the largest partner: 25 actions, the item and its event well within their limits", async () => {
    expect(facetCount).toBe(22);
    const { result, written } = await measured(() =>
      call(createPartner, { method: "POST", path: "/partners", body: largestPartner(partnerA) }),
    );
    expect(result.status).toBe(201);
    // partner + a copy under each facet + PartnerRegistered + audit
    expect(written.actions).toBe(1 + facetCount + 1 + 1);
    const items = await allItems();
    const stored = items.filter((item) => item.pk === `PARTNER#${partnerA}`);
    const partnerItem = stored.find((item) => item.sk === "PARTNER");
    expect(itemSize(partnerItem)).toBeGreaterThan(100_000);
    expect(itemSize(partnerItem)).toBeLessThan(ITEM_MAX_BYTES);
    expect(stored.filter((item) => String(item.sk).startsWith("FACET#"))).toHaveLength(facetCount);
    const outbox = items.find(
      (item) => item.detailType === "PartnerRegistered.v1" && String(item.detail).includes(partnerA),
    );
    // EventBridge takes entries up to 256 KB.
    expect(Buffer.byteLength(String(outbox?.detail))).toBeLessThan(256 * 1024);
    console.info("largest partner", { itemBytes: itemSize(partnerItem), ...written });
  });

  it("updates the largest partner, moving it between status and country facets: 27 actions", async () => {
    const { result, written } = await measured(() =>
      call(updatePartner, {
        method: "PATCH",
        path: `/partners/${partnerA}`,
        pathParameters: { id: partnerA },
        headers: { "if-match": '"1"' },
        body: {
          ...largestPartner(partnerA),
          id: undefined,
          relation: { status: "engaging", since: "2026-02-01" },
          country: "TH",
        },
      }),
    );
    expect(result.status).toBe(200);
    // partner + 22 copies + the 2 copies it leaves (old status, old country) + PartnerUpdated + audit
    expect(written.actions).toBe(1 + facetCount + 2 + 1 + 1);
    console.info("largest update", written);
  });

  it("concludes the largest agreement, establishing the largest partner: 29 actions", async () => {
    const first = await call(concludeAgreement, {
      method: "POST",
      path: `/partners/${partnerA}/agreements`,
      pathParameters: { id: partnerA },
      body: { type: "other", title: { ja: "覚書", en: "MOU" }, signedOn: "1989-01-01" },
    });
    expect(first.status).toBe(201);
    const { result, written } = await measured(() =>
      call(concludeAgreement, {
        method: "POST",
        path: `/partners/${partnerA}/agreements`,
        pathParameters: { id: partnerA },
        body: largestAgreement(first.body.id),
      }),
    );
    expect(result.status).toBe(201);
    expect(result.body.supersedes).toBe(first.body.id);
    // agreement + partner + 22 copies + the old status copy + ESTABLISHED index
    // + AgreementConcluded + RelationEstablished + audit
    expect(written.actions).toBe(1 + 1 + facetCount + 1 + 1 + 2 + 1);
    console.info("largest agreement", written);
  });

  it("records a completed visit against the largest partner, establishing it: 28 actions", async () => {
    expect(
      (await call(createPartner, { method: "POST", path: "/partners", body: largestPartner(partnerB) })).status,
    ).toBe(201);
    const visitCompleted = (visitId: string, direction: string, endDate: string) =>
      eventBridgeEvent("tmg.visit-scheduling", "VisitCompleted.v1", {
        visitId,
        direction,
        partnerIds: [partnerB],
        leaderLevel: "head",
        startDate: endDate,
        endDate,
        metadata: eventMetadata(),
      });
    await onVisitCompleted(visitCompleted("limits-out", "outbound", "2026-06-04"), lambdaContext());
    const { result, written } = await measured(() =>
      onVisitCompleted(visitCompleted("limits-in", "inbound", "2026-09-12"), lambdaContext()),
    );
    expect(result).toMatchObject({ consumed: expect.any(String) });
    // visit + partner + 22 copies + the old status copy + ESTABLISHED index + RelationEstablished + audit
    expect(written.actions).toBe(1 + 1 + facetCount + 1 + 1 + 1 + 1);
    console.info("largest visit", written);
  });

  it("marks the largest partner dormant: 26 actions", async () => {
    const { result, written } = await measured(() =>
      markDormantRelations({ actor: "schedule:dormancy-review", correlationId: "limits", now: new Date() }),
    );
    expect(result).toEqual([partnerA]);
    // partner + 22 copies + the old status copy + RelationDormant + audit
    expect(written.actions).toBe(1 + facetCount + 1 + 1 + 1);
    console.info("largest dormancy", written);
  });

  it(`records a project of ${MAX_PROJECT_PARTNERS} partners in one transaction of 52 actions`, async () => {
    const ids = Array.from({ length: MAX_PROJECT_PARTNERS }, (_, i) => longestId(i));
    const registered = await Promise.all(
      ids.map((id) => {
        const body = {
          id,
          name: { ja: "都市", en: "City" },
          kind: "city",
          country: "VN",
          worldRegion: "southeast-asia",
        };
        return call(createPartner, { method: "POST", path: "/partners", body });
      }),
    );
    expect(registered.map((r) => r.status)).toEqual(ids.map(() => 201));
    const project = {
      title: longestBilingual(),
      area: "waterworks",
      partnerIds: ids,
      startDate: "2026-05-01",
      endDate: "2030-03-31",
      status: "active",
    };
    const { result, written } = await measured(() =>
      call(createProject, { method: "POST", path: "/projects", body: project }),
    );
    expect(result.status).toBe(201);
    // project + a link under each partner + audit
    expect(written.actions).toBe(1 + MAX_PROJECT_PARTNERS + 1);
    console.info("largest project", written);

    // One partner unknown: refused, naming it, and nothing written.
    const before = await itemCount();
    transactions.length = 0;
    const unknown = await call(createProject, {
      method: "POST",
      path: "/projects",
      body: { ...project, partnerIds: [...ids.slice(1), "atlantis"] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toBe("Partner atlantis does not exist");
    expect(transactions).toEqual([]);
    expect(await itemCount()).toBe(before);
  });
});

describe("a body over a bound", { timeout: 60_000 }, () => {
  const over: [what: string, body: () => Record<string, unknown>, field: string][] = [
    [
      "one contact too many",
      () => ({
        ...largestPartner("over-contacts"),
        contacts: [...largestPartner("x").contacts, largestPartner("x").contacts[0]],
      }),
      "body.contacts",
    ],
    [
      "a name one character too long",
      () => ({ ...largestPartner("over-name"), name: { ja: longest(501), en: "x" } }),
      "body.name.ja",
    ],
    [
      "one Games too many",
      () => ({
        ...largestPartner("over-games"),
        categories: [
          {
            type: "olympic-host",
            games: Array.from({ length: MAX_GAMES + 1 }, (_, i) => ({ season: "summer", year: 1900 + i * 4 })),
          },
        ],
      }),
      "body.categories.0.games",
    ],
  ];

  it.each(over)(
    "registering a partner with %s is a 400 naming the field, and nothing is written",
    async (_, body, field) => {
      const before = await itemCount();
      const response = await call(createPartner, { method: "POST", path: "/partners", body: body() });
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(field);
      expect(await itemCount()).toBe(before);
    },
  );

  it("an agreement or a project over a bound is a 400 naming the field, and nothing is written", async () => {
    const before = await itemCount();
    const agreement = await call(concludeAgreement, {
      method: "POST",
      path: "/partners/any/agreements",
      pathParameters: { id: "any" },
      body: {
        ...largestAgreement(randomUUID()),
        authenticLanguages: Array.from({ length: MAX_AUTHENTIC_LANGUAGES + 1 }, () => "ja"),
        responsibleDepartments: { tokyo: Array.from({ length: 21 }, () => "x"), partner: [] },
      },
    });
    expect(agreement.status).toBe(400);
    expect(agreement.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["body.authenticLanguages", "body.responsibleDepartments.tokyo"]),
    );
    const project = await call(createProject, {
      method: "POST",
      path: "/projects",
      body: {
        title: { ja: "x", en: "x" },
        area: "culture",
        partnerIds: Array.from({ length: MAX_PROJECT_PARTNERS + 1 }, (_, i) => longestId(i)),
        startDate: "2026-05-01",
      },
    });
    expect(project.status).toBe(400);
    expect(project.body.errors.map((e: { path: string }) => e.path)).toContain("body.partnerIds");
    expect(await itemCount()).toBe(before);
  });
});
