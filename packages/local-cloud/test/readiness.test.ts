import { rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVerifier, mintToken } from "../src/dev-issuer.ts";
import { createGateway } from "../src/gateway.ts";
import { close, listen } from "../src/http-util.ts";
import { LocalFunction } from "../src/lambda-runtime.ts";
import { Readiness } from "../src/readiness.ts";

const keyFile = join(tmpdir(), `readiness-test-${process.pid}.json`);
const echo = new LocalFunction("echo", fileURLToPath(new URL("./fixtures/echo-handler.ts", import.meta.url)));
let readiness: Readiness;
let server: Server;
let base: string;

beforeAll(async () => {
  server = createGateway({
    routes: [{ method: "GET", path: "/partners/{id}", target: echo }],
    verify: await createVerifier(keyFile),
    openApi: () => ({ openapi: "3.1.0" }),
    readiness: () => readiness.state,
  });
  base = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  await close(server);
  rmSync(keyFile, { force: true });
});

interface NotReady {
  status: number;
  state: string;
  detail: string;
  waitingFor: string[];
}

describe("readiness of the local gateway", () => {
  it("answers /health and routes with 503 naming what is still starting, then 200 once all is done", async () => {
    readiness = new Readiness(["dynamodb", "table city-registry", "seed city-registry"]);
    const token = await mintToken(keyFile, ["viewer"]);
    const route = () => fetch(`${base}/partners/paris`, { headers: { authorization: `Bearer ${token}` } });

    readiness.done("dynamodb");
    const starting = await fetch(`${base}/health`);
    expect(starting.status).toBe(503);
    expect(starting.headers.get("content-type")).toBe("application/problem+json");
    expect(starting.headers.get("retry-after")).toBe("1");
    const body = (await starting.json()) as NotReady;
    expect(body).toMatchObject({ status: 503, state: "starting" });
    expect(body.waitingFor).toEqual(["table city-registry", "seed city-registry"]);
    expect(body.detail).toContain("seed city-registry");
    expect((await route()).status).toBe(503);
    // The document and its viewer need nothing that starts.
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);

    readiness.done("table city-registry");
    readiness.done("seed city-registry");
    const ready = await fetch(`${base}/health`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ok" });
    expect((await route()).status).toBe(200);
  });

  it("says why starting failed, and stays unavailable", async () => {
    readiness = new Readiness(["dynamodb", "seed city-registry"]);
    readiness.done("dynamodb");
    readiness.fail("the seed's table does not exist");
    const failed = await fetch(`${base}/health`);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({
      state: "failed",
      waitingFor: ["seed city-registry"],
      detail: expect.stringContaining("the seed's table does not exist"),
    });
  });

  it("refuses a step it was not told of, so nothing becomes ready by a misspelt name", () => {
    readiness = new Readiness(["table city-registry"]);
    expect(() => readiness.done("table city-registri")).toThrow(/table city-registry/);
    expect(readiness.ready).toBe(false);
  });
});
