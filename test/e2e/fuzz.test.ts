import type { Role } from "@cdp/contracts";
import type { RouteSpec } from "@cdp/lambda-kit";
import {
  brokenStringRecord,
  brokenValue,
  encodePathSegment,
  encodeQuery,
  hostileStrings,
  validStringRecord,
  validValue,
} from "@cdp/reliability/arbitrary";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as z from "zod/v4/core";
import { services } from "../../infra/services.ts";
import { api, busEvents, settled, tokenFor, writesSoFar } from "./client.ts";

/**
 * Fuzzing every route of every manifest (the ones to come included) from its own zod schemas, over the local
 * cloud: valid requests, and requests with one field broken at a time (wrong types, missing and extra fields,
 * strings and arrays past their bounds and huge, control characters, numbers at and past their bounds), malformed
 * JSON, wrong content types, and path and query values with `/`, `%00`, `..` and every Unicode plane.
 *
 * Each route must answer: never a 5xx; every refusal RFC 9457 problem+json (but for what the gateway answers
 * itself, as API Gateway does), naming the broken field; and nothing written on a 4xx: no write reached DynamoDB (the
 * local cloud counts them) and no event on the bus.
 *
 * FUZZ_RUNS cases per route (200 by default: keep at least that in CI; raise it for a longer run). A failure
 * prints what replays it alone: FUZZ_SEED=<seed> FUZZ_ROUTE=<operationId> FUZZ_CASE=<n>.
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2_147_483_647;
const CASE = process.env.FUZZ_CASE !== undefined ? Number(process.env.FUZZ_CASE) : undefined;
/** Refusals sent at once: enough to keep the gateway busy, few enough for a 2-core machine. */
const GROUP = 16;
const ONLY = process.env.FUZZ_ROUTE;
/**
 * `k/n`: only every n-th route from the k-th, so that CI runs the suite as n tasks side by side (a route keeps its
 * cases: they come from its place among all routes). A replay names its route and needs no part.
 */
const PART = /^(\d+)\/(\d+)$/.exec(process.env.FUZZ_PART ?? "1/1");
if (!PART) throw new Error(`FUZZ_PART must be k/n, not ${process.env.FUZZ_PART}`);
const [partIndex, partCount] = [Number(PART[1]) - 1, Number(PART[2])];

type Expectation =
  /** Must be refused, naming this field path (`body.name.en`, `query.limit`, `path.id`, `headers.content-type`). */
  | { readonly refusedAt: string }
  /** Any answer but a 5xx; a refusal is problem+json. */
  | { readonly anything: true };

interface FuzzCase {
  readonly kind: string;
  readonly params: Record<string, string>;
  readonly query: Record<string, string>;
  /** The raw body and its content type, or none. */
  readonly body?: { readonly text: string; readonly contentType: string };
  readonly expect: Expectation;
}

const routes = services
  .flatMap((service) => service.routes.map((route) => ({ service: service.name, route })))
  .map((entry, index) => ({ ...entry, index }))
  .filter(({ route, index }) => (ONLY ? route.operationId === ONLY : index % partCount === partIndex));

const pathOf = (route: RouteSpec, params: Record<string, string>) =>
  route.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodePathSegment(params[name] ?? ""));

const json = (value: unknown) => ({ text: JSON.stringify(value), contentType: "application/json" });
const joinPath = (part: string, path: readonly (string | number)[]) => [part, ...path.map(String)].join(".");

