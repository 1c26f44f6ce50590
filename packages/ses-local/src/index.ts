import { randomUUID } from "node:crypto";
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";

/**
 * The SES stand-in: aws-ses-v2-local (v1 and v2 send APIs, `GET /store` to read mail back, a web
 * viewer at `/`) behind a small front that can make chosen recipients fail the way SES does, so the
 * platform's retries and failure records can be exercised for real, as AWS Fault Injection would.
 *
 *   POST   /faults  {"recipient": "x@example.org", "failures": 2, "error": "throttled" | "rejected"}
 *   GET    /faults  the faults still armed
 *   DELETE /faults  disarm them all
 */
export interface SesFault {
  readonly recipient: string;
  failures: number;
  readonly error: "throttled" | "rejected";
}

export interface SesLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Each fault as SES answers it: v2 (REST, JSON) and v1 (query protocol, XML) name and send errors differently. */
const SES_ERRORS = {
  throttled: {
    status: 429,
    type: "TooManyRequestsException",
    v1: { status: 400, code: "Throttling" },
    message: () => "Maximum sending rate exceeded.",
  },
  rejected: {
    status: 400,
    type: "MessageRejected",
    v1: { status: 400, code: "MessageRejected" },
    message: (recipient: string) =>
      `Email address is not verified. The following identities failed the check in region AP-NORTHEAST-1: ${recipient}`,
  },
} as const;

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** An SES v1 error response, which the SDK's query-protocol client reads by its `Code`. */
function v1Error(response: ServerResponse, status: number, code: string, message: string): void {
  const text =
    '<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/">' +
    `<Error><Type>Sender</Type><Code>${code}</Code><Message>${message.replace(/[<>&]/g, "")}</Message></Error>` +
    `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  response.writeHead(status, { "content-type": "text/xml", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

/** The recipients of a SendEmail request (v2 JSON or v1 form), lower-cased. */
function recipientsOf(path: string, body: Buffer): string[] {
  const text = body.toString("utf8");
  if (path.startsWith("/v2/email/outbound-emails")) {
    try {
      const parsed = JSON.parse(text) as { Destination?: Record<string, string[] | undefined> };
      return Object.values(parsed.Destination ?? {})
        .flatMap((list) => list ?? [])
        .map((a) => a.toLowerCase());
    } catch {
      return [];
    }
  }
  return [...new URLSearchParams(text).entries()]
    .filter(([name]) => name.startsWith("Destination."))
    .map(([, value]) => value.toLowerCase());
}

async function startStandIn(): Promise<Server> {
  // CommonJS with a default export; its module state is the mail store.
  const module = (await import("aws-ses-v2-local")) as unknown as {
    default:
      | ((c: { port: number; host: string }) => Promise<Server>)
      | { default: (c: { port: number; host: string }) => Promise<Server> };
  };
  const start = typeof module.default === "function" ? module.default : module.default.default;
  const server = await start({ port: 0, host: "127.0.0.1" });
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  return server;
}

export async function startSesLocal(options: { port?: number } = {}): Promise<SesLocal> {
  const standIn = await startStandIn();
  const standInAddress = standIn.address();
  const standInPort = typeof standInAddress === "object" && standInAddress ? standInAddress.port : 0;
  const faults: SesFault[] = [];

  const front = createServer((request, response) => {
    void (async () => {
      const path = request.url ?? "/";
      const body = await readBody(request);
      if (path === "/faults") {
        if (request.method === "GET") return json(response, 200, { faults });
        if (request.method === "DELETE") {
          faults.length = 0;
          return json(response, 200, { faults });
        }
        if (request.method === "POST") {
          const fault = JSON.parse(body.toString("utf8") || "{}") as Partial<SesFault>;
          if (
            typeof fault.recipient !== "string" ||
            !Number.isInteger(fault.failures) ||
            !(fault.error && fault.error in SES_ERRORS)
          ) {
            return json(response, 400, {
              message: 'expected {"recipient": string, "failures": integer, "error": "throttled" | "rejected"}',
            });
          }
          faults.push({
            recipient: fault.recipient.toLowerCase(),
            failures: fault.failures as number,
            error: fault.error,
          });
          return json(response, 201, { faults });
        }
      }
      if (request.method === "POST") {
        const recipients = recipientsOf(path, body);
        const fault = faults.find((f) => f.failures > 0 && recipients.includes(f.recipient));
        if (fault) {
          fault.failures--;
          const error = SES_ERRORS[fault.error];
          if (!path.startsWith("/v2/")) {
            return v1Error(response, error.v1.status, error.v1.code, error.message(fault.recipient));
          }
          return json(
            response,
            error.status,
            { message: error.message(fault.recipient) },
            { "x-amzn-errortype": error.type },
          );
        }
      }
      const upstream = httpRequest(
        { host: "127.0.0.1", port: standInPort, method: request.method, path, headers: request.headers },
        (reply) => {
          response.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(response);
        },
      );
      upstream.on("error", () => json(response, 502, { message: "SES stand-in unavailable" }));
      upstream.end(body);
    })().catch(() => {
      if (!response.headersSent) json(response, 500, { message: "SES front failed" });
    });
  });
  const port = await listen(front, options.port ?? 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await close(front);
      await close(standIn);
    },
  };
}
