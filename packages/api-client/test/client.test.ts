import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createApiClient, type RequestBody, type ResponseBody } from "../src/index.ts";

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  ifMatch: string | undefined;
  contentType: string | undefined;
  body: string;
}

/** A real HTTP server that records each request and answers as the API does: JSON, or problem+json for an unknown id. */
let server: Server;
let baseUrl: string;
const received: Received[] = [];

async function readAll(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    const body = await readAll(request);
    received.push({
      method: String(request.method),
      url: String(request.url),
      authorization: request.headers.authorization,
      ifMatch: request.headers["if-match"] as string | undefined,
      contentType: request.headers["content-type"],
      body,
    });
    if (request.url?.startsWith("/partners/nowhere")) {
      response.writeHead(404, { "content-type": "application/problem+json" });
      return void response.end(
        JSON.stringify({
          type: "urn:problem:not-found",
          title: "Not Found",
          status: 404,
          detail: "no partner nowhere",
        }),
      );
    }
    response.writeHead(200, { "content-type": "application/json", etag: '"3"' });
    response.end(JSON.stringify({ id: "paris", version: 3 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const lastRequest = () => received.at(-1);

describe("the typed API client", () => {
  it("sends the bearer token, the path and query as the gateway reads them, and returns the body and headers", async () => {
    const client = createApiClient({ baseUrl, token: "token-1" });
    const { data, response } = await client.GET("/partners/{id}", { params: { path: { id: "são-paulo" } } });
    expect(lastRequest()).toMatchObject({
      method: "GET",
      url: "/partners/s%C3%A3o-paulo",
      authorization: "Bearer token-1",
    });
    expect(data).toMatchObject({ id: "paris", version: 3 });
    expect(response.headers.get("etag")).toBe('"3"');

    await client.GET("/partners", { params: { query: { category: "friendship-city", limit: 7, cursor: "a/b+c" } } });
    expect(lastRequest()?.url).toBe("/partners?category=friendship-city&limit=7&cursor=a%2Fb%2Bc");
  });

  it("asks a token function before every request, so a refreshed token is used", async () => {
    let issued = 0;
    const client = createApiClient({ baseUrl, token: async () => `token-${++issued}` });
    await client.GET("/partners/{id}", { params: { path: { id: "paris" } } });
    await client.GET("/partners/{id}", { params: { path: { id: "paris" } } });
    expect(received.slice(-2).map((r) => r.authorization)).toEqual(["Bearer token-1", "Bearer token-2"]);
  });

  it("sends a JSON body and the declared If-Match header", async () => {
    const client = createApiClient({ baseUrl, token: "t" });
    await client.PATCH("/partners/{id}", {
      params: { path: { id: "paris" }, header: { "If-Match": '"2"' } },
      body: { cooperationAreas: ["environment"] },
    });
    expect(lastRequest()).toMatchObject({
      method: "PATCH",
      url: "/partners/paris",
      ifMatch: '"2"',
      contentType: "application/json",
    });
    expect(JSON.parse(lastRequest()?.body ?? "")).toEqual({ cooperationAreas: ["environment"] });
  });

  it("returns a refusal as the problem document, with no data", async () => {
    const client = createApiClient({ baseUrl });
    const { data, error, response } = await client.GET("/partners/{id}", { params: { path: { id: "nowhere" } } });
    expect(lastRequest()?.authorization).toBeUndefined();
    expect(response.status).toBe(404);
    expect(data).toBeUndefined();
    expect(error).toMatchObject({ status: 404, detail: "no partner nowhere" });
  });

  it("types bodies from the OpenAPI document", () => {
    expectTypeOf<RequestBody<"/partners", "post">["kind"]>().toEqualTypeOf<"city" | "state" | "region">();
    expectTypeOf<ResponseBody<"/partners/{id}", "get">["version"]>().toEqualTypeOf<number>();
    expectTypeOf<ResponseBody<"/partners", "post", 201>["id"]>().toEqualTypeOf<string>();
    const client = createApiClient({ baseUrl });
    // @ts-expect-error: no such route in the document
    expectTypeOf(client.GET).toBeCallableWith("/nowhere");
  });
});
