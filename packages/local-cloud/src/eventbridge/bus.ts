import { randomUUID } from "node:crypto";
import type { LocalFunction } from "../lambda-runtime.ts";
import { type EventPattern, matchesEventPattern, parseEventPattern } from "./pattern.ts";

export interface BusEvent {
  readonly version: "0";
  readonly id: string;
  readonly "detail-type": string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

export interface DeadLetter {
  readonly rule: string;
  readonly target: string;
  readonly event: unknown;
  readonly attempts: number;
  readonly error: string;
  readonly failedAt: string;
}

/** One delivery of one event to one rule's target, as it goes: tests wait on these, not on time. */
export interface Delivery {
  readonly rule: string;
  readonly target: string;
  /** The envelope's id. */
  readonly eventId: string;
  status: "running" | "delivered" | "dead-lettered";
  attempts: number;
}

interface Rule {
  readonly name: string;
  readonly pattern: EventPattern;
  readonly target: LocalFunction;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time. */
  readonly firstDelayMs: number;
}

const EVENT_HISTORY_LIMIT = 10_000;

/**
 * The bus: matches each event against every rule exactly as EventBridge does and delivers it to
 * the rule's function asynchronously, retrying with backoff; deliveries that fail for good are
 * kept as dead letters. Every received event is kept for inspection.
 */
export class LocalEventBus {
  readonly events: BusEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];
  readonly deliveries: Delivery[] = [];
  private readonly rules: Rule[] = [];
  /** Deliveries running, each with the envelope id of its event. */
  private readonly inFlight = new Map<Promise<void>, string>();
  /** Deliveries started since the bus began, replays included: how the cloud tells quiet from busy. */
  private deliveriesStarted = 0;

  constructor(
    readonly name: string,
    readonly region: string,
    private readonly retry: RetryPolicy = { attempts: 3, firstDelayMs: 200 },
  ) {}

  addRule(name: string, pattern: unknown, target: LocalFunction): void {
    this.rules.push({ name, pattern: parseEventPattern(pattern), target });
  }

  get ruleNames(): string[] {
    return this.rules.map((r) => r.name);
  }

  /** Accepts an event and returns its id at once; deliveries run in the background. */
  put(entry: { source: string; detailType: string; detail: unknown; resources?: string[]; time?: Date }): BusEvent {
    const event: BusEvent = {
      version: "0",
      id: randomUUID(),
      "detail-type": entry.detailType,
      source: entry.source,
      account: "000000000000",
      time: (entry.time ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z"),
      region: this.region,
      resources: entry.resources ?? [],
      detail: entry.detail,
    };
    this.events.push(event);
    if (this.events.length > EVENT_HISTORY_LIMIT) this.events.shift();
    for (const rule of this.rules) {
      if (matchesEventPattern(rule.pattern, event)) this.track(event.id, this.deliver(rule, event));
    }
    return event;
  }

  /**
   * Delivers a received event again, same id and all, to the rules it matches: as an archive replay
   * does, and as at-least-once delivery may. Returns false for an unknown id.
   */
  replay(id: string): boolean {
    const event = this.events.find((e) => e.id === id);
    if (!event) return false;
    for (const rule of this.rules) {
      if (matchesEventPattern(rule.pattern, event)) this.track(event.id, this.deliver(rule, event));
    }
    return true;
  }

  get started(): number {
    return this.deliveriesStarted;
  }

  /** Resolves when no delivery is running (deliveries started meanwhile included). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.keys()]);
  }

  /** Resolves when every delivery of these events has finished (delivered or dead-lettered). */
  async settled(eventIds: readonly string[]): Promise<void> {
    const running = () => [...this.inFlight].filter(([, id]) => eventIds.includes(id)).map(([delivery]) => delivery);
    for (let deliveries = running(); deliveries.length > 0; deliveries = running())
      await Promise.allSettled(deliveries);
  }

  private track(eventId: string, delivery: Promise<void>): void {
    this.deliveriesStarted++;
    this.inFlight.set(delivery, eventId);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(rule: Rule, event: BusEvent): Promise<void> {
    const delivery: Delivery = {
      rule: rule.name,
      target: rule.target.name,
      eventId: event.id,
      status: "running",
      attempts: 0,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > EVENT_HISTORY_LIMIT) this.deliveries.shift();
    let lastError = "";
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      delivery.attempts = attempt;
      try {
        await rule.target.invoke(event);
        delivery.status = "delivered";
        return;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        if (attempt < this.retry.attempts) {
          await new Promise((resolve) => setTimeout(resolve, this.retry.firstDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
    delivery.status = "dead-lettered";
    this.deadLetters.push({
      rule: rule.name,
      target: rule.target.name,
      event,
      attempts: this.retry.attempts,
      error: lastError,
      failedAt: new Date().toISOString(),
    });
  }
}
