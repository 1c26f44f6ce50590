import { randomUUID } from "node:crypto";
import {
  Agent,
  createServer,
  request as forward,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { crc32 } from "node:zlib";

/**
 * The operations DynamoDB throttles: those that read or write items and so spend capacity. Control-plane
 * calls (CreateTable, DescribeTable, UpdateTimeToLive, ListTables…) have limits of their own, never these.
 */
export const THROTTLED_OPERATIONS: ReadonlySet<string> = new Set(
  [
    "GetItem",
    "PutItem",
    "UpdateItem",
    "DeleteItem",
    "Query",
    "Scan",
    "BatchGetItem",
    "BatchWriteItem",
    "TransactWriteItems",
    "TransactGetItems",
  ].map((operation) => `DynamoDB_20120810.${operation}`),
);

/**
 * What DynamoDB answers when it throttles, word for word. Both names are in the SDK's list of throttling
 * errors (`THROTTLING_ERROR_CODES` of @smithy/core's service-error-classification), so its retry strategy
 * retries them with the throttling backoff, and gives up with the error once its attempts are spent.
 */
export const THROTTLING_ANSWERS = [
  {
    type: "ProvisionedThroughputExceededException",
    message:
      "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.",
  },
  { type: "ThrottlingException", message: "Rate of requests exceeds the allowed throughput." },
] as const;

export interface ThrottleStats {
  /** The share of data-plane calls answered with a throttling error from now on, 0 to 1. */
  readonly share: number;
  /** Data-plane calls received: those that may be throttled. */
  readonly calls: number;
  /** Of those, the ones answered with a throttling error instead of being forwarded. */
  readonly throttled: number;
  /** Other calls (CreateTable, DescribeTable…), always forwarded. */
  readonly controlCalls: number;
  /**
   * Writes DynamoDB Local carried out (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems answered
   * 200): what tests read to tell that a refused request changed nothing. A refused condition is no write.
   */
  readonly writes: number;
}

export interface ThrottleProxy {
  /** Where SDK clients point (`AWS_ENDPOINT_URL_DYNAMODB`) to go through the proxy. */
  readonly endpoint: string;
  /** 0 forwards everything; 1 throttles every data-plane call. */
  setThrottle(share: number): void;
  stats(): ThrottleStats;
  stop(): Promise<void>;
}

const WRITE_OPERATIONS = new Set(
  ["PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"].map(
    (name) => `DynamoDB_20120810.${name}`,
  ),
);

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection: never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

function sendThrottled(response: ServerResponse, answer: (typeof THROTTLING_ANSWERS)[number]): void {
  const body = Buffer.from(
    JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${answer.type}`, message: answer.message }),
  );
  response.writeHead(400, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": body.length,
    "x-amzn-errortype": answer.type,
    "x-amzn-requestid": randomUUID(),
    // DynamoDB sends the CRC32 of every body; SDKs that check it find it right.
    "x-amz-crc32": String(crc32(body)),
  });
  response.end(body);
}

/**
 * An HTTP proxy in front of DynamoDB Local that throttles as DynamoDB does: each data-plane call is, with
 * probability `share`, answered with `ProvisionedThroughputExceededException` or `ThrottlingException` (HTTP 400,
 * the body and headers DynamoDB sends) instead of being forwarded; everything else is forwarded as it came
 * (method, path, headers, body) and the answer streamed back. A throttled call never reaches DynamoDB Local,
 * as a throttled call changes nothing in DynamoDB. `random` is for tests that fix the draws.
 */
export async function startThrottleProxy(options: {
  target: string;
  port?: number;
  share?: number;
  random?: () => number;
}): Promise<ThrottleProxy> {
  const target = new URL(options.target);
  const random = options.random ?? Math.random;
  const agent = new Agent({ keepAlive: true });
  let share = 0;
  let calls = 0;
  let throttled = 0;
  let controlCalls = 0;
  let writes = 0;
  const setThrottle = (next: number) => {
    if (!(Number.isFinite(next) && next >= 0 && next <= 1)) throw new RangeError(`share must be 0 to 1, not ${next}`);
    share = next;
  };
  setThrottle(options.share ?? 0);

  const pass = (request: IncomingMessage, response: ServerResponse, write = false) => {
    const upstream = forward(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: endToEnd(request.headers),
        agent,
      },
      (answer) => {
        if (write && answer.statusCode === 200) writes++;
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(response);
        answer.on("error", () => response.destroy());
      },
    );
    upstream.on("error", (error) => {
      // DynamoDB Local is down or dropped the connection: the caller sees a 502, which the SDK retries.
      if (!response.headersSent) {
        response
          .writeHead(502, { "content-type": "text/plain" })
          .end(`DynamoDB Local did not answer: ${error.message}`);
      } else {
        response.destroy();
      }
    });
    request.pipe(upstream);
  };

  const server = createServer((request, response) => {
    const operation = String(request.headers["x-amz-target"] ?? "");
    if (!THROTTLED_OPERATIONS.has(operation)) {
      controlCalls++;
      return pass(request, response);
    }
    calls++;
    if (share > 0 && random() < share) {
      throttled++;
      const answer = THROTTLING_ANSWERS[random() < 0.5 ? 0 : 1];
      // Read the request to its end first, so the connection stays usable for the SDK's next call.
      request.resume();
      request.once("end", () => sendThrottled(response, answer));
      return;
    }
    pass(request, response, WRITE_OPERATIONS.has(operation));
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    setThrottle,
    stats: () => ({ share, calls, throttled, controlCalls, writes }),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
