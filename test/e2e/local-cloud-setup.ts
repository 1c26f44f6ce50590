import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "@cdp/dynamodb-local";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Starts the local cloud as a user does (the CLI, in its own process, seed data included) on free
 * ports, and stops it after the run. Tests reach it only over HTTP and the AWS SDK.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const keyDir = mkdtempSync(join(tmpdir(), "cdp-e2e-"));
  const ports = { api: await freePort(), events: await freePort(), dynamodb: await freePort(), ses: await freePort() };
  const env = {
    ...process.env,
    LOCAL_API_PORT: String(ports.api),
    LOCAL_EVENTS_PORT: String(ports.events),
    LOCAL_DYNAMODB_PORT: String(ports.dynamodb),
    LOCAL_SES_PORT: String(ports.ses),
    LOCAL_ISSUER_KEY_FILE: join(keyDir, "issuer.json"),
    LOG_LEVEL: "WARN",
  };
  const child: ChildProcess = spawn(
    join(repoRoot, "node_modules/.bin/tsx"),
    [join(repoRoot, "packages/local-cloud/src/cli.ts"), "start"],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local cloud not ready in 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("local cloud ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`local cloud exited with ${code}:\n${output}`)));
  });
  Object.assign(process.env, {
    E2E_API: `http://127.0.0.1:${ports.api}`,
    E2E_EVENTS: `http://127.0.0.1:${ports.events}`,
    E2E_SES: `http://127.0.0.1:${ports.ses}`,
    E2E_ISSUER_KEY_FILE: env.LOCAL_ISSUER_KEY_FILE,
  });
  return async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(keyDir, { recursive: true, force: true });
  };
}
