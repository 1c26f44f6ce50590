import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { httpHandler } from "../src/http.ts";
import { defineRoute } from "../src/manifest.ts";
import { httpEvent, lambdaContext } from "../src/testing.ts";

const PRIVATE = { passport: "TK1234567", email: "private.person@example.com", dietary: "no peanuts (allergy)" };

const route = defineRoute({
  method: "POST",
  path: "/delegates",
  operationId: "addDelegate",
  summary: "test",
  handler: "unused",
  roles: ["protocol"],
  access: "write",
  request: {
    body: z.object({
      passport: z.string().check(z.regex(/^[A-Z]{2}\d{7}$/)),
      email: z.email(),
      dietary: z.string(),
      age: z.number(),
    }),
  },
  responses: { 201: { description: "added" } },
});

describe("logging", () => {
  let lines: string[];
  beforeEach(() => {
    lines = [];
    process.env.LOG_LEVEL = "DEBUG";
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      });
    }
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.LOG_LEVEL = "SILENT";
  });

  it("writes structured lines with the correlation id but never the personal data of a request", async () => {
    const handler = httpHandler(
      route,
      async ({ body }) => {
        if (body.age > 100) throw new Error("unexpected failure");
        return { status: 201, body: { ok: true } };
      },
      { serviceName: "test" },
    );
    const invoke = (body: unknown, groups = "[protocol]") =>
      handler(
        httpEvent({ method: "POST", path: "/delegates", groups, body: JSON.stringify(body), requestId: "req-1" }),
        lambdaContext(),
      );

    expect((await invoke({ ...PRIVATE, age: 30 })).statusCode).toBe(201);
    expect((await invoke({ ...PRIVATE, age: "thirty" })).statusCode).toBe(400);
    expect((await invoke({ ...PRIVATE, age: 30 }, "[viewer]")).statusCode).toBe(403);
    expect((await invoke({ ...PRIVATE, age: 101 })).statusCode).toBe(500);

    const output = lines.join("");
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ correlationId: "req-1", service: "test" });
    for (const secret of Object.values(PRIVATE)) expect(output).not.toContain(secret);
  });
});
