import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BodyTooLarge, readBody, sendJson } from "../http-util.ts";
import type { LocalEventBus } from "./bus.ts";
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from "./pattern.ts";

const AMZ_JSON = "application/x-amz-json-1.1";
const MAX_ENTRIES = 10;
/** EventBridge's limit on one PutEvents entry. */
const MAX_ENTRY_BYTES = 256 * 1024;

class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface PutEventsEntry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
  Resources?: unknown;
  Time?: unknown;
}

/** Scheduler control for `POST /schedules/{name}/fire`. */
export interface ScheduleFirer {
  fire(name: string, at?: Date): Promise<unknown>;
  readonly names: readonly string[];
}

function busMatches(bus: LocalEventBus, named: unknown): boolean {
  if (named === undefined || named === null || named === "") return false;
  const text = String(named);
  return text === bus.name || text.endsWith(`:event-bus/${bus.name}`);
}

function putEvents(bus: LocalEventBus, input: { Entries?: unknown }) {
  if (!Array.isArray(input.Entries) || input.Entries.length < 1 || input.Entries.length > MAX_ENTRIES) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  const results = (input.Entries as PutEventsEntry[]).map((entry) => {
    if (!busMatches(bus, entry.EventBusName)) {
      return {
        ErrorCode: "ResourceNotFoundException",
        ErrorMessage: `Event bus ${String(entry.EventBusName ?? "default")} does not exist.`,
      };
    }
    if (typeof entry.Source !== "string" || entry.Source === "") {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument.",
      };
    }
    if (typeof entry.DetailType !== "string" || entry.DetailType === "") {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument.",
      };
    }
    if (typeof entry.Detail !== "string") {
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument.",
      };
    }
    if (Buffer.byteLength(entry.Detail) + entry.Source.length + entry.DetailType.length > MAX_ENTRY_BYTES) {
      return { ErrorCode: "InvalidArgument", ErrorMessage: "Total size of the entry exceeds 256KB." };
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    if (detail === null || typeof detail !== "object" || Array.isArray(detail)) {
      return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
    }
    const time = typeof entry.Time === "number" ? new Date(entry.Time * 1000) : undefined;
    const resources = Array.isArray(entry.Resources) ? entry.Resources.map(String) : [];
    const event = bus.put({
      source: entry.Source,
      detailType: entry.DetailType,
      detail,
      resources,
      ...(time && { time }),
    });
    return { EventId: event.id };
  });
  return { FailedEntryCount: results.filter((r) => "ErrorCode" in r).length, Entries: results };
}

function testEventPattern(input: { EventPattern?: unknown; Event?: unknown }) {
  if (typeof input.Event !== "string") throw new AwsError("ValidationException", "Event is required.");
  let event: unknown;
  try {
    event = JSON.parse(input.Event);
  } catch {
    throw new AwsError("ValidationException", "Event is not valid JSON.");
  }
  const required = ["id", "account", "source", "time", "region", "detail-type"];
  const missing = required.filter((field) => !(event && typeof event === "object" && field in event));
  if (missing.length > 0) {
    throw new AwsError("ValidationException", `Parameter Event is not valid. Missing fields: ${missing.join(", ")}`);
  }
  try {
    return { Result: matchesEventPattern(parseEventPattern(input.EventPattern), event) };
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw new AwsError("InvalidEventPatternException", error.message);
    throw error;
  }
}

async function handleAws(bus: LocalEventBus, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = String(request.headers["x-amz-target"] ?? "");
  try {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse((await readBody(request)).toString("utf8") || "{}") as Record<string, unknown>;
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new AwsError("ValidationException", "Request is too large.");
      throw new AwsError("SerializationException", "Request body is not valid JSON.");
    }
    if (target === "AWSEvents.PutEvents") return sendJson(response, 200, putEvents(bus, input), AMZ_JSON);
    if (target === "AWSEvents.TestEventPattern") return sendJson(response, 200, testEventPattern(input), AMZ_JSON);
    throw new AwsError(
      "UnknownOperationException",
      `Operation ${target || "(none)"} is not supported by the local EventBridge.`,
    );
  } catch (error) {
    const aws = error instanceof AwsError ? error : new AwsError("InternalException", String(error), 500);
    response.setHeader("x-amzn-errortype", aws.type);
    sendJson(response, aws.status, { __type: aws.type, message: aws.message }, AMZ_JSON);
  }
}

/**
 * The local EventBridge endpoint. The AWS SDK calls it with the JSON 1.1 protocol (POST / with an
 * X-Amz-Target header); people and tests read what happened from `GET /events` and `GET /dead-letters`.
 */
export function createEventBridgeServer(bus: LocalEventBus, scheduler?: ScheduleFirer): Server {
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method === "POST" && url.pathname === "/") return void handleAws(bus, request, response);
    if (request.method === "GET" && url.pathname === "/events") {
      const source = url.searchParams.get("source");
      const detailType = url.searchParams.get("detail-type");
      const events = bus.events.filter(
        (e) => (!source || e.source === source) && (!detailType || e["detail-type"] === detailType),
      );
      return sendJson(response, 200, { events });
    }
    if (request.method === "GET" && url.pathname === "/dead-letters") {
      return sendJson(response, 200, { deadLetters: bus.deadLetters });
    }
    if (request.method === "GET" && url.pathname === "/rules") return sendJson(response, 200, { rules: bus.ruleNames });
    if (request.method === "GET" && url.pathname === "/health") return sendJson(response, 200, { status: "ok" });
    const replay = /^\/events\/([^/]+)\/replay$/.exec(url.pathname);
    if (request.method === "POST" && replay?.[1]) {
      const id = decodeURIComponent(replay[1]);
      return bus.replay(id)
        ? sendJson(response, 202, { replayed: id })
        : sendJson(response, 404, { message: `No event ${id}` });
    }
    const fire = /^\/schedules\/([^/]+)\/fire$/.exec(url.pathname);
    if (request.method === "POST" && fire?.[1] && scheduler) {
      const name = decodeURIComponent(fire[1]);
      if (!scheduler.names.includes(name)) {
        return sendJson(response, 404, { message: `No schedule ${name}; known: ${scheduler.names.join(", ")}` });
      }
      const atParam = url.searchParams.get("at");
      const at = atParam ? new Date(atParam) : undefined;
      if (at && Number.isNaN(at.getTime()))
        return sendJson(response, 400, { message: "at must be an ISO 8601 instant" });
      return void scheduler.fire(name, at).then(
        (result) => sendJson(response, 200, { schedule: name, result }),
        (error: unknown) => sendJson(response, 500, { schedule: name, error: String(error) }),
      );
    }
    sendJson(response, 404, { message: "Not found" });
  });
}
