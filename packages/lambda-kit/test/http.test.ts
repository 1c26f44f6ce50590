import { describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { parseGroupsClaim } from "../src/auth.ts";
import { Refused, refuse } from "../src/decision.ts";
import { etag, httpHandler, MAX_REQUEST_BODY_BYTES, requireIfMatch, versionedStepHandler } from "../src/http.ts";
import { defineRoute } from "../src/manifest.ts";
import { problems } from "../src/problems.ts";
import { httpEvent, lambdaContext } from "../src/testing.ts";

const route = defineRoute({
  method: "POST",
  path: "/things/{id}",
  operationId: "createThing",
  summary: "test",
  handler: "unused",
  roles: ["international-affairs", "admin"],
  access: "write",
  request: {
    params: z.object({ id: z.string().check(z.regex(/^[a-z]+$/)) }),
    query: z.object({ dryRun: z._default(z.enum(["true", "false"]), "false") }),
    body: z.object({
      name: z.object({ ja: z.string().check(z.minLength(1)), en: z.string().check(z.minLength(1)) }),
      count: z.int(),
    }),
  },
  responses: { 201: { description: "created" } },
});

const handler = httpHandler(
  route,
  async ({ params, body, caller, query }) => {
    if (params.id === "boom") throw new Error("secret internal detail");
    if (params.id === "taken") throw problems.conflict("exists");
    if (params.id === "missing") throw new Refused(refuse.notFound("Thing missing"));
    if (params.id === "done") throw new Refused(refuse.conflict("A completed thing cannot change", "completed"));
    if (params.id === "clash")
      throw new Refused(refuse.rule("governor-calendar", "The governor is away", { clashingVisits: ["v-1"] }));
    if (params.id === "stale") throw new Refused(refuse.stale(7));
    if (params.id === "mixed")
      throw new Refused(refuse.invalid([{ path: "body.endDate", message: "must not be before startDate" }]));
    return {
      status: 201,
      body: { id: params.id, name: body.name, by: caller.subject, dryRun: query.dryRun },
      headers: { etag: etag(1) },
    };
  },
  { serviceName: "test" },
);

const invoke = (options: Parameters<typeof httpEvent>[0]) =>
  handler(
    httpEvent({ method: "POST", path: "/things/x", pathParameters: { id: "abc" }, groups: "[admin]", ...options }),
    lambdaContext(),
  );
const validBody = JSON.stringify({ name: { ja: "東京", en: "Tokyo" }, count: 1 });

describe("HTTP route handler", () => {
  it("serves a valid request with parsed input and the caller from the JWT claims", async () => {
    const response = await invoke({ body: validBody, headers: { "x-correlation-id": "corr-1" } });
    expect(response.statusCode).toBe(201);
    expect(response.headers).toMatchObject({
      "content-type": "application/json",
      etag: '"1"',
      "x-correlation-id": "corr-1",
    });
    expect(JSON.parse(String(response.body))).toEqual({
      id: "abc",
      name: { ja: "東京", en: "Tokyo" },
      by: "user-42",
      dryRun: "false",
    });
  });

  it("answers 401 problem+json when no verified claims reached it", async () => {
    const response = await invoke({ groups: null, body: validBody });
    expect(response.statusCode).toBe(401);
    expect(response.headers?.["content-type"]).toBe("application/problem+json");
  });

  it("answers 403 naming the roles when the caller has none of them", async () => {
    const response = await invoke({ groups: "[viewer auditor]", body: validBody });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(String(response.body))).toMatchObject({
      status: 403,
      requiredRoles: ["international-affairs", "admin"],
    });
  });

  it("names every offending field of path, query and body in one 400", async () => {
    const response = await invoke({
      pathParameters: { id: "ABC" },
      query: { dryRun: "maybe" },
      body: JSON.stringify({ name: { ja: "" }, count: 1.5 }),
    });
    expect(response.statusCode).toBe(400);
    const problem = JSON.parse(String(response.body));
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(
      ["body.count", "body.name.en", "body.name.ja", "path.id", "query.dryRun"].sort(),
    );
    expect(problem.type).toMatch(/validation$/);
  });

  it("reports a body that is not JSON as a 400 on `body`", async () => {
    const response = await invoke({ body: "{" });
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(String(response.body)).errors).toEqual([{ path: "body", message: "must be valid JSON" }]);
  });

  it("maps domain problems to their status and hides unexpected errors behind a 500", async () => {
    expect((await invoke({ pathParameters: { id: "taken" }, body: validBody })).statusCode).toBe(409);
    const failed = await invoke({ pathParameters: { id: "boom" }, body: validBody });
    expect(failed.statusCode).toBe(500);
    expect(String(failed.body)).not.toContain("secret internal detail");
  });
});