/** Bodies no JSON parser takes, or takes as something no body schema accepts. */
const MALFORMED_JSON = [
  "{",
  '{"a":',
  "[",
  "nul",
  "{'single': 'quotes'}",
  '{"a": 1,}',
  "\u0000",
  "\ufeff{}",
  "NaN",
  '{"a": 1} trailing',
  `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
];
const NOT_AN_OBJECT = [[], "text", 42, true, null, [{}]];
const WRONG_CONTENT_TYPES = [
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data",
  "application/xml",
];

function casesFor(route: RouteSpec): fc.Arbitrary<FuzzCase> {
  const { params, query, body } = route.request as {
    params?: z.$ZodType;
    query?: z.$ZodType;
    body?: z.$ZodType;
  };
  const validParams = params ? validStringRecord(params) : fc.constant({});
  const validQuery = query ? validStringRecord(query) : fc.constant({});
  const validBody = body ? validValue(body).map(json) : fc.constant(undefined);
  const valid = fc.record({ params: validParams, query: validQuery, body: validBody });
  const options: fc.WeightedArbitrary<FuzzCase>[] = [
    {
      weight: 3,
      arbitrary: valid.map(({ params, query, body }) => ({
        kind: "valid",
        params,
        query,
        ...(body && { body }),
        expect: { anything: true },
      })),
    },
    {
      // Every path and query value hostile: separators, traversal, NUL, every plane, very long.
      weight: 2,
      arbitrary: fc
        .record({
          base: valid,
          hostile: hostileStrings(),
          key: fc.constantFrom(...[...Object.keys(shapeOf(params)), ...Object.keys(shapeOf(query)), "extra"]),
        })
        .map(({ base, hostile, key }) => {
          const inParams = key in shapeOf(params);
          return {
            kind: `hostile ${inParams ? "path" : "query"} value`,
            params: inParams ? { ...base.params, [key]: hostile } : base.params,
            query: inParams ? base.query : { ...base.query, [key]: hostile },
            ...(base.body && { body: base.body }),
            expect: { anything: true },
          };
        }),
    },
  ];
  if (params && Object.keys(shapeOf(params)).length > 0) {
    options.push({
      weight: 2,
      // A path has no "missing" or "extra" parameter: without one the route is another (or none).
      arbitrary: fc
        .record({
          broken: brokenStringRecord(params).filter((b) => b.how !== "missing" && b.how !== "extra-key"),
          base: valid,
        })
        .map(({ broken, base }) => ({
          kind: `path: ${broken.how}`,
          params: broken.value,
          query: base.query,
          ...(base.body && { body: base.body }),
          expect: { refusedAt: joinPath("path", broken.path) },
        })),
    });
  }
  if (query && Object.keys(shapeOf(query)).length > 0) {
    options.push({
      weight: 2,
      arbitrary: fc.record({ broken: brokenStringRecord(query), base: valid }).map(({ broken, base }) => ({
        kind: `query: ${broken.how}`,
        params: base.params,
        query: broken.value,
        ...(base.body && { body: base.body }),
        expect: { refusedAt: joinPath("query", broken.path) },
      })),
    });
  }
  if (body) {
    options.push(
      {
        weight: 5,
        arbitrary: fc.record({ broken: brokenValue(body), base: valid }).map(({ broken, base }) => {
          const text = JSON.stringify(broken.value);
          return {
            kind: `body: ${broken.how}`,
            params: base.params,
            query: base.query,
            body: { text, contentType: "application/json" },
            // Past the API's limit the size is what is refused, before any field is read.
            expect: { refusedAt: Buffer.byteLength(text) > 1_048_576 ? "body" : joinPath("body", broken.path) },
          };
        }),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({
            base: valid,
            text: fc.constantFrom(...MALFORMED_JSON, ...NOT_AN_OBJECT.map((v) => JSON.stringify(v))),
          })
          .map(({ base, text }) => ({
            kind: "malformed or not an object",
            params: base.params,
            query: base.query,
            body: { text, contentType: "application/json" },
            expect: { refusedAt: "body" },
          })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({ base: valid, contentType: fc.constantFrom(...WRONG_CONTENT_TYPES) })
          .map(({ base, contentType }) => ({
            kind: "wrong content type",
            params: base.params,
            query: base.query,
            body: { text: base.body?.text ?? "{}", contentType },
            expect: { refusedAt: "headers.content-type" },
          })),
      },
    );
  }
  return fc.oneof(...options);
}

function shapeOf(schema: z.$ZodType | undefined): Record<string, unknown> {
  const def = schema?._zod.def as { type?: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? def.shape : {};
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
  readonly body: any;
  readonly text: string;
}

/** A connection that ended with no answer (status 0): a defect of the gateway, judged and replayable like any other. */
const NO_ANSWER = 0;

/**
 * One case over HTTP. A connection cut before any answer is returned as NO_ANSWER with its cause, so that the verdict
 * names the case and its replay (a thrown `fetch failed` named neither).
 */
async function send(route: RouteSpec, token: string, fuzz: FuzzCase): Promise<Answer> {
  const search = Object.keys(fuzz.query).length > 0 ? `?${encodeQuery(fuzz.query)}` : "";
  const url = `${api}${pathOf(route, fuzz.params)}${search}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: route.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(fuzz.body && { "content-type": fuzz.body.contentType }),
      },
      ...(fuzz.body && { body: fuzz.body.text }),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const size = url.length + (fuzz.body?.text.length ?? 0);
    const text = `${cause?.code ?? cause?.message ?? String(error)} after sending ${size} characters of URL and body`;
    return { status: NO_ANSWER, contentType: "", body: undefined, text };
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body, text };
}

