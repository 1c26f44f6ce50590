import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
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
  /** The bus rule whose delivery failed, or `<table>-stream` for stream records the relay could not handle. */
  readonly rule: string;
  readonly target: string;
  /** The event (a bus rule's letter) or the stream record (a stream's letter), as the target was handed it. */
  readonly event: unknown;
  /** Every attempt so far, those of earlier redrives included. */
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
/** How often a bus keeping a journal says it is alive: a run killed meanwhile died less than this after. */
const HEARTBEAT_MS = 1000;

/** One delivery not yet finished, as the journal keeps it. */
interface JournalEntry {
  readonly rule: string;
  readonly event: BusEvent;
  readonly copy: number;
  readonly attemptsBefore: number;
}

/**
 * With data on disk: every delivery not yet finished, one file each, written before PutEvents answers and removed
 * once the delivery is done (delivered or dead-lettered), and a heartbeat saying when the bus was last alive.
 */
class DeliveryJournal {
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** Written aside and renamed: a kill in the middle leaves no half entry. */
  add(entry: JournalEntry, key = `${Date.now().toString().padStart(15, "0")}-${randomUUID()}`): string {
    const file = join(this.dir, `${key}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    renameSync(`${file}.tmp`, file);
    return key;
  }

  remove(key: string): void {
    rmSync(join(this.dir, `${key}.json`), { force: true });
  }

  /** What the last run left unfinished, oldest first. */
  entries(): { key: string; entry: JournalEntry }[] {
    return readdirSync(this.dir)
      .filter((name) => name.endsWith(".json"))
      .sort()
      .flatMap((name) => {
        try {
          return [
            { key: name.slice(0, -".json".length), entry: JSON.parse(readFileSync(join(this.dir, name), "utf8")) },
          ];
        } catch {
          return [];
        }
      });
  }

  /** When the last run was last alive, if it said. */
  lastAlive(): number | undefined {
    const file = join(this.dir, "alive");
    return existsSync(file) ? Number(readFileSync(file, "utf8")) || undefined : undefined;
  }

  beat(): void {
    const beat = () => writeFileSync(join(this.dir, "alive"), String(Date.now()));
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  close(): void {
    clearInterval(this.heartbeat);
  }
}

/**
 * The bus: matches each event against every rule exactly as EventBridge does and delivers it to
 * the rule's function asynchronously, retrying with backoff; deliveries that fail for good are
 * kept as dead letters. Every received event is kept for inspection. With `deliveryChaos` switched on it
 * delivers at least once and out of order, as AWS may. With data on disk (`keepJournal`) a delivery under way
 * outlives a killed process.
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
  private journal: DeliveryJournal | undefined;
  /** After a run killed mid-way, deliveries wait until then (see `keepJournal`). */
  private holdUntil = 0;
  /** The deliveries resumed from the journal: the others wait for them (see `keepJournal`). */
  private resuming: Promise<unknown> | undefined;

  constructor(
    readonly name: string,
    readonly region: string,
    /**
     * Lambda retries an asynchronous invocation twice, 1 and 2 minutes apart; here 1 and 2 seconds. Shorter (it was
     * 0.2 and 0.4 s), a copy that found its event claimed by another copy still running on a busy machine gave up
     * before that one had finished, and when that one then failed, the event was dead-lettered, never acted on
     * (the staff-exchange saga under delivery chaos, with one core kept busy).
     */
    private readonly retry: RetryPolicy = { attempts: 3, firstDelayMs: 1_000 },
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
      this.track(event.id, this.deliver(rule, event, this.record(rule, event, copy), { delayMs }));
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
      const done = this.deliver(rule, event, delivery);
      this.track(event.id, done);
      if (plan.concurrent) running.push(done);
      else await done;
    }
    await Promise.all(running);
    return delivered;
  }

  /**
   * Hands a dead letter's event once more to the target of the rule that dead-lettered it, and to no other, with
   * the bus's retries: a redrive. A delivery that fails again is dead-lettered again, its attempts counted on from
   * the letter's. Resolves with the delivery's record once it has finished. Refuses an unknown rule.
   */
  async redeliver(letter: DeadLetter): Promise<Delivery> {
    const rule = this.rules.find((r) => r.name === letter.rule);
    if (!rule) {
      throw new TargetedDeliveryRefused("unknown-rule", `No rule ${letter.rule}; rules: ${this.ruleNames.join(", ")}`);
    }
    const event = letter.event as BusEvent;
    const copy = this.deliveries.filter((d) => d.rule === rule.name && d.eventId === event.id).length + 1;
    const delivery = this.record(rule, event, copy);
    const done = this.deliver(rule, event, delivery, { attemptsBefore: letter.attempts });
    this.track(event.id, done);
    await done;
    return delivery;
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
        this.track(event.id, this.deliver(rule, event, this.record(rule, event, 1)));
      }
    }
    return true;
  }

  /**
   * With data on disk: keeps every delivery not yet finished in `dir`, from the moment its event is accepted until it
   * is done, so that a run killed mid-way loses none, as EventBridge never drops an event it accepted. What the last
   * run left there is delivered again now, same envelope, to the rules it was for (call this once they are added).
   * Those deliveries, and every other until then, first wait until whatever the killed run was invoking has timed out
   * (`functionTimeoutMs` after its last sign of life): a consumer killed mid-way holds its idempotency claim on the
   * event until then, as Lambda retries an invocation that died only after its timeout. The resumed deliveries go
   * first, the others once they are done: a copy the relay publishes again then finds its event consumed, instead of
   * racing the resumed delivery for the claim. Returns what it resumed.
   */
  keepJournal(dir: string, functionTimeoutMs: number): { resumed: number; holdUntil?: Date } {
    const journal = new DeliveryJournal(dir);
    const left = journal.entries();
    const lastAlive = journal.lastAlive();
    this.journal = journal;
    journal.beat();
    if (left.length === 0) return { resumed: 0 };
    this.holdUntil = (lastAlive ?? Date.now()) + HEARTBEAT_MS + functionTimeoutMs;
    const resuming: Promise<void>[] = [];
    for (const { key, entry } of left) {
      const rule = this.rules.find((r) => r.name === entry.rule);
      if (!rule) {
        console.warn(`[bus] a delivery to rule ${entry.rule}, which no longer exists, is dropped`);
        journal.remove(key);
        continue;
      }
      if (!this.events.some((e) => e.id === entry.event.id)) this.events.push(entry.event);
      const delivery = this.record(rule, entry.event, entry.copy);
      const done = this.deliver(rule, entry.event, delivery, { attemptsBefore: entry.attemptsBefore, journalKey: key });
      this.track(entry.event.id, done);
      resuming.push(done);
    }
    const all = Promise.allSettled(resuming);
    this.resuming = all;
    void all.then(() => {
      if (this.resuming === all) this.resuming = undefined;
    });
    return { resumed: resuming.length, holdUntil: new Date(this.holdUntil) };
  }

  /** Stops saying the bus is alive (at a stop: what is still unfinished stays in the journal). */
  closeJournal(): void {
    this.journal?.close();
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

  /**
   * @param options.attemptsBefore what a redriven letter had already been through: its dead letter counts on from there.
   * @param options.journalKey the journal's entry of a delivery resumed from it.
   */
  private async deliver(
    rule: Rule,
    event: BusEvent,
    delivery: Delivery,
    options: { delayMs?: number; attemptsBefore?: number; journalKey?: string } = {},
  ): Promise<void> {
    const { delayMs = 0, attemptsBefore = 0 } = options;
    // Before the first await: the entry is written before PutEvents answers.
    const journalKey =
      options.journalKey ?? this.journal?.add({ rule: rule.name, event, copy: delivery.copy, attemptsBefore });
    try {
      const held = this.holdUntil - Date.now();
      if (held > 0) await new Promise((resolve) => setTimeout(resolve, held));
      if (this.resuming && options.journalKey === undefined) await this.resuming;
      await this.tryDelivering(rule, event, delivery, delayMs, attemptsBefore);
    } finally {
      if (journalKey) this.journal?.remove(journalKey);
    }
  }

  private async tryDelivering(
    rule: Rule,
    event: BusEvent,
    delivery: Delivery,
    delayMs: number,
    attemptsBefore: number,
  ): Promise<void> {
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
      attempts: attemptsBefore + this.retry.attempts,
      error: lastError,
      failedAt: new Date().toISOString(),
    });
  }
}
