import { compileSchedule, type NextRun } from "./cron.ts";
import type { DeadLetter } from "./eventbridge/bus.ts";
import type { LocalFunction } from "./lambda-runtime.ts";

interface Entry {
  readonly name: string;
  readonly nextRun: NextRun;
  readonly target: LocalFunction;
  timer?: NodeJS.Timeout;
}

/** Node timers cap at ~24.8 days; longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The dead-letter "rule" a schedule's failed runs are kept under, apart from the bus rules' `<service>.<name>`. */
export const scheduleLetterRule = (name: string): string => `schedule:${name}`;

/**
 * EventBridge Scheduler, locally: fires each schedule's function at its next time in its time zone
 * with `{scheduledTime}` as the cloud's input template sends it, and can fire one now on demand. A run it started
 * that fails is kept as a dead letter, as the cloud's schedule sends it to its dead-letter queue; one fired on
 * demand answers its caller with the failure instead.
 */
export class LocalScheduler {
  private readonly entries = new Map<string, Entry>();
  private running = false;

  constructor(private readonly deadLetters?: DeadLetter[]) {}

  add(name: string, expression: string, timezone: string, target: LocalFunction): void {
    this.entries.set(name, { name, nextRun: compileSchedule(expression, timezone), target });
  }

  get names(): string[] {
    return [...this.entries.keys()];
  }

  start(): void {
    this.running = true;
    for (const entry of this.entries.values()) this.arm(entry, new Date());
  }

  stop(): void {
    this.running = false;
    for (const entry of this.entries.values()) clearTimeout(entry.timer);
  }

  /** Runs a schedule now (or as if at `at`), returning what the function returned. */
  async fire(name: string, at: Date = new Date()): Promise<unknown> {
    const entry = this.entries.get(name);
    if (!entry) throw new Error(`No schedule ${name}`);
    return entry.target.invoke({ scheduledTime: at.toISOString() });
  }

  /** A run the schedule itself started: never rejects; a failure is logged and kept as a dead letter. */
  async runAsScheduled(name: string, at: Date): Promise<void> {
    try {
      await this.fire(name, at);
    } catch (error) {
      console.error(`[scheduler] ${name} failed:`, error instanceof Error ? error.message : error);
      this.deadLetters?.push({
        rule: scheduleLetterRule(name),
        target: name,
        event: { scheduledTime: at.toISOString() },
        attempts: 1,
        error: error instanceof Error ? error.name : "Error",
        failedAt: new Date().toISOString(),
      });
    }
  }

  private arm(entry: Entry, after: Date): void {
    if (!this.running) return;
    const next = entry.nextRun(after);
    if (!next) return;
    const wait = next.getTime() - Date.now();
    entry.timer = setTimeout(
      () => {
        if (Date.now() < next.getTime()) return this.arm(entry, after);
        void this.runAsScheduled(entry.name, next);
        this.arm(entry, next);
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
    entry.timer.unref();
  }
}
