import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCloudProcess } from "./cloud-process.ts";

/**
 * Starts one local cloud for a run and hands its endpoints to the tests (`E2E_*`); the returned function stops it.
 * Tests reach it only over HTTP and the SDK.
 */
export async function startRunCloud(options: {
  seed: boolean;
  logLevel: "INFO" | "WARN";
}): Promise<() => Promise<void>> {
  const keyDir = mkdtempSync(join(tmpdir(), "cdp-e2e-"));
  const issuerKeyFile = join(keyDir, "issuer.json");
  const logFile = join(keyDir, "cloud.log");
  // Short send retries keep the SES failure scenario quick; the schedule (3 tries, doubling) is the same.
  const cloud = await startCloudProcess(
    { LOCAL_ISSUER_KEY_FILE: issuerKeyFile, NOTICE_RETRY_FIRST_DELAY_MS: "50", LOG_LEVEL: options.logLevel },
    undefined,
    options.seed ? [] : ["--no-seed"],
    logFile,
  );
  Object.assign(process.env, {
    E2E_API: `http://127.0.0.1:${cloud.ports.api}`,
    E2E_EVENTS: `http://127.0.0.1:${cloud.ports.events}`,
    E2E_SES: `http://127.0.0.1:${cloud.ports.ses}`,
    E2E_S3: `http://127.0.0.1:${cloud.ports.s3}`,
    // DynamoDB Local itself, for tests that read the tables directly (a whole table before and after, its stream).
    E2E_DYNAMODB: `http://127.0.0.1:${cloud.ports.dynamodb}`,
    E2E_ISSUER_KEY_FILE: issuerKeyFile,
    E2E_CLOUD_LOG: logFile,
  });
  return async () => {
    await cloud.stop();
    rmSync(keyDir, { recursive: true, force: true });
  };
}

/**
 * The end-to-end suites' cloud, seed data included. Every log line is kept, so a test can check that no personal
 * data ever reached one.
 */
export default function setup(): Promise<() => Promise<void>> {
  return startRunCloud({ seed: true, logLevel: "INFO" });
}
