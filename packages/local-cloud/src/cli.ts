import { resolve } from "node:path";
import { Role } from "@cdp/contracts";
import { JavaMissingError } from "@cdp/dynamodb-local";
import type { ServiceManifest } from "@cdp/lambda-kit";
import { type LocalCloud, StoppedWhileStarting, startLocalCloud } from "./cloud.ts";
import { mintToken } from "./dev-issuer.ts";

export interface LocalCloudCliOptions {
  /** The services to run: the caller composes them; this library imports none. */
  readonly services: readonly ServiceManifest[];
  /** Where `.local/` (the dev issuer's key, kept data) lives and relative data folders resolve: the repository. */
  readonly workDir: string;
  /** Browser origins allowed by CORS: the deployment's configuration, read the same way. */
  readonly allowedOrigins?: readonly string[];
}

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

async function start(options: LocalCloudCliOptions, issuerKeyFile: string, args: string[]): Promise<void> {
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
  const startedAt = performance.now();

  // Signals are handled from the first moment: a stop while starting still ends every child cleanly.
  let starting: Promise<LocalCloud> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string, exitCode: number) => {
    stopping ??= (async () => {
      console.log(`\n${reason}: stopping the local cloud…`);
      try {
        const cloud = await starting?.catch(() => undefined);
        await cloud?.stop();
        process.exit(exitCode);
      } catch (error) {
        console.error(error);
        process.exit(1);
      }
    })();
  };
  process.on("SIGINT", () => stop("SIGINT", 0));
  process.on("SIGTERM", () => stop("SIGTERM", 0));

  starting = startLocalCloud({
    services: options.services,
    ports: {
      api: port("LOCAL_API_PORT", 3000),
      events: port("LOCAL_EVENTS_PORT", 4010),
      dynamodb: port("LOCAL_DYNAMODB_PORT", 8000),
      ses: port("LOCAL_SES_PORT", 8005),
      s3: port("LOCAL_S3_PORT", 8006),
    },
    dataDir: dataDir ? resolve(options.workDir, dataDir) : undefined,
    seed,
    issuerKeyFile,
    ...(options.allowedOrigins && { allowedOrigins: options.allowedOrigins }),
  });
  let cloud: LocalCloud;
  try {
    cloud = await starting;
  } catch (error) {
    if (stopping) return; // the stop under way exits
    throw error;
  }
  if (stopping) return;
  const { api, events, dynamodb, ses, s3 } = cloud.endpoints;
  const schedules = options.services.flatMap((s) => s.schedules.map((schedule) => `${s.name}.${schedule.name}`));
  console.log(`
City Diplomacy Platform — local cloud starting
  HTTP API         ${api}   (docs ${api}/docs, OpenAPI ${api}/openapi.json, health ${api}/health)
  EventBridge      ${events}   (events ${events}/events, dead letters ${events}/dead-letters)
  DynamoDB Local   ${dynamodb}   (${dataDir ? `data kept in ${resolve(options.workDir, dataDir)}` : "in memory"})
  SES stand-in     ${ses}   (mail viewer ${ses}/, mail as JSON ${ses}/store)
  S3 stand-in      ${s3}   (reports; ${dataDir ? "kept with the data" : "in a temporary folder"})
  Schedules        ${schedules.join(", ") || "none"}   (pnpm run fire <name>)
  Token            pnpm run token <role>...
${api}/health answers 503 until the tables, rules, stream pollers, schedules and seed are ready. Ctrl-C stops everything.`);
  try {
    await cloud.ready;
  } catch (error) {
    if (error instanceof StoppedWhileStarting || stopping) return;
    console.error(error);
    return void stop("failed to start", 1);
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`City Diplomacy Platform — local cloud ready in ${seconds} s: ${api}/health answers 200`);
}

async function token(issuerKeyFile: string, args: string[]): Promise<void> {
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

/**
 * The local cloud's command line (`start`, `token`, `fire`) over the services the caller composes; `argv` is
 * what follows the script's name.
 */
export function runLocalCloudCli(options: LocalCloudCliOptions, argv: readonly string[]): void {
  const issuerKeyFile = process.env.LOCAL_ISSUER_KEY_FILE || resolve(options.workDir, ".local/dev-issuer-key.json");
  const [command, ...args] = argv;
  const commands: Record<string, (args: string[]) => Promise<void>> = {
    start: (rest) => start(options, issuerKeyFile, rest),
    token: (rest) => token(issuerKeyFile, rest),
    fire,
  };
  const run = command ? commands[command] : undefined;
  if (!run) usage();
  run(args).catch((error: unknown) => {
    console.error(error instanceof JavaMissingError ? error.message : error);
    process.exit(1);
  });
}
