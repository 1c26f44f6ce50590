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
  /**
   * 1 for the first delivery of this event to this target; 2 and up for the copies delivery chaos adds, and for
   * those `deliverTo` hands over (numbered on from the deliveries this target already had of the event).
   */
  readonly copy: number;
  status: "running" | "delivered" | "dead-lettered";
  attempts: number;
  /** What the target returned, once delivered (an event consumer says whether it acted or ignored the event). */
  result?: unknown;
  /** Why the last attempt failed, once dead-lettered (the dead letter says it too). */
  error?: string;
}

/**
 * What `deliverTo` hands one rule's target: received events again, as at-least-once delivery may, in an order
 * of the caller's choosing. The list is delivered `copies` times over (the whole list, then again), one
 * delivery after the other, or all at once when `concurrent`, as EventBridge may run copies side by side.
 */
export interface TargetedDelivery {
  /** Envelope ids of received events, in the order to deliver them; an id may come more than once. */
  readonly events: readonly string[];
  /** How many times the list is delivered; 1 by default. */
  readonly copies?: number;
  /** Every delivery starts at once instead of after the one before has finished (retries included). */
  readonly concurrent?: boolean;
}

/** Why `deliverTo` refused: no such rule, no such event, or an event the rule's pattern does not match. */
export class TargetedDeliveryRefused extends Error {
  override readonly name = "TargetedDeliveryRefused";

