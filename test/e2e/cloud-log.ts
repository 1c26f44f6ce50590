import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { call, eventually } from "./client.ts";

/** A structured log line of the local cloud, as the kit's logger writes it (the fields the suites read). */
export interface LogLine {
  message?: string;
  eventId?: string;
  correlationId?: string;
  service?: string;
  function_name?: string;
}

/** The JSON lines of a log, whatever prefix a line has; lines that are not JSON are left out. */
export function parseLog(text: string): LogLine[] {
  return text.split("\n").flatMap((line) => {
    const start = line.indexOf("{");
    if (start < 0) return [];
    try {
      return [JSON.parse(line.slice(start)) as LogLine];
    } catch {
      return [];
    }
  });
}

/**
 * The shared local cloud's log lines up to now. A request with a fresh correlation id is logged after everything
 * the cloud did before it, so its line in the file marks that the file has caught up.
 */
export async function logLinesSoFar(): Promise<LogLine[]> {
  const logFile = process.env.E2E_CLOUD_LOG;
  if (!logFile) throw new Error("E2E_CLOUD_LOG is not set");
  const barrier = `e2e-barrier-${randomUUID()}`;
  const reply = await call("GET", "/partners?limit=1", { roles: ["viewer"], headers: { "x-correlation-id": barrier } });
  expect(reply.status).toBe(200);
  return eventually(async () => {
    const lines = parseLog(readFileSync(logFile, "utf8"));
    expect(
      lines.some((line) => line.correlationId === barrier),
      "the log has caught up",
    ).toBe(true);
    return lines;
  });
}

/** How many times each service logged "event consumed" for each of these events. */
export function consumedBy(
  lines: readonly LogLine[],
  eventIds: readonly string[],
): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>(eventIds.map((id) => [id, {}]));
  for (const line of lines) {
    const byService = line.eventId ? counts.get(line.eventId) : undefined;
    if (line.message !== "event consumed" || !byService) continue;
    byService[String(line.service)] = (byService[String(line.service)] ?? 0) + 1;
  }
  return counts;
}
