import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@cdp/dynamodb-local";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
/** The local cloud's command line, as `npm start` runs it. */
export const cliPath = join(repoRoot, "infra/local/cli.ts");

/**
 * How long a start may take before it counts as failed. Measured from spawn to `/health` 200 on this project's
 * shared 2-core machine: 25 to 55 s while other suites ran beside it (Java's start and the seed take most of
 * it). About three times the slowest is the margin.
 */
export const READY_WITHIN_MS = 150_000;

export interface CloudProcess {
  readonly child: ChildProcess;
  readonly ports: { api: number; events: number; dynamodb: number; ses: number; s3: number };
  readonly api: string;
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, as Ctrl-C or a service manager would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePorts(): Promise<CloudProcess["ports"]> {
  return {
    api: await freePort(),
    events: await freePort(),
    dynamodb: await freePort(),
    ses: await freePort(),
    s3: await freePort(),
  };
}

/**
 * Spawns the local cloud's CLI (`start`) and returns at once, before it is ready. Node runs the CLI itself
 * (`--import tsx`), with no `tsx` process in between: that one relays a SIGTERM only if the child confirms
 * within 30 ms, and kills it otherwise, which a busy machine turns into exit status 143.
 */
export function spawnCloudProcess(
  env: Record<string, string>,
  ports: CloudProcess["ports"],
  args: string[] = [],
  logFile?: string,
): CloudProcess {
  const child = spawn(process.execPath, ["--import", "tsx", cliPath, "start", ...args], {
    cwd: join(repoRoot, "infra"),
    env: {
      ...process.env,
      LOCAL_API_PORT: String(ports.api),
      LOCAL_EVENTS_PORT: String(ports.events),
      LOCAL_DYNAMODB_PORT: String(ports.dynamodb),
      LOCAL_SES_PORT: String(ports.ses),
      LOCAL_S3_PORT: String(ports.s3),
      LOG_LEVEL: "WARN",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (logFile) appendFileSync(logFile, chunk);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    ports,
    api: `http://127.0.0.1:${ports.api}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), 30_000);
      });
      const result = await Promise.race([exited, timeout]);
      clearTimeout(timer);
      if (result === "timeout") {
        child.kill("SIGKILL");
        return null;
      }
      return result;
    },
  };
}

/** What one `GET /health` answered. */
export interface HealthAnswer {
  readonly status: number;
  readonly contentType: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

/**
 * Polls `/health` until it answers 200, from before the port answers at all; `onAnswer` sees every answer.
 * Fails at once when the process exits, and after `READY_WITHIN_MS`.
 */
export async function waitUntilHealthy(
  cloud: CloudProcess,
  onAnswer: (answer: HealthAnswer) => void | Promise<void> = () => undefined,
): Promise<void> {
  const deadline = Date.now() + READY_WITHIN_MS;
  while (true) {
    if (cloud.child.exitCode !== null || cloud.child.signalCode !== null)
      throw new Error(`local cloud exited with ${cloud.child.exitCode ?? cloud.child.signalCode}:\n${cloud.output()}`);
    if (Date.now() > deadline)
      throw new Error(`local cloud not healthy in ${READY_WITHIN_MS / 1000} s:\n${cloud.output()}`);
    const response = await fetch(`${cloud.api}/health`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
    if (response) {
      const text = await response.text();
      const answer = {
        status: response.status,
        contentType: response.headers.get("content-type"),
        body: text ? JSON.parse(text) : undefined,
      };
      await onAnswer(answer);
      if (answer.status === 200) break;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  // The CLI prints its ready line as `/health` turns 200: wait for it so `output()` holds the whole start.
  while (!cloud.output().includes("local cloud ready")) {
    if (cloud.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`local cloud answered 200 but printed no ready line:\n${cloud.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts the local cloud as a user does (`npm start` runs the same CLI) and waits until `/health` answers 200. */
export async function startCloudProcess(
  env: Record<string, string>,
  ports?: CloudProcess["ports"],
  args: string[] = [],
  logFile?: string,
): Promise<CloudProcess> {
  // A free port is only free when asked: another test's process may take it before the cloud binds it. With
  // ports of its own choosing, a start that lost one that way is tried again on new ones.
  for (let attempt = 1; ; attempt++) {
    const cloud = spawnCloudProcess(env, ports ?? (await freePorts()), args, logFile);
    try {
      await waitUntilHealthy(cloud);
      return cloud;
    } catch (error) {
      await cloud.stop();
      if (ports || attempt >= 3 || !cloud.output().includes("EADDRINUSE")) throw error;
    }
  }
}
