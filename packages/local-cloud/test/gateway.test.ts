import { once } from "node:events";
import { readFileSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { APIGatewayProxyEventV2WithJWTAuthorizer as GatewayEvent } from "aws-lambda";
import { importJWK, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, LOCAL_AUDIENCE, LOCAL_ISSUER, mintToken } from "../src/dev-issuer.ts";
import { createGateway } from "../src/gateway.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";

const keyFile = join(tmpdir(), `gateway-test-${process.pid}.json`);
const echo = new LocalFunction("echo", fileURLToPath(new URL("./fixtures/echo-handler.ts", import.meta.url)));
let server: Server;
let base: string;

beforeAll(async () => {
  server = createGateway({
    routes: [
      { method: "GET", path: "/partners/{id}", target: echo },
      { method: "GET", path: "/partners/search", target: echo },
      { method: "POST", path: "/partners/{id}/agreements", target: echo },
    ],
    verify: await createVerifier(keyFile),
    openApi: () => ({ openapi: "3.1.0" }),
    allowedOrigins: ["https://diplomacy.example.org"],
  });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  await close(server);
  rmSync(keyFile, { force: true });
});

/** A token signed by the dev issuer's own key but with claims of the caller's choosing. */
async function signed(claims: Record<string, unknown>, exp: number): Promise<string> {
  const stored = JSON.parse(readFileSync(keyFile, "utf8")) as { kid: string; privateJwk: JWK };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: stored.kid })
    .setSubject("someone")
    .setExpirationTime(exp)
    .sign(await importJWK(stored.privateJwk, "RS256"));
}

