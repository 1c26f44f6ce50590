import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { ThrottleProxy } from "@cdp/dynamodb-local";
import * as z from "zod/mini";
import { BodyTooLarge, readBody, sendJson } from "../http-util.ts";
import {
  type BusEntry,
  type DeadLetter,
  type DeliveryChaos,
  type LocalEventBus,
  TargetedDeliveryRefused,
} from "./bus.ts";
import { answerSqs, type DeadLetterQueues, SqsError } from "./dead-letter-queues.ts";
import { InvalidEventPatternError, matchesEventPattern, parseEventPattern } from "./pattern.ts";

const AMZ_JSON = "application/x-amz-json-1.1";
/** SQS speaks JSON 1.0. */
const AMZ_JSON_SQS = "application/x-amz-json-1.0";
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

/**
 * `POST /faults {"putEvents": {...}}`: the next `acceptThenFail` PutEvents calls (those carrying an
 * entry of `detailType` / `source`, when named) are accepted, their events delivered, and then answered
 * with a failure, as when the response is lost on the way back. The answer waits until those deliveries
 * have finished: a caller's retry after a lost response comes after its timeout, by when consumers have
 * usually acted on the first copy. `answer` says how:
 *  - "error" (default): HTTP 500 InternalException. The AWS SDK retries it itself, sending the batch again.
 *  - "failed-entries": 200 with every accepted entry failed (InternalFailure): the relay reports them,
 *    and the stream retries them.
 */
const PutEventsFault = z.object({
  acceptThenFail: z.int().check(z.minimum(1), z.maximum(1000)),
  answer: z._default(z.enum(["error", "failed-entries"]), "error"),
  detailType: z.optional(z.string().check(z.minLength(1))),
  source: z.optional(z.string().check(z.minLength(1))),
});
type PutEventsFault = z.infer<typeof PutEventsFault>;

/**
 * `POST /faults {"putEvents": {"down": true}}`: the bus is unavailable until `DELETE /faults`. Every PutEvents call
 * fails as EventBridge fails then, accepting nothing: `answer` "unavailable" (default) is HTTP 503
 * ServiceUnavailableException, "error" HTTP 500 InternalException. The AWS SDK retries both itself, then gives up.
 */
const PutEventsDown = z.object({
  down: z.literal(true),
  answer: z._default(z.enum(["unavailable", "error"]), "unavailable"),
});
type PutEventsDown = z.infer<typeof PutEventsDown> & { refused: number };

/**
 * `POST /faults {"deliveries": {...}}`: delivery chaos, on until `DELETE /faults` (see `DeliveryChaos`): each
 * matched event reaches each target 1 to `copies` times, a batch's deliveries start in a random order when
 * `shuffle`, each after a random 0 to `maxDelayMs` ms. Posting it again replaces it. `POST /settle` still waits
 * for every copy.
 */
const DeliveriesFault = z.object({
  copies: z._default(z.int().check(z.minimum(1), z.maximum(10)), 1),
  shuffle: z._default(z.boolean(), false),
  maxDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(60_000)), 0),
});
/**
 * `POST /faults {"dynamodb": {"throttle": 0.2}}`: that share of the functions' DynamoDB data-plane calls is
 * answered with ProvisionedThroughputExceededException or ThrottlingException, as DynamoDB throttles (the throttle
 * proxy in front of DynamoDB Local), and the SDK retries them. On until `DELETE /faults` (back to 0); posting it
 * again replaces it. `GET /faults` also gives the proxy's figures: `{"dynamodb": {share, calls, throttled, …}}`.
 */
const DynamoDbFault = z.object({ throttle: z.number().check(z.minimum(0), z.maximum(1)) });
/** The throttle proxy's switch and figures, as the local cloud hands them to the server. */
export type DynamoDbThrottle = Pick<ThrottleProxy, "setThrottle" | "stats">;
const FaultRequest = z
  .object({
    putEvents: z.optional(z.union([PutEventsDown, PutEventsFault])),
    deliveries: z.optional(DeliveriesFault),
    dynamodb: z.optional(DynamoDbFault),
  })
  .check(
    z.refine(
      (request) =>
        request.putEvents !== undefined || request.deliveries !== undefined || request.dynamodb !== undefined,
    ),
  );
