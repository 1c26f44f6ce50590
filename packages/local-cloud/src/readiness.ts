export type ReadinessStatus = "starting" | "ready" | "failed" | "stopping";

export interface ReadinessState {
  readonly status: ReadinessStatus;
  /** What is still starting, in the order it starts. Empty once ready. */
  readonly waitingFor: readonly string[];
  /** Why starting failed; only when `status` is "failed". */
  readonly failure?: string;
}

/**
 * What the local cloud still has to start before it serves: the gateway's `/health` answers 503 naming
 * these steps until the last one is done. Steps are named up front, so nothing can be ready by omission.
 */
export class Readiness {
  private readonly pending: string[];
  private failure: string | undefined;
  private stopping = false;

  constructor(steps: Iterable<string>) {
    this.pending = [...new Set(steps)];
  }

  done(step: string): void {
    const at = this.pending.indexOf(step);
    if (at < 0) throw new Error(`No start-up step ${step}; steps left: ${this.pending.join(", ") || "none"}`);
    this.pending.splice(at, 1);
  }

  fail(reason: string): void {
    this.failure = reason;
  }

  /** From now on nothing new is served: what is under way drains before the processes stop. */
  stop(): void {
    this.stopping = true;
  }

  get ready(): boolean {
    return this.pending.length === 0 && this.failure === undefined && !this.stopping;
  }

  get state(): ReadinessState {
    if (this.failure !== undefined) return { status: "failed", waitingFor: [...this.pending], failure: this.failure };
    if (this.stopping) return { status: "stopping", waitingFor: [] };
    return { status: this.pending.length === 0 ? "ready" : "starting", waitingFor: [...this.pending] };
  }
}
