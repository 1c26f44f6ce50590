import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Role } from "@cdp/contracts";
import { JavaMissingError } from "@cdp/dynamodb-local";
import { startLocalCloud } from "./cloud.ts";
import { mintToken } from "./dev-issuer.ts";
import { manifests } from "./manifests.ts";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
export const DEFAULT_ISSUER_KEY_FILE = resolve(REPO_ROOT, ".local/dev-issuer-key.json");
const issuerKeyFile = process.env.LOCAL_ISSUER_KEY_FILE || DEFAULT_ISSUER_KEY_FILE;

function port(variable: string, fallback: number): number {
  const raw = process.env[variable];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535)
    throw new Error(`${variable} must be a port number, not ${raw}`);
  return value;
}

function usage(): never {
  console.error(`usage:
  start [--persist [DIR]] [--no-seed]   start the local cloud (Ctrl-C stops it)
  token <role> [<role>...]              print a local bearer token; roles: ${Role.options.join(", ")}
  fire <service.schedule> [--at ISO]    run a schedule now on the running local cloud`);
  process.exit(2);
}

async function start(args: string[]): Promise<void> {
  const persistAt = args.indexOf("--persist");
  const persistDir =
    persistAt >= 0
      ? args[persistAt + 1] && !args[persistAt + 1]?.startsWith("--")
        ? args[persistAt + 1]
        : ".local/dynamodb"
      : undefined;
  const dataDir = process.env.LOCAL_DATA_DIR || persistDir;
  const seed =
    !args.includes("--no-seed") && !["0", "false", "no"].includes(String(process.env.LOCAL_SEED).toLowerCase());
  const cloud = await startLocalCloud({
    services: manifests,
    ports: {
      api: port("LOCAL_API_PORT", 3000),
      events: port("LOCAL_EVENTS_PORT", 4010),
      dynamodb: port("LOCAL_DYNAMODB_PORT", 8000),
      ses: port("LOCAL_SES_PORT", 8005),
    },
    dataDir: dataDir ? resolve(REPO_ROOT, dataDir) : undefined,
    seed,
    issuerKeyFile,
  });
  await cloud.settle();
  const { api, events, dynamodb, ses } = cloud.endpoints;
  console.log(`
City Diplomacy Platform — local cloud ready
  HTTP API         ${api}   (docs ${api}/docs, OpenAPI ${api}/openapi.json, health ${api}/health)
  EventBridge      ${events}   (events ${events}/events, dead letters ${events}/dead-letters)
  DynamoDB Local   ${dynamodb}   (${dataDir ? `data kept in ${resolve(REPO_ROOT, dataDir)}` : "in memory"})
  SES stand-in     ${ses}   (mail viewer ${ses}/, mail as JSON ${ses}/store)
  Schedules        ${cloud.scheduler.names.join(", ") || "none"}   (pnpm run fire <name>)
  Token            pnpm run token <role>...
Ctrl-C stops everything.`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    cloud.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

async function token(args: string[]): Promise<void> {
  if (args.length === 0) usage();
  const roles = args.map((arg) => {
    const role = Role.safeParse(arg);
    if (!role.success) {
      console.error(`unknown role ${arg}; roles: ${Role.options.join(", ")}`);
      process.exit(2);
    }
    return role.data;
  });
  console.log(
    `Bearer token for ${roles.join(", ")} (local dev issuer, valid 12 h, accepted by the local gateway only):`,
  );
  console.log(await mintToken(issuerKeyFile, roles));
}

async function fire(args: string[]): Promise<void> {
  const [name] = args;
  if (!name) usage();
  const atIndex = args.indexOf("--at");
  const at = atIndex >= 0 ? args[atIndex + 1] : undefined;
  const endpoint = `http://127.0.0.1:${port("LOCAL_EVENTS_PORT", 4010)}`;
  const url = `${endpoint}/schedules/${encodeURIComponent(name)}/fire${at ? `?at=${encodeURIComponent(at)}` : ""}`;
  const response = await fetch(url, { method: "POST" }).catch(() => {
    console.error(`The local cloud does not answer on ${endpoint}: start it with npm start`);
    process.exit(1);
  });
  const body = await response.text();
  console.log(body);
  if (!response.ok) process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
const commands: Record<string, (args: string[]) => Promise<void>> = { start, token, fire };
const run = command ? commands[command] : undefined;
if (!run) usage();
run(args).catch((error: unknown) => {
  if (error instanceof JavaMissingError) {
    console.error(error.message);
    process.exit(1);
  }
  console.error(error);
  process.exit(1);
});
