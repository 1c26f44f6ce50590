/**
 * EventBridge Scheduler expressions: `cron(min hour day-of-month month day-of-week year)` and
 * `rate(n unit)`, evaluated in the schedule's time zone. Supported in cron fields: `*`, `?`,
 * numbers, names (JAN–DEC, SUN–SAT), ranges, steps and lists; `L`, `W` and `#` are refused.
 */

interface Field {
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { min: 1, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
  { min: 1970, max: 2199 },
];

export class InvalidScheduleExpression extends Error {}

function value(token: string, field: Field): number {
  const byName = field.names?.indexOf(token.toUpperCase()) ?? -1;
  const n = byName >= 0 ? byName + field.min : Number(token);
  if (!Number.isInteger(n) || n < field.min || n > field.max) {
    throw new InvalidScheduleExpression(`${token} is outside ${field.min}-${field.max}`);
  }
  return n;
}

/** The set of allowed values of one field, or null for "any". */
function parseField(text: string, field: Field): Set<number> | null {
  if (text === "*" || text === "?") return null;
  if (/[LW#]/.test(text)) throw new InvalidScheduleExpression(`${text}: L, W and # are not supported locally`);
  const allowed = new Set<number>();
  for (const part of text.split(",")) {
    const [range = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new InvalidScheduleExpression(`bad step in ${part}`);
    let from: number;
    let to: number;
    if (range === "*") [from, to] = [field.min, field.max];
    else if (range.includes("-")) {
      const [a = "", b = ""] = range.split("-");
      [from, to] = [value(a, field), value(b, field)];
    } else {
      from = value(range, field);
      to = stepText === undefined ? from : field.max;
    }
    if (from > to) throw new InvalidScheduleExpression(`empty range ${part}`);
    for (let n = from; n <= to; n += step) allowed.add(n);
  }
  return allowed;
}

interface LocalParts {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  /** 1 = Sunday, as in EventBridge cron. */
  readonly weekday: number;
  readonly year: number;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function partsIn(timezone: string): (instant: Date) => LocalParts {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  });
  return (instant) => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    return {
      minute: Number(parts.minute),
      hour: Number(parts.hour),
      day: Number(parts.day),
      month: Number(parts.month),
      weekday: WEEKDAYS.indexOf(String(parts.weekday)) + 1,
      year: Number(parts.year),
    };
  };
}

export type NextRun = (after: Date) => Date | null;

const RATE_UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Compiles an expression into a function giving the first run strictly after an instant. */
export function compileSchedule(expression: string, timezone: string): NextRun {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate?.[1] && rate[2]) {
    const every = Number(rate[1]) * (RATE_UNITS[rate[2].replace(/s$/, "")] ?? 0);
    if (every <= 0) throw new InvalidScheduleExpression(`${expression}: the rate must be positive`);
    return (after) => new Date(after.getTime() + every);
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  const fields = cron?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6)
    throw new InvalidScheduleExpression(`${expression} is neither cron(6 fields) nor rate(...)`);
  if (fields[2] !== "?" && fields[4] !== "?") {
    throw new InvalidScheduleExpression(`${expression}: day-of-month or day-of-week must be ?`);
  }
  const [minutes, hours, days, months, weekdays, years] = fields.map((text, i) => parseField(text, FIELDS[i] as Field));
  const local = partsIn(timezone);
  const fits = (set: Set<number> | null | undefined, n: number) => !set || set.has(n);
  return (after) => {
    // Minute by minute, at most a little over four years ahead: schedules here run at least yearly.
    let t = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
    for (let i = 0; i < 4 * 366 * 1440; i++, t += 60_000) {
      const p = local(new Date(t));
      const dayFits = fits(years, p.year) && fits(months, p.month) && fits(days, p.day) && fits(weekdays, p.weekday);
      if (!dayFits) {
        t += ((23 - p.hour) * 60 + (59 - p.minute)) * 60_000; // skip to the end of this local day
        continue;
      }
      if (fits(hours, p.hour) && fits(minutes, p.minute)) return new Date(t);
    }
    return null;
  };
}