describe("claims and preconditions", () => {
  it("takes a body only as JSON: another content type is 415 naming the header, and nothing is served", async () => {
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "", "application/jsonx"]) {
      const response = await invoke({ body: validBody, headers: { "content-type": contentType } });
      expect(response.statusCode, contentType).toBe(415);
      expect(response.headers?.["content-type"]).toBe("application/problem+json");
      expect(JSON.parse(String(response.body)).errors).toEqual([
        { path: "headers.content-type", message: "must be application/json" },
      ]);
    }
    for (const contentType of ["application/json; charset=utf-8", "application/merge-patch+json", "Application/JSON"])
      expect((await invoke({ body: validBody, headers: { "content-type": contentType } })).statusCode).toBe(201);
  });

  it("refuses a body over 1 MiB with 413 naming the body, before parsing it", async () => {
    const padded = JSON.stringify({ name: { ja: "東".repeat(349_526), en: "Tokyo" }, count: 1 });
    expect(Buffer.byteLength(padded)).toBeGreaterThan(MAX_REQUEST_BODY_BYTES);
    const response = await invoke({ body: padded });
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(String(response.body)).errors).toEqual([
      { path: "body", message: `must be at most ${MAX_REQUEST_BODY_BYTES} bytes` },
    ]);
    const atLimit = JSON.stringify({ name: { ja: "x", en: "y" }, count: 1 }).padEnd(MAX_REQUEST_BODY_BYTES, " ");
    expect((await invoke({ body: atLimit })).statusCode).toBe(201);
  });

  it("reads the groups claim in the forms the authorizer and tokens use", () => {
    expect(parseGroupsClaim("[admin viewer]")).toEqual(["admin", "viewer"]);
    expect(parseGroupsClaim('["admin","viewer"]')).toEqual(["admin", "viewer"]);
    expect(parseGroupsClaim(["protocol"])).toEqual(["protocol"]);
    expect(parseGroupsClaim("admin,viewer")).toEqual(["admin", "viewer"]);
    expect(parseGroupsClaim(undefined)).toEqual([]);
  });

  it("needs If-Match (428) holding a version (400)", () => {
    expect(requireIfMatch({ "if-match": '"7"' })).toBe(7);
    expect(requireIfMatch({ "if-match": 'W/"7"' })).toBe(7);
    expect(() => requireIfMatch({})).toThrow(expect.objectContaining({ status: 428 }));
    expect(() => requireIfMatch({ "if-match": "*" })).toThrow(expect.objectContaining({ status: 400 }));
  });
});

describe("domain refusals over HTTP", () => {
  const refusedAs = async (id: string) => {
    const response = await invoke({ pathParameters: { id }, body: validBody });
    expect(response.headers?.["content-type"]).toBe("application/problem+json");
    return { status: response.statusCode, problem: JSON.parse(String(response.body)) };
  };

  it("become problem+json: 404, 409 naming the state or the rule, 412 with the version, 400 naming fields", async () => {
    expect(await refusedAs("missing")).toMatchObject({
      status: 404,
      problem: { detail: "Thing missing does not exist" },
    });
    expect(await refusedAs("done")).toMatchObject({
      status: 409,
      problem: { currentStatus: "completed", detail: "A completed thing cannot change" },
    });
    expect(await refusedAs("clash")).toMatchObject({
      status: 409,
      problem: { rule: "governor-calendar", clashingVisits: ["v-1"] },
    });
    expect(await refusedAs("stale")).toMatchObject({ status: 412, problem: { currentVersion: 7 } });
    expect(await refusedAs("mixed")).toMatchObject({
      status: 400,
      problem: { errors: [{ path: "body.endDate", message: "must not be before startDate" }] },
    });
  });
});

describe("route specs", () => {
  it("get the standard 400, 401 and 403 answers from the kit, beside their own", () => {
    expect(Object.keys(route.responses).map(Number).sort()).toEqual([201, 400, 401, 403]);
    const own = defineRoute({ ...route, responses: { 403: { description: "Only the protocol office" } } });
    expect(own.responses[403]).toEqual({ description: "Only the protocol office" });
    expect(own.responses[401]).toEqual({ description: "No valid bearer token" });
  });
});

describe("versioned step handler", () => {
  const stepRoute = defineRoute({
    method: "POST",
    path: "/things/{id}/rename",
    operationId: "renameThing",
    summary: "test",
    handler: "unused",
    roles: ["admin"],
    access: "write",
    request: { params: z.object({ id: z.string() }), body: z.object({ name: z.string() }) },
    responses: { 200: { description: "renamed" } },
  });
  const runs: { id: string; name: string; expectedVersion: number | undefined; actor: string }[] = [];
  const step = versionedStepHandler(
    stepRoute,
    async (id, body, expectedVersion, context) => {
      runs.push({ id, name: body.name, expectedVersion, actor: context.actor });
      return { id, name: body.name, version: (expectedVersion ?? 4) + 1 };
    },
    { serviceName: "test" },
  );
  const send = (headers: Record<string, string>) =>
    step(
      httpEvent({
        method: "POST",
        path: "/things/abc/rename",
        pathParameters: { id: "abc" },
        groups: "[admin]",
        subject: "officer-1",
        body: JSON.stringify({ name: "Tokyo" }),
        headers,
      }),
      lambdaContext(),
    );

  it("runs the step on the path's id and the If-Match version, and answers the new version as the ETag", async () => {
    runs.length = 0;
    const response = await send({ "if-match": '"7"' });
    expect(response.statusCode).toBe(200);
    expect(response.headers?.etag).toBe('"8"');
    expect(JSON.parse(response.body ?? "{}")).toEqual({ id: "abc", name: "Tokyo", version: 8 });
    expect(runs).toEqual([{ id: "abc", name: "Tokyo", expectedVersion: 7, actor: "officer-1" }]);
  });

  it("runs it on no particular version without If-Match, and not at all on an If-Match that is no version", async () => {
    runs.length = 0;
    expect((await send({})).headers?.etag).toBe('"5"');
    expect(runs.map((run) => run.expectedVersion)).toEqual([undefined]);
    const refused = await send({ "if-match": "*" });
    expect(refused.statusCode).toBe(400);
    expect(runs).toHaveLength(1);
  });
});
