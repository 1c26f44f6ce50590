import { readFileSync } from "node:fs";
import { ALL_ROLES, type Role } from "@cdp/contracts";
import type { RouteSpec } from "@cdp/lambda-kit";
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "@cdp/local-cloud/dev-issuer";
import { exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { services } from "../../infra/services.ts";
import { api, tokenFor } from "./client.ts";

/**
 * Who may call what, generated from the manifests: every route of every service (the ones to come included)
 * × every role, plus no token and every kind of bad token. A route a manifest adds is covered the day it is
 * declared; a route whose answers drift from its declared roles fails here, named.
 */

const routes = services.flatMap((service) => service.routes.map((route) => ({ service: service.name, route })));
/** A value no path parameter schema takes as an existing thing: the request stops at validation or not-found. */
const PLACEHOLDER = "00000000-0000-4000-8000-000000000000";

const pathOf = (route: RouteSpec) => route.path.replace(/\{[^}]+\}/g, PLACEHOLDER);
const nameOf = ({ service, route }: (typeof routes)[number]) => `${service} ${route.method} ${route.path}`;

interface Answer {
  readonly status: number;
  readonly contentType: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions read arbitrary JSON
  readonly body: any;
}

/** A request as a caller would send it; a write gets an empty JSON object, which no body schema takes. */
async function send(route: RouteSpec, token: string | null): Promise<Answer> {
  const writes = route.method !== "GET" && route.method !== "DELETE";
  const response = await fetch(`${api}${pathOf(route)}`, {
    method: route.method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(writes && { "content-type": "application/json" }),
    },
    ...(writes && { body: "{}" }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body };
}

/** Runs the calls a few at a time: the gateway is one process on a 2-core machine. */
async function inBatches<T, R>(items: readonly T[], each: (item: T) => Promise<R>, size = 8): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size) results.push(...(await Promise.all(items.slice(i, i + size).map(each))));
  return results;
}