/** The gateway's own answers (no route for that path, a path that does not decode, headers too large), as API Gateway gives them. */
const byGateway = (answer: Answer) =>
  [400, 404, 413, 431].includes(answer.status) &&
  answer.contentType.startsWith("application/json") &&
  typeof answer.body?.message === "string" &&
  answer.body.type === undefined;

/** What is wrong with the answer to this case, or undefined. */
function verdict(fuzz: FuzzCase, answer: Answer): string | undefined {
  if (answer.status === NO_ANSWER) return `no answer: ${answer.text}`;
  if (answer.status >= 500) return `${answer.status}: ${answer.text.slice(0, 300)}`;
  if (answer.status < 400) return "refusedAt" in fuzz.expect ? `${answer.status}, expected a refusal` : undefined;
  // A path segment of "." or ".." is resolved away by every URL parser (WHATWG URL takes "%2E" as "." too), the
  // client's and the gateway's alike, so the request names another resource, whatever else the case broke (a valid
  // free-text path value may be "."): any 404 refuses it.
  const dotSegment = Object.values(fuzz.params).some((value) => value === "." || value === "..");
  if (dotSegment && answer.status === 404) return undefined;
  if (byGateway(answer)) {
    // Refused for its size (413, 431), or a path segment left empty or made into several (404: no such route), as
    // API Gateway refuses them; anything else a route must refuse itself.
    const fine =
      answer.status === 413 ||
      answer.status === 431 ||
      (answer.status === 404 && "refusedAt" in fuzz.expect && fuzz.expect.refusedAt.startsWith("path."));
    return "refusedAt" in fuzz.expect && !fine ? `${answer.status} by the gateway, not by the route` : undefined;
  }
  if (!answer.contentType.startsWith("application/problem+json"))
    return `${answer.status} as ${answer.contentType}, not problem+json`;
  const { type, title, status, detail } = answer.body ?? {};
  if (typeof type !== "string" || typeof title !== "string" || status !== answer.status || typeof detail !== "string")
    return `a problem without type, title, status and detail: ${answer.text.slice(0, 300)}`;
  if ("refusedAt" in fuzz.expect) {
    const named = ((answer.body.errors ?? []) as { path: string }[]).map((e) => e.path);
    const expected = fuzz.expect.refusedAt;
    if (!named.some((path) => path === expected || path.startsWith(`${expected}.`) || expected.startsWith(`${path}.`)))
      return `${answer.status} naming ${JSON.stringify(named)}, not ${expected}`;
  }
  return undefined;
}

const describeCase = (fuzz: FuzzCase) =>
  `${fuzz.kind}: path ${JSON.stringify(fuzz.params).slice(0, 200)} query ${JSON.stringify(fuzz.query).slice(0, 200)} body ${
    fuzz.body ? `${fuzz.body.contentType} ${fuzz.body.text.slice(0, 300)}` : "none"
  }`;

