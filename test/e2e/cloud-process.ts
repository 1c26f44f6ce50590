import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@cdp/dynamodb-local";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface CloudProcess {
  readonly child: ChildProcess;
  readonly ports: { api: number; events: number; dynamodb: number; ses: number };
  /** Everything the process printed so far. */
  output(): string;
  /** SIGTERM, as Ctrl-C or a service manager would; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function freePorts(): Promise<CloudProcess["ports"]> {
  return { api: await freePort(), events: await freePort(), dynamodb: await freePort(), ses: await freePort() };
}

/** Starts the local cloud as a user does (`npm start` runs the same CLI) and waits until it is ready. */
export async function startCloudProcess(
  env: Record<string, string>,
  ports?: CloudProcess["ports"],
  args: string[] = [],
  logFile?: string,
): Promise<CloudProcess> {
  const chosen = ports ?? (await freePorts());
  const child = spawn(
    join(repoRoot, "node_modules/.bin/tsx"),
    [join(repoRoot, "packages/local-cloud/src/cli.ts"), "start", ...args],
    {
      env: {
        ...process.env,
        LOCAL_API_PORT: String(chosen.api),
        LOCAL_EVENTS_PORT: String(chosen.events),
        LOCAL_DYNAMODB_PORT: String(chosen.dynamodb),
        LOCAL_SES_PORT: String(chosen.ses),
        LOG_LEVEL: "WARN",
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud not ready in 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (logFile) appendFileSync(logFile, chunk);
      if (output.includes("local cloud ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`local cloud exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    ports: chosen,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), 15_000);
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