type Fault =
  | { putEvents: PutEventsFault | PutEventsDown }
  | { deliveries: DeliveryChaos }
  | { dynamodb: { throttle: number } };

/** The PutEvents faults still armed, consumed one call at a time, and the delivery chaos, held by the bus. */
class Faults {
  private readonly armed: PutEventsFault[] = [];
  /** The bus is down while this is set, counting the calls it refused. */
  down: PutEventsDown | undefined;

  constructor(
    private readonly bus: LocalEventBus,
    readonly dynamodb?: DynamoDbThrottle,
  ) {}

  arm(fault: PutEventsFault): void {
    this.armed.push({ ...fault });
  }

  clear(): void {
    this.armed.length = 0;
    this.down = undefined;
    this.bus.deliveryChaos = undefined;
    this.dynamodb?.setThrottle(0);
  }

  deliveries(chaos: DeliveryChaos): void {
    this.bus.deliveryChaos = { ...chaos };
  }

  list(): Fault[] {
    const chaos = this.bus.deliveryChaos;
    const throttle = this.dynamodb?.stats().share ?? 0;
    return [
      ...(this.down ? [{ putEvents: { ...this.down } }] : []),
      ...this.armed.filter((f) => f.acceptThenFail > 0).map((putEvents) => ({ putEvents: { ...putEvents } })),
      ...(chaos ? [{ deliveries: { ...chaos } }] : []),
      ...(throttle > 0 ? [{ dynamodb: { throttle } }] : []),
    ];
  }

  /** The fault this call trips, if any: it must have accepted an entry the fault names. */
  trip(accepted: readonly { source: string; detailType: string }[]): PutEventsFault | undefined {
    const fault = this.armed.find(
      (f) =>
        f.acceptThenFail > 0 &&
        accepted.some(
          (entry) =>
            (f.detailType === undefined || entry.detailType === f.detailType) &&
            (f.source === undefined || entry.source === f.source),
        ),
    );
    if (fault) fault.acceptThenFail--;
    return fault;
  }
}

/**
 * `POST /rules/{rule}/deliver {"events": [envelope ids], "copies"?: n, "concurrent"?: boolean}`: received events
 * handed again to that one rule's target, in the listed order, the list `copies` times over, one after the other
 * or all at once (see `LocalEventBus.deliverTo`). Answers once every copy has finished, with their records:
 * 200 `{rule, deliveries}`; 404 for an unknown rule or event, 422 for an event the rule's pattern does not match.
 */
const TargetedDeliveryRequest = z.object({
  events: z.array(z.string().check(z.minLength(1))).check(z.minLength(1), z.maxLength(100)),
  copies: z._default(z.int().check(z.minimum(1), z.maximum(10)), 1),
  concurrent: z._default(z.boolean(), false),
});

async function handleTargetedDelivery(
  bus: LocalEventBus,
  rule: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse((await readBody(request)).toString("utf8") || "{}");
  } catch {
    body = undefined;
  }
  const plan = TargetedDeliveryRequest.safeParse(body);
  if (!plan.success) {
    return sendJson(response, 400, {
      message: 'expected {"events": [1 to 100 envelope ids], "copies"?: 1 to 10, "concurrent"?: boolean}',
    });
  }
  try {
    sendJson(response, 200, { rule, deliveries: await bus.deliverTo(rule, plan.data) });
  } catch (error) {
    if (!(error instanceof TargetedDeliveryRefused)) throw error;
    sendJson(response, error.reason === "not-matched" ? 422 : 404, { reason: error.reason, message: error.message });
  }
}