/** The writes since the last call: a counter read through the local cloud. */
const writes = {
  last: 0,
  async mark(): Promise<void> {
    this.last = await writesSoFar();
  },
  async since(): Promise<number> {
    const now = await writesSoFar();
    const made = now - this.last;
    this.last = now;
    return made;
  },
};
const tally = new Map<string, number>();
let totalCases = 0;

describe("fuzzing every route from its schemas", () => {
  beforeAll(async () => {
    await settled();
  });
  afterAll(() => {
    const kinds = [...tally].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, n]) => `${kind}: ${n}`);
    console.log(`fuzz: ${totalCases} cases over ${routes.length} routes (seed ${SEED})\n  ${kinds.join("\n  ")}`);
  });

  for (const { service, route, index } of routes) {
    it(`${service} ${route.method} ${route.path} (${route.operationId})`, async () => {
      const role: Role = route.roles.includes("admin") ? "admin" : (route.roles[0] as Role);
      const token = await tokenFor(role);
      // The same seed gives each route its own cases, the same on every run.
      const cases = fc.sample(casesFor(route), { seed: SEED + index, numRuns: RUNS });
      // Cases that must be refused first, in groups no write may follow; then those that may be served.
      const refusals = (n: number) => "refusedAt" in (cases[n] as FuzzCase).expect;
      const all = cases.map((_, n) => n);
      const only = CASE === undefined ? [...all.filter(refusals), ...all.filter((n) => !refusals(n))] : [CASE];
      const replay = (n: number) => `FUZZ_SEED=${SEED} FUZZ_ROUTE=${route.operationId} FUZZ_CASE=${n}`;
      for (const fuzz of cases) {
        const kind = fuzz.kind.replace(/^(path|query|body): .*/, "$1: a broken field");
        tally.set(kind, (tally.get(kind) ?? 0) + 1);
      }
      totalCases += only.length;
      await settled();
      const eventsBefore = (await busEvents()).length;
      await writes.mark();
      // A few cases at a time, the write counter read once per group. A group in which a write route served
      // something is let settle (events, consumers); then its refusals are sent again, together, and must write
      // nothing; only when they do (or one is served this time) is each sent alone to tell which.
      const failures: string[] = [];
      const fail = (n: number, wrong: string) =>
        failures.push(`${wrong}\n  case: ${describeCase(cases[n] as FuzzCase)}\n  replay: ${replay(n)}`);
      const sendAll = (group: readonly number[]) =>
        Promise.all(group.map((n) => send(route, token, cases[n] as FuzzCase)));
      /** Sends one case alone: a refusal must write nothing; what is served is let settle. */
      const alone = async (n: number) => {
        const answer = await send(route, token, cases[n] as FuzzCase);
        if (answer.status < 400) {
          await settled();
          await writes.since();
          return;
        }
        const written = await writes.since();
        if (written > 0) fail(n, `a ${answer.status} made ${written} write(s)`);
      };
      /** These refusals again, at once: nothing may be written (a schedule running meanwhile is told apart alone). */
      const refusedAgain = async (group: readonly number[]) => {
        if (group.length === 0) return;
        await settled();
        await writes.since();
        const answers = await sendAll(group);
        const written = await writes.since();
        if (written === 0 && answers.every((answer) => answer.status >= 400)) return;
        await settled();
        await writes.since();
        for (const n of group) await alone(n);
      };
      for (let start = 0; start < only.length && failures.length < 5; start += GROUP) {
        const group = only.slice(start, start + GROUP);
        const answers = await sendAll(group);
        group.forEach((n, i) => {
          const wrong = verdict(cases[n] as FuzzCase, answers[i] as Answer);
          if (wrong) fail(n, wrong);
        });
        const served = route.access === "write" && answers.some((answer) => answer.status < 400);
        const written = await writes.since();
        if (served || written > 0) await refusedAgain(group.filter((_, i) => (answers[i] as Answer).status >= 400));
      }
      expect(failures, failures.join("\n")).toEqual([]);
      if (route.access === "read") {
        await settled();
        expect(await writes.since()).toBe(0);
        expect((await busEvents()).length).toBe(eventsBefore);
      }
    });
  }
});