  constructor(
    readonly reason: "unknown-rule" | "unknown-event" | "not-matched",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Delivery chaos (`POST /faults {"deliveries": …}`): the bus behaves as EventBridge may, delivering at least
 * once and in no particular order, so that consumers' idempotency and order tolerance are really exercised.
 */
export interface DeliveryChaos {
  /** Each matched event reaches each target 1 to `copies` times, the number drawn per event and target. */
  readonly copies: number;
  /** The deliveries of one PutEvents batch (copies included) start in a random order, not the entries'. */
  readonly shuffle: boolean;
  /** Each delivery waits a random 0 to `maxDelayMs` ms before it starts, so a later batch may overtake. */
  readonly maxDelayMs: number;
}

/** What `put` takes: one PutEvents entry. */
export interface BusEntry {
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly resources?: string[];
  readonly time?: Date;
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
 * kept as dead letters. Every received event is kept for inspection. With `deliveryChaos` switched on it
 * delivers at least once and out of order, as AWS may.
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
  /** Off (undefined) unless switched on: then every batch is delivered at least once, in no order. */
  deliveryChaos: DeliveryChaos | undefined;

  constructor(
    readonly name: string,
    readonly region: string,
    private readonly retry: RetryPolicy = { attempts: 3, firstDelayMs: 200 },
    /** Where delivery chaos draws its numbers in [0, 1): tests pass their own to fix its choices. */
    private readonly random: () => number = Math.random,
  ) {}

  addRule(name: string, pattern: unknown, target: LocalFunction): void {
    this.rules.push({ name, pattern: parseEventPattern(pattern), target });
  }

  get ruleNames(): string[] {
    return this.rules.map((r) => r.name);
  }

  /** Accepts an event and returns its id at once; deliveries run in the background. */
  put(entry: BusEntry): BusEvent {
    return this.putBatch([entry])[0] as BusEvent;
  }

  /**
   * Accepts one PutEvents batch: each entry becomes an event, kept in order, and is delivered to every rule
   * it matches, in the background (under delivery chaos: in copies, in a shuffled order, with delays).
   */
  putBatch(entries: readonly BusEntry[]): BusEvent[] {
    const events = entries.map((entry): BusEvent => {
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
      return event;
    });
    const chaos = this.deliveryChaos;
    const planned: { rule: Rule; event: BusEvent; copy: number }[] = [];
    for (const event of events) {
      for (const rule of this.rules) {
        if (!matchesEventPattern(rule.pattern, event)) continue;
        const copies = chaos && chaos.copies > 1 ? 1 + Math.floor(this.random() * chaos.copies) : 1;
        for (let copy = 1; copy <= copies; copy++) planned.push({ rule, event, copy });
      }
    }
    if (chaos?.shuffle) {
      // Fisher–Yates: every order equally likely.
      for (let i = planned.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [planned[i], planned[j]] = [planned[j] as (typeof planned)[number], planned[i] as (typeof planned)[number]];
      }
    }
    for (const { rule, event, copy } of planned) {
      const delayMs = chaos && chaos.maxDelayMs > 0 ? Math.floor(this.random() * (chaos.maxDelayMs + 1)) : 0;
      this.track(event.id, this.deliver(rule, event, this.record(rule, event, copy), delayMs));
    }
    return events;
  }

  /**
   * Delivers received events again to one rule's target only, same envelope and all, as the caller orders (see
   * `TargetedDelivery`): what at-least-once delivery may do to one consumer, on demand, so a test can hand it
   * duplicates out of order or side by side. Every copy is retried and dead-lettered as any delivery is; resolves
   * with their records once all have finished. Refuses, delivering nothing, an unknown rule or event, or an
   * event the rule's pattern does not match (EventBridge never delivers one).
   */
  async deliverTo(ruleName: string, plan: TargetedDelivery): Promise<Delivery[]> {
    const rule = this.rules.find((r) => r.name === ruleName);
    if (!rule) {
      throw new TargetedDeliveryRefused("unknown-rule", `No rule ${ruleName}; rules: ${this.ruleNames.join(", ")}`);
    }
    const events = plan.events.map((id) => {
      const event = this.events.find((e) => e.id === id);
      if (!event) throw new TargetedDeliveryRefused("unknown-event", `No event ${id} was received`);
      if (!matchesEventPattern(rule.pattern, event)) {
        throw new TargetedDeliveryRefused("not-matched", `Event ${id} does not match the pattern of rule ${ruleName}`);
      }
      return event;
    });
    const order = Array.from({ length: plan.copies ?? 1 }, () => events).flat();
    const delivered: Delivery[] = [];
    const running: Promise<void>[] = [];
    for (const event of order) {
      const copy = this.deliveries.filter((d) => d.rule === rule.name && d.eventId === event.id).length + 1;
      const delivery = this.record(rule, event, copy);
      delivered.push(delivery);
      const done = this.deliver(rule, event, delivery, 0);
      this.track(event.id, done);
      if (plan.concurrent) running.push(done);
      else await done;
    }
    await Promise.all(running);
    return delivered;
  }

  /**
   * Delivers a received event again, same id and all, to the rules it matches: as an archive replay
   * does, and as at-least-once delivery may. Returns false for an unknown id.
   */
  replay(id: string): boolean {
    const event = this.events.find((e) => e.id === id);
    if (!event) return false;
    for (const rule of this.rules) {
      if (matchesEventPattern(rule.pattern, event)) {
        this.track(event.id, this.deliver(rule, event, this.record(rule, event, 1), 0));
      }
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

  /** A delivery about to start, kept for `GET /deliveries`. */
  private record(rule: Rule, event: BusEvent, copy: number): Delivery {
    const delivery: Delivery = {
      rule: rule.name,
      target: rule.target.name,
      eventId: event.id,
      copy,
      status: "running",
      attempts: 0,
    };
    this.deliveries.push(delivery);
    if (this.deliveries.length > EVENT_HISTORY_LIMIT) this.deliveries.shift();
    return delivery;
  }

  private async deliver(rule: Rule, event: BusEvent, delivery: Delivery, delayMs: number): Promise<void> {
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    let lastError = "";
    for (let attempt = 1; attempt <= this.retry.attempts; attempt++) {
      delivery.attempts = attempt;
      try {
        delivery.result = await rule.target.invoke(event);
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
    delivery.error = lastError;
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