/** The stream pollers' side of a redrive, as the local cloud hands it to the server: it owns the pollers. */
export interface StreamRedrive {
  /** The rules of the streams whose records it can hand to their relay again (`<table>-stream`). */
  readonly rules: () => readonly string[];
  /** Hands these letters' records to their streams' relays again; what still fails is dead-lettered again. */
  redrive(letters: readonly DeadLetter[]): Promise<void>;
}

/**
 * `POST /dead-letters/redrive[?rule=<name>]`: every dead letter (of that rule) is taken off the list and handed again
 * to its own target only: a bus rule's letter to that rule's function, a stream's letter (`<table>-stream`) to that
 * table's relay, with the usual retries. A letter that fails again goes back on the list, its attempts counted on.
 * Answers once the redriven deliveries have finished: 200 `{redriven, deadLettersLeft}` (of that rule, or in all);
 * 404 for a rule that is neither a bus rule nor a stream.
 */
async function handleRedrive(
  bus: LocalEventBus,
  streams: StreamRedrive | undefined,
  rule: string | null,
  response: ServerResponse,
): Promise<void> {
  const streamRules = streams?.rules() ?? [];
  const redrivable = (name: string) => bus.ruleNames.includes(name) || streamRules.includes(name);
  if (rule !== null && !redrivable(rule)) {
    return sendJson(response, 404, {
      message: `No rule ${rule}; rules: ${[...bus.ruleNames, ...streamRules].join(", ")}`,
    });
  }
  const chosen = bus.deadLetters.filter((letter) => (rule === null || letter.rule === rule) && redrivable(letter.rule));
  // Off the list at once: a redrive asked meanwhile takes none of them, and what fails again comes back as new.
  for (const letter of chosen) bus.deadLetters.splice(bus.deadLetters.indexOf(letter), 1);
  const fromStreams = chosen.filter((letter) => streamRules.includes(letter.rule));
  await Promise.all([
    ...chosen.filter((letter) => !streamRules.includes(letter.rule)).map((letter) => bus.redeliver(letter)),
    ...(streams && fromStreams.length > 0
      ? [
          streams.redrive(fromStreams).catch((error: unknown) => {
            bus.deadLetters.push(...fromStreams);
            throw error;
          }),
        ]
      : []),
  ]);
  const left = bus.deadLetters.filter((letter) => rule === null || letter.rule === rule).length;
  sendJson(response, 200, { redriven: chosen.length, deadLettersLeft: left });
}

function busMatches(bus: LocalEventBus, named: unknown): boolean {
  if (named === undefined || named === null || named === "") return false;
  const text = String(named);
  return text === bus.name || text.endsWith(`:event-bus/${bus.name}`);
}

