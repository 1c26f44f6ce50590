import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import type { Role } from "@cdp/contracts";
import { mintToken } from "@cdp/local-cloud/dev-issuer";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run these tests through vitest with the e2e global setup`);
  return value;
}

export const api = required("E2E_API");
export const eventsEndpoint = required("E2E_EVENTS");
export const sesEndpoint = required("E2E_SES");
const keyFile = required("E2E_ISSUER_KEY_FILE");

export const eventBridge = new EventBridgeClient({
  endpoint: eventsEndpoint,
  region: "ap-northeast-1",
  credentials: { accessKeyId: "local", secretAccessKey: "local" },
  requestHandler: { requestTimeout: 5000 },
});

const tokens = new Map<string, Promise<string>>();
export function tokenFor(...roles: Role[]): Promise<string> {
  const key = roles.join(",");
  if (!tokens.has(key)) tokens.set(key, mintToken(keyFile, roles, { subject: `e2e-${key}` }));
  return tokens.get(key) as Promise<string>;
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

export async function call(
  method: string,
  path: string,
  options: {
    roles?: Role[];
    token?: string | null;
    body?: unknown;
    rawBody?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  const token = options.token === undefined ? await tokenFor(...(options.roles ?? ["admin"])) : options.token;
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...((options.body !== undefined || options.rawBody !== undefined) && { "content-type": "application/json" }),
      ...options.headers,
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    ...(options.rawBody !== undefined && { body: options.rawBody }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export interface BusEvent {
  id: string;
  source: string;
  "detail-type": string;
  // biome-ignore lint/suspicious/noExplicitAny: event details are read loosely in assertions
  detail: any;
}

export async function busEvents(detailType?: string): Promise<BusEvent[]> {
  const query = detailType ? `?detail-type=${encodeURIComponent(detailType)}` : "";
  const response = await fetch(`${eventsEndpoint}/events${query}`);
  return ((await response.json()) as { events: BusEvent[] }).events;
}

/** Polls until the check passes: the bus and the stream relay work asynchronously, as in AWS. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/** The number of events on the bus once it has stopped growing: earlier flows publish asynchronously. */
export async function quietEventCount(): Promise<number> {
  let previous = -1;
  for (;;) {
    const count = (await busEvents()).length;
    if (count === previous) return count;
    previous = count;
    await new Promise((resolve) => setTimeout(resolve, 750));
  }
}
