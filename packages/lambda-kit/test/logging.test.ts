import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as z from "zod/mini";
import { httpHandler } from "../src/http.ts";
import { createLogger, type LogLevel } from "../src/logger.ts";
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

describe("the kit's logger", () => {
  const linesOf = (level: LogLevel = "INFO") => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger("registry", { level, write: (line) => lines.push(JSON.parse(line)) });
    return { log, lines };
  };

  it("writes the fields Powertools Logger writes, the invocation's context and the keys appended", () => {
    const { log, lines } = linesOf();
    log.addContext(lambdaContext());
    log.appendKeys({ correlationId: "c-1" });
    log.info("served", { status: 200 });
    log.removeKeys(["correlationId"]);
    log.info("after");
    expect(lines[0]).toMatchObject({
      level: "INFO",
      message: "served",
      service: "registry",
      function_name: expect.any(String),
      function_request_id: expect.any(String),
      correlationId: "c-1",
      status: 200,
    });
    expect(Date.parse(String(lines[0]?.timestamp))).not.toBeNaN();
    expect(lines[1]).not.toHaveProperty("correlationId");
  });

  it("says cold_start on the first invocation of the process only", () => {
    const { log, lines } = linesOf();
    log.addContext(lambdaContext());
    log.info("second");
    log.addContext(lambdaContext());
    log.info("third");
    // The first invocation of this test process happened in the suite above.
    expect(lines.map((line) => line.cold_start)).toEqual([false, false]);
  });

  it("writes nothing below its level, and nothing at all when SILENT", () => {
    const warnOnly = linesOf("WARN");
    warnOnly.log.debug("d");
    warnOnly.log.info("i");
    warnOnly.log.warn("w");
    warnOnly.log.error("e");
    expect(warnOnly.lines.map((line) => line.level)).toEqual(["WARN", "ERROR"]);
    const silent = linesOf("SILENT");
    silent.log.error("e");
    expect(silent.lines).toEqual([]);
  });

  it("writes an error's name, message, stack and cause", () => {
    const { log, lines } = linesOf();
    log.error("failed", new TypeError("bad", { cause: new Error("root") }));
    expect(lines[0]?.error).toMatchObject({
      name: "TypeError",
      message: "bad",
      stack: expect.stringContaining("TypeError: bad"),
      cause: { name: "Error", message: "root" },
    });
  });
});