const get = (path: string, token?: string) =>
  fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe("local HTTP API gateway", () => {
  it("builds a payload-2.0 event with the claims where the JWT authorizer puts them", async () => {
    const token = await mintToken(keyFile, ["admin", "viewer"], { subject: "staff-1" });
    const response = await get("/partners/s%C3%A3o-paulo?tag=a&tag=b", token);
    expect(response.status).toBe(200);
    const event = (await response.json()) as GatewayEvent;
    expect(event).toMatchObject({
      version: "2.0",
      routeKey: "GET /partners/{id}",
      rawPath: "/partners/s%C3%A3o-paulo",
      rawQueryString: "tag=a&tag=b",
      pathParameters: { id: "são-paulo" },
      queryStringParameters: { tag: "a,b" },
      isBase64Encoded: false,
      requestContext: {
        stage: "$default",
        http: { method: "GET", path: "/partners/s%C3%A3o-paulo" },
        authorizer: {
          jwt: {
            claims: { sub: "staff-1", "cognito:groups": "[admin viewer]", iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE },
          },
        },
      },
    });
    expect(typeof event.requestContext.authorizer?.jwt.claims.exp).toBe("string");
  });

  it("prefers a static segment over a path parameter, as API Gateway does", async () => {
    const token = await mintToken(keyFile, ["viewer"]);
    const event = (await (await get("/partners/search", token)).json()) as GatewayEvent;
    expect(event.routeKey).toBe("GET /partners/search");
  });

  it("refuses missing, malformed, expired, foreign-issuer and foreign-audience tokens with 401", async () => {
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      undefined,
      "garbage",
      await signed({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE }, now - 60),
      await signed({ iss: "https://cognito-idp.ap-northeast-1.amazonaws.com/pool", aud: LOCAL_AUDIENCE }, now + 600),
      await signed({ iss: LOCAL_ISSUER, aud: "another-client" }, now + 600),
    ];
    for (const token of tokens) {
      const response = await get("/partners/paris", token);
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ message: "Unauthorized" });
    }
    expect(
      (await get("/partners/paris", await signed({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE }, now + 600))).status,
    ).toBe(200);
  });

  it("answers routes it does not have with 404 and a wrong method likewise", async () => {
    const token = await mintToken(keyFile, ["viewer"]);
    expect((await get("/nothing", token)).status).toBe(404);
    expect(
      (await fetch(`${base}/partners/paris`, { method: "DELETE", headers: { authorization: `Bearer ${token}` } }))
        .status,
    ).toBe(404);
  });

  it("passes a JSON body through as text", async () => {
    const token = await mintToken(keyFile, ["admin"]);
    const response = await fetch(`${base}/partners/paris/agreements`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ title: "東京" }),
    });
    const event = (await response.json()) as GatewayEvent;
    expect(JSON.parse(String(event.body))).toEqual({ title: "東京" });
    expect(event.pathParameters).toEqual({ id: "paris" });
  });

  it("serves health, OpenAPI and docs without a token", async () => {
    expect((await get("/health")).status).toBe(200);
    expect(await (await get("/openapi.json")).json()).toEqual({ openapi: "3.1.0" });
    expect((await get("/docs")).headers.get("content-type")).toContain("text/html");
  });

  it("serves the Swagger UI docs page and its assets from the installed package, with a same-origin-only policy", async () => {
    const page = await get("/docs");
    expect(page.status).toBe(200);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const html = await page.text();
    expect(html).not.toMatch(/<script>|https?:\/\//);
    const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets).toEqual(
      expect.arrayContaining(["/docs/swagger-ui-bundle.js", "/docs/swagger-ui.css", "/docs/docs.js"]),
    );
    for (const asset of assets) {
      const response = await get(asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("x-content-type-options"), asset).toBe("nosniff");
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(0);
    }
    expect((await get("/docs/swagger-ui-bundle.js")).headers.get("content-type")).toContain("text/javascript");
    expect(await (await get("/docs/docs.js")).text()).toContain('url: "/openapi.json"');
    // Nothing else of the package's folder, nor of the disk, is reachable.
    for (const path of ["/docs/package.json", "/docs/index.html", "/docs/../package.json", "/docs/%2e%2e/package.json"])
      expect((await get(path)).status, path).toBe(404);
  });

  it("allows only the configured origins by CORS: named back, never `*`; others get no CORS header", async () => {
    const token = await mintToken(keyFile, ["viewer"]);
    const preflight = (origin: string) =>
      fetch(`${base}/partners/paris`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
      });
    const allowed = await preflight("https://diplomacy.example.org");
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://diplomacy.example.org");
    expect(allowed.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(allowed.headers.get("vary")).toContain("origin");
    for (const origin of ["https://evil.example.com", "null", "https://diplomacy.example.org.evil.com"]) {
      const refused = await preflight(origin);
      expect(refused.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(refused.headers.get("access-control-allow-methods"), origin).toBeNull();
    }
    const read = await fetch(`${base}/partners/paris`, {
      headers: { authorization: `Bearer ${token}`, origin: "https://diplomacy.example.org" },
    });
    expect(read.headers.get("access-control-allow-origin")).toBe("https://diplomacy.example.org");
    expect(read.headers.get("access-control-expose-headers")).toContain("etag");
    const foreign = await fetch(`${base}/partners/paris`, {
      headers: { authorization: `Bearer ${token}`, origin: "https://evil.example.com" },
    });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    expect(foreign.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers headers or a query string past 10 KiB with 431, and a path that does not decode with 400", async () => {
    const token = await mintToken(keyFile, ["viewer"]);
    const bigHeader = await fetch(`${base}/partners/paris`, {
      headers: { authorization: `Bearer ${token}`, "x-padding": "a".repeat(11_000) },
    });
    expect(bigHeader.status).toBe(431);
    expect((await get(`/partners/paris?q=${"b".repeat(11_000)}`, token)).status).toBe(431);
    const badPath = await get("/partners/%E0%A4%A", token);
    expect(badPath.status).toBe(400);
    // The gateway still serves after them.
    expect((await get("/partners/paris", token)).status).toBe(200);
  });

  it("lets a client still sending a request head far past 10 KiB finish, and read the 431, before it closes", async () => {
    // The gateway used to destroy the connection at the next chunk after its answer: a client still writing got a
    // reset instead of the 431 now and then (seen in the fuzz suite on a loaded machine). It now drains, then closes.
    const { port } = new URL(base);
    const socket = createConnection({ host: "127.0.0.1", port: Number(port), allowHalfOpen: true });
    await once(socket, "connect");
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    const failures: string[] = [];
    socket.on("error", (error: NodeJS.ErrnoException) => failures.push(error.code ?? error.message));
    const closed = once(socket, "close");
    const write = (text: string) =>
      new Promise<void>((resolve) =>
        socket.write(text, (error?: NodeJS.ErrnoException | null) => {
          if (error) failures.push(error.code ?? error.message);
          resolve();
        }),
      );
    await write(`GET /partners/paris?q=`);
    // 1 MiB of query in 16 chunks, each after the gateway has had time to read the last and answer.
    for (let chunk = 0; chunk < 16; chunk++) {
      await write("b".repeat(65_536));
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await write(" HTTP/1.1\r\nhost: localhost\r\n\r\n");
    socket.end();
    await closed;
    expect(failures).toEqual([]);
    expect(Buffer.concat(received).toString("latin1")).toMatch(/^HTTP\/1\.1 431 /);
  });
});