interface EntryError {
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

interface PutEventsResult {
  readonly FailedEntryCount: number;
  readonly Entries: ({ EventId: string } | EntryError)[];
}

/** One PutEvents entry as the bus takes it, or why EventBridge refuses it. */
function checkEntry(bus: LocalEventBus, entry: PutEventsEntry): BusEntry | EntryError {
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
  return { source: entry.Source, detailType: entry.DetailType, detail, resources, ...(time && { time }) };
}

async function putEvents(bus: LocalEventBus, input: { Entries?: unknown }, faults: Faults): Promise<PutEventsResult> {
  if (faults.down) {
    faults.down.refused++;
    if (faults.down.answer === "error") {
      throw new AwsError("InternalException", "Internal service error (injected: the bus is down).", 500);
    }
    throw new AwsError("ServiceUnavailableException", "Service is unavailable (injected: the bus is down).", 503);
  }
  if (!Array.isArray(input.Entries) || input.Entries.length < 1 || input.Entries.length > MAX_ENTRIES) {
    throw new AwsError(
      "ValidationException",
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES}`,
    );
  }
  const checked = (input.Entries as PutEventsEntry[]).map((entry) => checkEntry(bus, entry));
  // The valid entries go to the bus as one batch: delivery chaos shuffles the deliveries of a batch.
  const events = bus.putBatch(checked.filter((c): c is BusEntry => !("ErrorCode" in c)));
  let nextEvent = 0;
  const results = checked.map((c): PutEventsResult["Entries"][number] =>
    "ErrorCode" in c ? c : { EventId: events[nextEvent++]?.id ?? "" },
  );
  const accepted = events.map((event) => ({ id: event.id, source: event.source, detailType: event["detail-type"] }));
  const fault = faults.trip(accepted);
  if (fault) await bus.settled(accepted.map((entry) => entry.id));
  if (fault?.answer === "error") {
    throw new AwsError("InternalException", "Internal service error (injected: the batch was accepted).", 500);
  }
  const answered = fault
    ? results.map((result) =>
        "EventId" in result
          ? { ErrorCode: "InternalFailure", ErrorMessage: "Internal failure (injected: the entry was accepted)." }
          : result,
      )
    : results;
  return { FailedEntryCount: answered.filter((r) => "ErrorCode" in r).length, Entries: answered };
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

async function handleAws(
  bus: LocalEventBus,
  faults: Faults,
  request: IncomingMessage,
  response: ServerResponse,
  deadLetterQueues: DeadLetterQueues | undefined,
): Promise<void> {
  const target = String(request.headers["x-amz-target"] ?? "");
  if (target.startsWith("AmazonSQS.") && deadLetterQueues) {
    return handleSqs(deadLetterQueues, target.slice("AmazonSQS.".length), request, response);
  }
  try {
    let input: Record<string, unknown>;
    try {
      input = JSON.parse((await readBody(request)).toString("utf8") || "{}") as Record<string, unknown>;
    } catch (error) {
      if (error instanceof BodyTooLarge) throw new AwsError("ValidationException", "Request is too large.");
      throw new AwsError("SerializationException", "Request body is not valid JSON.");
    }
    if (target === "AWSEvents.PutEvents") return sendJson(response, 200, await putEvents(bus, input, faults), AMZ_JSON);
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

async function handleSqs(
  queues: DeadLetterQueues,
  operation: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const input = JSON.parse((await readBody(request)).toString("utf8") || "{}") as Record<string, unknown>;
    const endpoint = `http://${request.headers.host ?? "127.0.0.1"}`;
    sendJson(response, 200, answerSqs(queues, operation, input, endpoint), AMZ_JSON_SQS);
  } catch (error) {
    const sqs =
      error instanceof SqsError
        ? error
        : new SqsError(
            "com.amazonaws.sqs#InvalidParameterValue",
            "Request body is not valid JSON.",
            "InvalidParameterValue",
          );
    response.setHeader("x-amzn-query-error", `${sqs.queryCode};Sender`);
    sendJson(response, 400, { __type: sqs.type, message: sqs.message }, AMZ_JSON_SQS);
  }
}

async function handleFaults(faults: Faults, request: IncomingMessage, response: ServerResponse) {
  if (request.method === "GET") {
    return sendJson(response, 200, {
      faults: faults.list(),
      ...(faults.dynamodb && { dynamodb: faults.dynamodb.stats() }),
    });
  }
  if (request.method === "DELETE") {
    faults.clear();
    return sendJson(response, 200, { faults: faults.list() });
  }
  let body: unknown;
  try {
    body = JSON.parse((await readBody(request)).toString("utf8") || "{}");
  } catch {
    body = undefined;
  }
  const fault = FaultRequest.safeParse(body);
  if (!fault.success) {
    return sendJson(response, 400, {
      message:
        'expected {"putEvents": {"acceptThenFail": integer >= 1, "answer"?: "error" | "failed-entries", "detailType"?: string, "source"?: string}} ' +
        'or {"putEvents": {"down": true, "answer"?: "unavailable" | "error"}} ' +
        'and/or {"deliveries": {"copies"?: 1 to 10, "shuffle"?: boolean, "maxDelayMs"?: 0 to 60000}} ' +
        'and/or {"dynamodb": {"throttle": 0 to 1}}',
    });
  }
  if (fault.data.dynamodb && !faults.dynamodb) {
    return sendJson(response, 400, {
      message: "DynamoDB throttling needs the throttle proxy, which this server was not given",
    });
  }
  const putEventsFault = fault.data.putEvents;
  if (putEventsFault && "down" in putEventsFault)
    faults.down = { ...putEventsFault, refused: faults.down?.refused ?? 0 };
  else if (putEventsFault) faults.arm(putEventsFault);
  if (fault.data.dynamodb) faults.dynamodb?.setThrottle(fault.data.dynamodb.throttle);
  if (fault.data.deliveries) faults.deliveries(fault.data.deliveries);
  sendJson(response, 201, { faults: faults.list() });
}

/**
 * The local EventBridge endpoint. The AWS SDK calls it with the JSON 1.1 protocol (POST / with an
 * X-Amz-Target header); people and tests read what happened from `GET /events`, `GET /deliveries` and
 * `GET /dead-letters`, arm faults with `POST /faults` (see `PutEventsFault`, `PutEventsDown` and `DeliveriesFault`),
 * hand one rule's target received events again with `POST /rules/{rule}/deliver` (see `TargetedDeliveryRequest`),
 * and redrive dead letters with `POST /dead-letters/redrive` (see `handleRedrive`).
 */
export function createEventBridgeServer(
  bus: LocalEventBus,
  scheduler?: ScheduleFirer,
  /** Resolves once the platform is quiet: every outbox relayed, every delivery done (`POST /settle`). */
  settle?: () => Promise<void>,
  options: {
    /** The throttle proxy in front of DynamoDB Local, switched by `POST /faults {"dynamodb": …}`. */
    readonly dynamodb?: DynamoDbThrottle;
    /** How `POST /dead-letters/redrive` hands stream records to their relays again; without it, only bus rules'. */
    readonly streams?: StreamRedrive;
    /** The dead letters as SQS dead-letter queues (`AmazonSQS.ListQueues`, `GetQueueAttributes`); without it, none. */
    readonly deadLetterQueues?: DeadLetterQueues;
  } = {},
): Server {
  const faults = new Faults(bus, options.dynamodb);
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (request.method === "POST" && url.pathname === "/") {
      return void handleAws(bus, faults, request, response, options.deadLetterQueues);
    }
    if (url.pathname === "/faults" && ["GET", "POST", "DELETE"].includes(request.method ?? "")) {
      return void handleFaults(faults, request, response).catch(() => {
        if (!response.headersSent) sendJson(response, 500, { message: "fault switch failed" });
      });
    }
    if (request.method === "POST" && url.pathname === "/settle" && settle) {
      return void settle().then(
        () => sendJson(response, 200, { settled: true }),
        (error: unknown) => sendJson(response, 500, { settled: false, error: String(error) }),
      );
    }
    if (request.method === "GET" && url.pathname === "/deliveries") {
      const event = url.searchParams.get("event");
      return sendJson(response, 200, { deliveries: bus.deliveries.filter((d) => !event || d.eventId === event) });
    }
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
    if (request.method === "POST" && url.pathname === "/dead-letters/redrive") {
      return void handleRedrive(bus, options.streams, url.searchParams.get("rule"), response).catch(
        (error: unknown) => {
          if (!response.headersSent) sendJson(response, 500, { message: String(error) });
        },
      );
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
    const deliver = /^\/rules\/([^/]+)\/deliver$/.exec(url.pathname);
    if (request.method === "POST" && deliver?.[1]) {
      return void handleTargetedDelivery(bus, decodeURIComponent(deliver[1]), request, response).catch(
        (error: unknown) => {
          if (!response.headersSent) sendJson(response, 500, { message: String(error) });
        },
      );
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