describe("access, generated from the manifests", () => {
  it("covers every route the gateway serves: the manifests declare them all", async () => {
    const document = (await (await fetch(`${api}/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(documented)).toEqual(new Set(routes.map(({ route }) => `${route.method} ${route.path}`)));
    expect(routes.length).toBeGreaterThan(50);
  });

  it("opens nothing without a token but /health, /docs and /openapi.json", async () => {
    const answers = await inBatches(routes, async (entry) => ({ entry, answer: await send(entry.route, null) }));
    const open = answers.filter(({ answer }) => answer.status !== 401).map(({ entry }) => nameOf(entry));
    expect(open).toEqual([]);
    for (const path of ["/health", "/docs", "/openapi.json"]) expect((await fetch(`${api}${path}`)).status).toBe(200);
    console.log(`access: ${routes.length} routes refused without a token (401)`);
  });

  it("answers every route × every role exactly as declared: 403 naming the roles, or past the role check", async () => {
    const cases = routes.flatMap((entry) => ALL_ROLES.map((role) => ({ entry, role })));
    const answers = await inBatches(cases, async ({ entry, role }) => ({
      entry,
      role,
      answer: await send(entry.route, await tokenFor(role)),
    }));
    const wrong: string[] = [];
    for (const { entry, role, answer } of answers) {
      const declared = entry.route.roles.includes(role as Role);
      if (declared && (answer.status === 401 || answer.status === 403 || answer.status >= 500)) {
        wrong.push(`${nameOf(entry)} as ${role}: ${answer.status}, but the role is declared`);
      }
      if (!declared) {
        if (answer.status !== 403) wrong.push(`${nameOf(entry)} as ${role}: ${answer.status}, expected 403`);
        else if (
          !answer.contentType.startsWith("application/problem+json") ||
          JSON.stringify(answer.body.requiredRoles) !== JSON.stringify(entry.route.roles)
        ) {
          wrong.push(`${nameOf(entry)} as ${role}: a 403 not naming the declared roles`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // A token with no role at all reaches nothing.
    const roleless = await inBatches(routes, async (entry) => ({
      entry,
      answer: await send(entry.route, await tokenFor()),
    }));
    expect(roleless.filter(({ answer }) => answer.status !== 403).map(({ entry }) => nameOf(entry))).toEqual([]);
    console.log(`access: ${cases.length + routes.length} route × role calls, each answered as declared`);
  });

  it("refuses every kind of bad token on every route with 401", async () => {
    const keyFile = process.env.E2E_ISSUER_KEY_FILE ?? "";
    const stored = JSON.parse(readFileSync(keyFile, "utf8")) as { kid: string; privateJwk: JWK };
    const issuerKey = await importJWK(stored.privateJwk, "RS256");
    const other = await generateKeyPair("RS256", { extractable: true });
    const now = Math.floor(Date.now() / 1000);
    const claims = { "cognito:groups": ["admin"], token_use: "id" };
    const sign = (
      options: {
        key?: Parameters<SignJWT["sign"]>[0];
        kid?: string;
        iss?: string;
        aud?: string;
        exp?: number;
        nbf?: number;
      } = {},
    ) => {
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: options.kid ?? stored.kid, typ: "JWT" })
        .setIssuer(options.iss ?? LOCAL_ISSUER)
        .setAudience(options.aud ?? LOCAL_AUDIENCE)
        .setSubject("intruder")
        .setIssuedAt(now - 60)
        .setExpirationTime(options.exp ?? now + 3600);
      if (options.nbf !== undefined) jwt.setNotBefore(options.nbf);
      return jwt.sign(options.key ?? issuerKey);
    };
    const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const good = await sign();
    const [header, payload, signature] = good.split(".") as [string, string, string];
    const tampered = `${header}.${base64url({
      ...JSON.parse(Buffer.from(payload, "base64url").toString()),
      "cognito:groups": ["admin", "fund-manager"],
    })}.${signature}`;
    const unsigned = `${base64url({ alg: "none", typ: "JWT" })}.${payload}.`;
    // The same key under a name the issuer does not publish; then another key under the issuer's name.
    const otherKid = await sign({ kid: "someone-else" });
    const otherKey = await sign({ key: other.privateKey });
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: stored.kid })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject("intruder")
      .setExpirationTime(now + 3600)
      // The public key's modulus as an HMAC secret: the classic RS256 → HS256 confusion.
      .sign(new TextEncoder().encode(String((await exportJWK(other.publicKey)).n)));
    const bad: Record<string, string> = {
      "signed with another key": otherKey,
      "another key id": otherKid,
      "alg: none": unsigned,
      "alg: HS256": hmac,
      expired: await sign({ exp: now - 120 }),
      "not yet valid": await sign({ nbf: now + 3600 }),
      "another issuer": await sign({ iss: "https://cognito-idp.ap-northeast-1.amazonaws.com/elsewhere" }),
      "another audience": await sign({ aud: "another-client" }),
      "tampered payload": tampered,
      "not a JWT": "not.a.jwt",
    };
    // The good token itself is taken, so each refusal is the token's fault.
    expect((await send(routes[0]?.route as RouteSpec, good)).status).not.toBe(401);
    const cases = Object.entries(bad).flatMap(([kind, token]) => routes.map((entry) => ({ kind, token, entry })));
    const answers = await inBatches(cases, async ({ kind, token, entry }) => ({
      kind,
      entry,
      answer: await send(entry.route, token),
    }));
    const taken = answers
      .filter(({ answer }) => answer.status !== 401)
      .map(({ kind, entry }) => `${kind}: ${nameOf(entry)}`);
    expect(taken).toEqual([]);
    console.log(`access: ${Object.keys(bad).length} kinds of bad token × ${routes.length} routes, all 401`);
  });
});

describe("limits and browsers", () => {
  const write = routes.find(({ route }) => route.method === "POST" && route.request.body && !route.path.includes("{"));

  it("answers a body over the API's 1 MiB with 413 problem+json naming the body", async () => {
    const token = await tokenFor("admin");
    const route = write?.route as RouteSpec;
    const huge = JSON.stringify({ padding: "x".repeat(1_100_000) });
    const response = await fetch(`${api}${route.path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    expect(((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual(["body"]);
    // Past what one Lambda invocation takes (6 MB), the gateway itself refuses, as API Gateway does.
    const beyond = await fetch(`${api}${route.path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: "x".repeat(6_300_000),
    });
    expect(beyond.status).toBe(413);
  });

  it("refuses oversized headers and query strings cleanly (431), and serves the next request", async () => {
    const token = await tokenFor("viewer");
    const headers = { authorization: `Bearer ${token}` };
    expect((await fetch(`${api}/partners`, { headers: { ...headers, "x-padding": "p".repeat(12_000) } })).status).toBe(
      431,
    );
    expect((await fetch(`${api}/partners?category=${"q".repeat(12_000)}`, { headers })).status).toBe(431);
    expect((await fetch(`${api}/partners`, { headers })).status).toBe(200);
  });

  it("lets only the configured origins read answers from a browser, and sends security headers", async () => {
    const token = await tokenFor("viewer");
    // The local cloud allows what a deployment's `allowedOrigins` would: by default the front end's dev server.
    const allowed = "http://localhost:5173";
    const preflight = await fetch(`${api}/partners`, {
      method: "OPTIONS",
      headers: { origin: allowed, "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    for (const origin of ["https://evil.example.com", "http://localhost:5174", "null"]) {
      const answer = await fetch(`${api}/partners`, { headers: { authorization: `Bearer ${token}`, origin } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin"), origin).toBeNull();
    }
    const read = await fetch(`${api}/partners`, { headers: { authorization: `Bearer ${token}`, origin: allowed } });
    expect(read.headers.get("access-control-allow-origin")).toBe(allowed);
    expect(read.headers.get("x-content-type-options")).toBe("nosniff");
    expect(read.headers.get("cache-control")).toBe("no-store");
    const docs = await fetch(`${api}/docs`);
    for (const header of ["content-security-policy", "x-content-type-options", "referrer-policy"])
      expect(docs.headers.get(header), header).toBeTruthy();
    expect(docs.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});
