import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";

/** Every child still running, so an error or Ctrl-C can stop them all (by pid, ours only). */
const running = new Set<ChildProcess>();

export interface ScriptRun<Report> {
  /** The one JSON line the script wrote to fd 3. */
  readonly report: Report;
  /** From just before spawn to the arrival of that line: process start-up included. */
  readonly elapsedMs: number;
}

export class ChildFailure extends Error {}

const OUTPUT_TAIL = 4000;

/**
 * Runs a script in a fresh `node` (the very binary running the benchmark, so Node 24) with exactly the given
 * environment, and waits for its report on fd 3. Its stdout and stderr are drained and only their tail kept,
 * for the error message when it fails.
 */
export function runNodeScript<Report extends { ok: boolean }>(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs = 60_000,
): Promise<ScriptRun<Report>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ["ignore", "pipe", "pipe", "pipe"] });
    running.add(child);
    let output = "";
    const keepTail = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL);
    };
    child.stdout?.on("data", keepTail);
    child.stderr?.on("data", keepTail);

    let reportLine = "";
    let reportedAt: number | undefined;
    (child.stdio[3] as Readable).on("data", (chunk: Buffer) => {
      reportLine += chunk.toString();
      if (reportedAt === undefined && reportLine.includes("\n")) reportedAt = performance.now();
    });

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("error", (error) => {
      clearTimeout(timer);
      running.delete(child);
      reject(error);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const fail = (why: string) => reject(new ChildFailure(`${script} ${args.join(" ")}: ${why}\n${output}`));
      if (timedOut) return fail(`killed after ${timeoutMs} ms`);
      if (reportedAt === undefined) return fail(`exited (${signal ?? code}) without a report`);
      let report: Report;
      try {
        report = JSON.parse(reportLine) as Report;
      } catch {
        return fail(`wrote an unreadable report: ${reportLine.slice(0, 500)}`);
      }
      if (!report.ok) return fail(`failed: ${(report as { error?: string }).error ?? "(no detail)"}`);
      resolve({ report, elapsedMs: reportedAt - started });
    });
  });
}

export function killRunningChildren(): void {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}
