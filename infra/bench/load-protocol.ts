import type { Hotspots } from "./load-profile.ts";

/** The messages between the load benchmark and its local cloud's process (`load-cloud.ts`), over IPC. */

export type CloudCommand =
  /**
   * Ends the current window and starts the next; `profile` profiles the next one. A profile running until now is
   * written to `profileFile`, and summed up in the answer.
   */
  | { readonly type: "mark"; readonly profile?: boolean; readonly profileFile?: string }
  /** Answers once every outbox is relayed and every delivery done. */
  | { readonly type: "settle" };

export type CloudRequest = CloudCommand & { readonly id: number };

/** What the cloud's process did between two marks. */
export interface CloudWindow {
  readonly seconds: number;
  /** Of its main thread (the gateway, the JWT check, every function, the SDK, the stream pollers). */
  readonly eventLoopUtilization: number;
  /** User and system CPU of the whole process (every thread), in seconds. */
  readonly cpuSeconds: number;
  /** How late the loop ran a 10 ms timer. */
  readonly loopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

export type CloudReply =
  | { readonly type: "ready"; readonly api: string; readonly pid: number }
  | { readonly type: "window"; readonly id: number; readonly window: CloudWindow; readonly hotspots?: Hotspots }
  | { readonly type: "settled"; readonly id: number; readonly ms: number }
  | { readonly type: "failed"; readonly id?: number; readonly error: string };
