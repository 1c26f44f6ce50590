/**
 * Amazon EventBridge event patterns: validation and matching.
 *
 * Semantics follow the EventBridge user guide ("Creating event patterns", "Content filtering", "Arrays", "$or").
 * Where the guide is silent we mirror aws/event-ruler (the matching library behind EventBridge): its
 * JsonRuleCompiler for validation (error reasons are its messages, which AWS returns verbatim after
 * "Event pattern is not valid. Reason: "), and its array-consistent matcher (ACFinder) for matching.
 *
 * Matching model (as in event-ruler): the event is flattened into leaf fields named by their dot-joined path, each
 * remembering which element of which array it came from. A pattern compiles into one or more sub-rules (one per
 * `$or` branch combination); a sub-rule is a list of clauses, one per dot-joined path. A sub-rule matches when every
 * clause is satisfied by some leaf (or, for `exists: false`, by the absence of one) and all chosen leaves are
 * "array consistent": no two of them come from different elements of the same array.
 */

export type EventPattern = Record<string, unknown>;

const REASON_PREFIX = "Event pattern is not valid. Reason: ";

/** Raised for patterns EventBridge rejects with InvalidEventPatternException; `reason` is the part after "Reason: ". */
export class InvalidEventPatternError extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(`${REASON_PREFIX}${reason}`);
    this.name = "InvalidEventPatternError";
    this.reason = reason;
  }
}

/** A compiled pattern: call it with an event object. */
export type EventPatternMatcher = (event: unknown) => boolean;

type Leaf = string | number | boolean | null;
type ValueMatcher = (value: Leaf) => boolean;

interface Clause {
  readonly path: string;
  /** Undefined when the clause only says `exists: false`. */
  readonly match: ValueMatcher | undefined;
  /** True when the clause contains `{ "exists": false }`. */
  readonly allowAbsent: boolean;
}

interface Field {
  readonly value: Leaf;
  /** Flattened (arrayId, index) pairs for every array the leaf sits in. */
  readonly arrays: readonly number[];
}

/** An event key worth looking up under some path, and the dot-joined path it leads to. */
interface Step {
  readonly key: string;
  readonly path: string;
}

interface CompiledPattern {
  readonly subRules: readonly (readonly Clause[])[];
  /** Keys to look up in the event's top-level object. */
  readonly rootSteps: readonly Step[];
  /** Keys to look up in the object found at a path. */
  readonly steps: ReadonlyMap<string, readonly Step[]>;
}

const OR_KEYWORD = "$or";

// event-ruler refuses these as field names anywhere inside an $or branch (Constants.RESERVED_FIELD_NAMES_IN_OR_RELATIONSHIP).
const RESERVED_IN_OR = new Set([
  "exactly",
  "equals-ignore-case",
  "prefix",
  "suffix",
  "anything-but",
  "exists",
  "wildcard",
  "numeric",
  "cidr",
  "=",
  "<",
  "<=",
  ">",
  ">=",
  "regex",
  "not-wildcard",
  "not-equals-ignore-case",
  "date-after",
  "date-on-or-after",
  "date-before",
  "date-on-or-before",
  "in-date-range",
  "ip-address-in-range",
  "ip-address-not-in-range",
]);

// The ruler reuses this (misleading) message for any extra member after numeric and anything-but expressions.
const TOO_MANY_ELEMENTS = "Too many elements in numeric expression";
const ONE_KEY_ONLY = "Only one key allowed in match expression";
const MATCH_VALUE_TYPES = "Match value must be String, number, true, false, or null";

/** Numeric matching is limited to -5.0e9..+5.0e9 with six fractional digits (user guide, "Numeric matching"). */
const NUMERIC_LIMIT = 5e9;
const MAX_FRACTION_DIGITS = 6;

function fail(reason: string): never {
  throw new InvalidEventPatternError(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------------------------

const compiledCache = new WeakMap<object, CompiledPattern>();

/** Compiles (and so validates) a pattern object once; later calls reuse the result. */
function getCompiled(pattern: EventPattern): CompiledPattern {
  let result = compiledCache.get(pattern);
  if (result === undefined) {
    result = compile(pattern);
    compiledCache.set(pattern, result);
  }
  return result;
}

/**
 * Throws InvalidEventPatternError if AWS would reject the pattern (accepts a JSON string or an object).
 * Returns the parsed pattern.
 */
export function parseEventPattern(pattern: string | unknown): EventPattern {
  const parsed = toPatternObject(pattern);
  getCompiled(parsed);
  return parsed;
}

/** Validates and compiles a pattern once; the returned function matches events against it. */
export function compileEventPattern(pattern: string | unknown): EventPatternMatcher {
  const ready = getCompiled(toPatternObject(pattern));
  return (event) => matchCompiled(ready, event);
}

/**
 * True when the event (a full EventBridge envelope object, or any JSON object for TestEventPattern) matches.
 * Assumes a valid pattern (it is compiled once per pattern object and cached, so treat patterns as immutable).
 */
export function matchesEventPattern(pattern: EventPattern, event: unknown): boolean {
  return matchCompiled(getCompiled(pattern), event);
}

function toPatternObject(pattern: unknown): EventPattern {
  let value = pattern;
  if (typeof pattern === "string") {
    try {
      value = JSON.parse(pattern);
    } catch (error) {
      fail(error instanceof Error ? error.message : String(error));
    }
  }
  if (!isObject(value)) {
    fail("Filter is not an object");
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Compilation (mirrors event-ruler's JsonRuleCompiler, including its error messages)
// ---------------------------------------------------------------------------------------------------------------

function compile(pattern: EventPattern): CompiledPattern {
  const rules: Map<string, Clause>[] = [];
  parseObject(pattern, undefined, rules, false);

  const subRules = rules.map((rule) => {
    const clauses = [...rule.values()];
    // The ruler walks a rule's fields in sorted name order; `exists: false` is judged against the leaves chosen
    // for the fields sorted before it, so keep that order.
    clauses.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return clauses;
  });

  // Only the event keys that can lead to a clause path are visited. Because paths are dot-joined, the clause path
  // "a.b.c" can be reached through event keys "a" then "b" then "c", but also "a.b" then "c", "a" then "b.c", or
  // "a.b.c"; plan a lookup for each of those keys.
  const rootSteps: Step[] = [];
  const steps = new Map<string, Step[]>();
  const planned = new Map<string | undefined, Set<string>>();
  for (const clauses of subRules) {
    for (const { path } of clauses) {
      const segments = path.split(".");
      for (let start = 0; start < segments.length; start++) {
        const parent = start === 0 ? undefined : segments.slice(0, start).join(".");
        let keys = planned.get(parent);
        if (keys === undefined) {
          keys = new Set();
          planned.set(parent, keys);
        }
        for (let end = start + 1; end <= segments.length; end++) {
          const key = segments.slice(start, end).join(".");
          if (keys.has(key)) {
            continue;
          }
          keys.add(key);
          const step = { key, path: segments.slice(0, end).join(".") };
          if (parent === undefined) {
            rootSteps.push(step);
          } else {
            const list = steps.get(parent);
            if (list === undefined) {
              steps.set(parent, [step]);
            } else {
              list.push(step);
            }
          }
        }
      }
    }
  }
  return { subRules, rootSteps, steps };
}

function parseObject(
  object: Record<string, unknown>,
  path: string | undefined,
  rules: Map<string, Clause>[],
  insideOr: boolean,
): void {
  const keys = Object.keys(object);
  if (keys.length === 0) {
    fail("Empty objects are not allowed");
  }
  for (const key of keys) {
    const value = object[key];
    if (key === OR_KEYWORD) {
      parseOr(value, path, rules);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) {
      fail(`${key} is Ruler reserved fieldName which cannot be used inside ${OR_KEYWORD}.`);
    }
    // Paths are dot-joined, so {"a": {"b": …}} and {"a.b": …} name the same field (as in event-ruler).
    const childPath = path === undefined ? key : `${path}.${key}`;
    if (Array.isArray(value)) {
      const clause = compileClause(childPath, value);
      if (rules.length === 0) {
        rules.push(new Map());
      }
      // A repeated path overrides the earlier one ("the last reference will be the one used").
      for (const rule of rules) {
        rule.set(childPath, clause);
      }
    } else if (isObject(value)) {
      parseObject(value, childPath, rules, insideOr);
    } else {
      fail(`"${key}" must be an object or an array`);
    }
  }
}

/** `$or` forks every sub-rule built so far into one copy per branch. */
function parseOr(value: unknown, path: string | undefined, rules: Map<string, Clause>[]): void {
  if (!Array.isArray(value)) {
    fail(`It must be an Array followed with ${OR_KEYWORD}.`);
  }
  const before = rules.map((rule) => new Map(rule));
  rules.length = 0;
  for (const branch of value) {
    if (!isObject(branch)) {
      fail(`Only JSON object is allowed in array of ${OR_KEYWORD} relationship.`);
    }
    const forked = before.map((rule) => new Map(rule));
    if (forked.length === 0) {
      forked.push(new Map());
    }
    parseObject(branch, path, forked, true);
    rules.push(...forked);
  }
  if (value.length < 2) {
    fail(`There must have at least 2 Objects in ${OR_KEYWORD} relationship.`);
  }
}

/** One field's value list: the alternatives are ORed. */
function compileClause(path: string, values: readonly unknown[]): Clause {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  const literals = new Set<boolean | null>();
  const others: ValueMatcher[] = [];
  let anyValue = false;
  let allowAbsent = false;

  for (const value of values) {
    if (typeof value === "string") {
      const ip = parseIp(value);
      // The ruler turns a value that is an IP address literal into an address match, so "10.0.0.1" also
      // matches other spellings of that address (mostly relevant to IPv6).
      if (ip === undefined) {
        strings.add(value);
      } else {
        others.push(ipEqualsMatcher(ip));
      }
    } else if (typeof value === "number") {
      if (!Number.isFinite(value)) {
        fail(MATCH_VALUE_TYPES);
      }
      // The ruler matches numbers both literally and numerically, so 300 matches 300.0 and 3.0e2 (AWS behaves
      // this way although the guide says otherwise). A parsed JSON number only keeps its value, so compare values.
      numbers.add(value);
    } else if (typeof value === "boolean" || value === null) {
      literals.add(value);
    } else if (isObject(value)) {
      const operator = compileOperator(value);
      if (operator === ANY_VALUE) {
        anyValue = true;
      } else if (operator === ABSENT) {
        allowAbsent = true;
      } else {
        others.push(operator);
      }
    } else {
      fail(MATCH_VALUE_TYPES);
    }
  }
  if (values.length === 0) {
    fail("Empty arrays are not allowed");
  }

  const hasPositive = anyValue || strings.size > 0 || numbers.size > 0 || literals.size > 0 || others.length > 0;
  let match: ValueMatcher | undefined;
  if (anyValue) {
    match = () => true;
  } else if (hasPositive) {
    match = (leaf) => {
      if (typeof leaf === "string") {
        if (strings.has(leaf)) {
          return true;
        }
      } else if (typeof leaf === "number") {
        if (numbers.has(leaf)) {
          return true;
        }
      } else if (literals.has(leaf)) {
        return true;
      }
      for (const other of others) {
        if (other(leaf)) {
          return true;
        }
      }
      return false;
    };
  }
  return { path, match, allowAbsent };
}

const ANY_VALUE = Symbol("exists:true");
const ABSENT = Symbol("exists:false");

function compileOperator(expression: Record<string, unknown>): ValueMatcher | typeof ANY_VALUE | typeof ABSENT {
  const keys = Object.keys(expression);
  const operator = keys[0];
  if (operator === undefined) {
    fail("Match expression name not found");
  }
  const operand = expression[operator];
  const onlyKey = (reason: string): void => {
    if (keys.length > 1) {
      fail(reason);
    }
  };

  switch (operator) {
    case "prefix":
    case "suffix": {
      let matcher: ValueMatcher;
      if (isObject(operand)) {
        matcher = ignoreCaseAffixMatcher(operator, operand);
      } else if (typeof operand === "string") {
        matcher =
          operator === "prefix"
            ? (leaf) => typeof leaf === "string" && leaf.startsWith(operand)
            : (leaf) => typeof leaf === "string" && leaf.endsWith(operand);
      } else {
        fail(`${operator} match pattern must be a string`);
      }
      onlyKey(ONE_KEY_ONLY);
      return matcher;
    }
    case "equals-ignore-case": {
      if (typeof operand !== "string") {
        fail("equals-ignore-case match pattern must be a string");
      }
      const regex = ignoreCaseRegex(operand, "equals");
      onlyKey(ONE_KEY_ONLY);
      return (leaf) => typeof leaf === "string" && regex.test(leaf);
    }
    case "wildcard": {
      if (typeof operand !== "string") {
        fail("wildcard match pattern must be a string");
      }
      const wildcard = parseWildcard(operand);
      onlyKey(ONE_KEY_ONLY);
      return (leaf) => typeof leaf === "string" && wildcardMatches(wildcard, leaf);
    }
    case "anything-but": {
      const matcher = compileAnythingBut(operand);
      onlyKey(TOO_MANY_ELEMENTS);
      return matcher;
    }
    case "numeric": {
      if (!Array.isArray(operand)) {
        fail("Value of numeric must be an array.");
      }
      const matcher = compileNumeric(operand);
      onlyKey(TOO_MANY_ELEMENTS);
      return matcher;
    }
    case "exists": {
      if (typeof operand !== "boolean") {
        fail("exists match pattern must be either true or false.");
      }
      onlyKey(ONE_KEY_ONLY);
      return operand ? ANY_VALUE : ABSENT;
    }
    case "cidr": {
      if (typeof operand !== "string") {
        // Sic: event-ruler reports a non-string cidr with the prefix message.
        fail("prefix match pattern must be a string");
      }
      const range = parseCidr(operand);
      onlyKey(ONE_KEY_ONLY);
      return (leaf) => typeof leaf === "string" && ipInRange(leaf, range.low, range.high);
    }
    default:
      return fail(`Unrecognized match type ${operator}`);
  }
}

/** `{"prefix": {"equals-ignore-case": "…"}}` and the suffix equivalent. */
function ignoreCaseAffixMatcher(operator: "prefix" | "suffix", operand: Record<string, unknown>): ValueMatcher {
  const label = operator === "prefix" ? "Prefix" : "Suffix";
  const keys = Object.keys(operand);
  const inner = keys[0];
  if (inner === undefined) {
    fail(`${label} expression name not found`);
  }
  if (inner !== "equals-ignore-case") {
    fail(`Unsupported ${operator} pattern: ${inner}`);
  }
  const text = operand[inner];
  if (typeof text !== "string") {
    fail("equals-ignore-case match pattern must be a string");
  }
  if (keys.length > 1) {
    fail(ONE_KEY_ONLY);
  }
  const regex = ignoreCaseRegex(text, operator);
  return (leaf) => typeof leaf === "string" && regex.test(leaf);
}

type AnythingButKind = "equals-ignore-case" | "prefix" | "suffix" | "wildcard";

function isAnythingButKind(kind: string): kind is AnythingButKind {
  return kind === "equals-ignore-case" || kind === "prefix" || kind === "suffix" || kind === "wildcard";
}

/**
 * anything-but matches any present leaf that is not excluded. Exclusions only apply to values of the same JSON type
 * (a string list never excludes a number and vice versa), so e.g. `{"anything-but": {"prefix": "init"}}` matches 12
 * and `{"anything-but": "initializing"}` matches null. A missing field never matches.
 */
function compileAnythingBut(operand: unknown): ValueMatcher {
  if (isObject(operand)) {
    const keys = Object.keys(operand);
    const kind = keys[0];
    if (kind === undefined) {
      fail("Anything-But expression name not found");
    }
    if (!isAnythingButKind(kind)) {
      fail(`Unsupported anything-but pattern: ${kind}`);
    }
    const matcher = compileAnythingButSet(kind, operand[kind]);
    if (keys.length > 1) {
      fail(TOO_MANY_ELEMENTS);
    }
    return matcher;
  }
  if (!isAnythingButOperand(operand)) {
    fail("Value of anything-but must be an array or single string/number value.");
  }

  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const value of Array.isArray(operand) ? operand : [operand]) {
    if (typeof value === "string") {
      strings.add(value);
    } else if (typeof value === "number" && Number.isFinite(value)) {
      // Excluded numbers are compared numerically, so they must be representable for numeric matching.
      const problem = numericProblem(value);
      if (problem !== undefined) {
        fail(problem);
      }
      numbers.add(value);
    } else {
      fail("Inside anything but list, start|null|boolean is not supported.");
    }
  }
  const hasStrings = strings.size > 0;
  const hasNumbers = numbers.size > 0;
  if (hasStrings === hasNumbers) {
    fail("Inside anything but list, either all values are number or string, mixed type is not supported");
  }
  if (hasNumbers) {
    return (leaf) => !(typeof leaf === "number" && numbers.has(leaf));
  }
  return (leaf) => !(typeof leaf === "string" && strings.has(leaf));
}

function isAnythingButOperand(operand: unknown): operand is string | number | unknown[] {
  return Array.isArray(operand) || typeof operand === "string" || typeof operand === "number";
}

function compileAnythingButSet(kind: AnythingButKind, operand: unknown): ValueMatcher {
  if (!isAnythingButOperand(operand)) {
    fail("Value of anything-but must be an array or single string/number value.");
  }
  const values = Array.isArray(operand) ? operand : [operand];
  const texts: string[] = [];
  for (const value of values) {
    if (typeof value !== "string") {
      if (kind === "equals-ignore-case") {
        fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.");
      }
      fail(
        kind === "wildcard"
          ? "wildcard match pattern must be a string"
          : "prefix/suffix match pattern must be a string",
      );
    }
    if ((kind === "prefix" || kind === "suffix") && value === "") {
      fail("Null prefix/suffix not allowed");
    }
    texts.push(value);
  }
  if (texts.length === 0) {
    // event-ruler's compiler lets an empty list through but cannot build a matcher from it; reject it up front.
    fail("Empty arrays are not allowed");
  }

  let excluded: (text: string) => boolean;
  switch (kind) {
    case "prefix":
      excluded = (text) => texts.some((prefix) => text.startsWith(prefix));
      break;
    case "suffix":
      excluded = (text) => texts.some((suffix) => text.endsWith(suffix));
      break;
    case "equals-ignore-case": {
      const regexes = texts.map((text) => ignoreCaseRegex(text, "equals"));
      excluded = (text) => regexes.some((regex) => regex.test(text));
      break;
    }
    case "wildcard": {
      const wildcards = texts.map(parseWildcard);
      excluded = (text) => wildcards.some((wildcard) => wildcardMatches(wildcard, text));
      break;
    }
  }
  return (leaf) => !(typeof leaf === "string" && excluded(leaf));
}

// ---------------------------------------------------------------------------------------------------------------
// numeric
// ---------------------------------------------------------------------------------------------------------------

/** How Jackson would print the offending token in the ruler's messages. */
function tokenText(token: unknown): string {
  if (token === undefined) {
    return "]";
  }
  if (Array.isArray(token)) {
    return "[";
  }
  if (isObject(token)) {
    return "{";
  }
  return typeof token === "string" ? token : JSON.stringify(token);
}

function requireNumber(token: unknown, operator: string): number {
  if (typeof token !== "number" || !Number.isFinite(token)) {
    fail(`Value of ${operator === "=" ? "equals" : operator} must be numeric`);
  }
  const problem = numericProblem(token);
  if (problem !== undefined) {
    fail(problem);
  }
  return token;
}

/**
 * `["=", x]`, a single `>`/`>=`/`<`/`<=` bound, or a lower bound followed by an upper bound — the only forms the
 * ruler accepts. One-sided ranges are closed at ±5e9, and every range must have bottom < top.
 */
function compileNumeric(operands: readonly unknown[]): ValueMatcher {
  const operator = operands[0];
  if (typeof operator !== "string") {
    fail(`Invalid member in numeric match: ${tokenText(operator)}`);
  }
  switch (operator) {
    case "=": {
      const target = requireNumber(operands[1], operator);
      if (operands.length > 2) {
        fail(TOO_MANY_ELEMENTS);
      }
      return (leaf) => typeof leaf === "number" && leaf === target;
    }
    case ">":
    case ">=": {
      const bottom = requireNumber(operands[1], operator);
      if (operands.length === 2) {
        return rangeMatcher(bottom, operator === ">", NUMERIC_LIMIT, false);
      }
      const upperOperator = operands[2];
      if (typeof upperOperator !== "string") {
        fail(`Bad value in numeric range: ${tokenText(upperOperator)}`);
      }
      if (upperOperator !== "<" && upperOperator !== "<=") {
        fail(`Bad numeric range operator: ${upperOperator}`);
      }
      const top = requireNumber(operands[3], upperOperator);
      if (operands.length > 4) {
        fail("Too many terms in numeric range expression");
      }
      return rangeMatcher(bottom, operator === ">", top, upperOperator === "<");
    }
    case "<":
    case "<=": {
      const top = requireNumber(operands[1], operator);
      if (operands.length > 2) {
        fail(TOO_MANY_ELEMENTS);
      }
      return rangeMatcher(-NUMERIC_LIMIT, false, top, operator === "<");
    }
    default:
      return fail(`Unrecognized numeric range operator: ${operator}`);
  }
}

function rangeMatcher(bottom: number, openBottom: boolean, top: number, openTop: boolean): ValueMatcher {
  if (bottom >= top) {
    fail("Bottom must be less than top");
  }
  return (leaf) =>
    typeof leaf === "number" &&
    isComparable(leaf) &&
    (openBottom ? leaf > bottom : leaf >= bottom) &&
    (openTop ? leaf < top : leaf <= top);
}

/** Digits after the decimal point in the shortest decimal form of n (what the ruler's BigDecimal scale measures). */
function fractionDigits(n: number): number {
  const text = String(Math.abs(n));
  const e = text.indexOf("e");
  const mantissa = e === -1 ? text : text.slice(0, e);
  const exponent = e === -1 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf(".");
  const digits = dot === -1 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, digits - exponent);
}

/** Why a number cannot take part in numeric matching, in the ruler's words; undefined when it can. */
function numericProblem(n: number): string | undefined {
  if (fractionDigits(n) > MAX_FRACTION_DIGITS) {
    return "Only values upto 6 decimals are supported";
  }
  if (n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) {
    return "Value must be between -5.0E9 and 5.0E9, inclusive";
  }
  return undefined;
}

/** Event numbers outside the numeric-matching domain never satisfy a range (they can still match literally). */
function isComparable(n: number): boolean {
  return Number.isFinite(n) && numericProblem(n) === undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// equals-ignore-case
// ---------------------------------------------------------------------------------------------------------------

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * Like the ruler's EqualsIgnoreCaseParser, each pattern character matches its lower-case or its upper-case form
 * (which may differ in length, e.g. "ß" / "SS").
 */
function ignoreCaseRegex(text: string, mode: "equals" | "prefix" | "suffix"): RegExp {
  let source = "";
  for (const char of text) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    source += lower === upper ? escapeRegex(lower) : `(?:${escapeRegex(lower)}|${escapeRegex(upper)})`;
  }
  if (mode !== "suffix") {
    source = `^${source}`;
  }
  if (mode !== "prefix") {
    source = `${source}$`;
  }
  return new RegExp(source);
}

// ---------------------------------------------------------------------------------------------------------------
// wildcard
// ---------------------------------------------------------------------------------------------------------------

/** Literal pieces between unescaped `*`; a pattern with n wildcards has n + 1 pieces. */
type Wildcard = readonly string[];

/**
 * `*` matches any run of characters, `\*` is a literal asterisk and `\\` a literal backslash; consecutive `*` and
 * any other escape are rejected. Positions in messages are UTF-8 byte offsets counted from the ruler's opening quote.
 */
function parseWildcard(text: string): Wildcard {
  const pieces: string[] = [];
  let current = "";
  let bytePos = 1;
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const char = chars[i] as string;
    if (char === "*") {
      if (chars[i + 1] === "*") {
        fail(`Consecutive wildcard characters at pos ${bytePos}`);
      }
      pieces.push(current);
      current = "";
    } else if (char === "\\") {
      const next = chars[i + 1];
      if (next !== "*" && next !== "\\") {
        fail(`Invalid escape character at pos ${bytePos}`);
      }
      current += next;
      i++;
      bytePos++;
    } else {
      current += char;
    }
    bytePos += utf8Length(char);
  }
  pieces.push(current);
  return pieces;
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** Linear-time glob match: first and last pieces anchor the ends, middle pieces are found left to right. */
function wildcardMatches(pieces: Wildcard, text: string): boolean {
  const first = pieces[0] ?? "";
  if (pieces.length === 1) {
    return text === first;
  }
  const last = pieces[pieces.length - 1] ?? "";
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) {
    return false;
  }
  let position = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i] ?? "";
    const found = text.indexOf(piece, position);
    if (found === -1 || found + piece.length > end) {
      return false;
    }
    position = found + piece.length;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses and cidr (event-ruler's CIDR class, which relies on java.net.InetAddress parsing)
// ---------------------------------------------------------------------------------------------------------------

const IPV4_SHAPE = /^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV6_SHAPE = /^[0-9a-fA-F:]*:[0-9a-fA-F:]*$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(4);
  const parts = text.split(".");
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? "";
    const value = Number(part);
    if (value > 255) {
      return undefined;
    }
    bytes[i] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const gap = text.indexOf("::");
  if (gap !== -1 && text.indexOf("::", gap + 1) !== -1) {
    return undefined;
  }
  let head: string[];
  let tail: string[] = [];
  if (gap === -1) {
    head = text.split(":");
    if (head.length !== 8) {
      return undefined;
    }
  } else {
    const before = text.slice(0, gap);
    const after = text.slice(gap + 2);
    head = before === "" ? [] : before.split(":");
    tail = after === "" ? [] : after.split(":");
    if (head.length + tail.length > 7) {
      return undefined;
    }
  }
  const groups = [...head, ...new Array<string>(8 - head.length - tail.length).fill("0"), ...tail];
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const group = groups[i] ?? "";
    if (!HEX_GROUP.test(group)) {
      return undefined;
    }
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  }
  // java.net.InetAddress turns IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) into plain IPv4 addresses.
  if (bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return bytes.slice(12);
  }
  return bytes;
}

/** Address bytes (4 or 16) of an IP literal, or undefined when the text is not one. */
function parseIp(text: string): Uint8Array | undefined {
  if (IPV4_SHAPE.test(text)) {
    return parseIpv4(text);
  }
  if (IPV6_SHAPE.test(text)) {
    return parseIpv6(text);
  }
  return undefined;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

function ipInRange(text: string, low: Uint8Array, high: Uint8Array): boolean {
  const ip = parseIp(text);
  return ip !== undefined && ip.length === low.length && compareBytes(ip, low) >= 0 && compareBytes(ip, high) <= 0;
}

function ipEqualsMatcher(address: Uint8Array): ValueMatcher {
  return (leaf) => typeof leaf === "string" && ipInRange(leaf, address, address);
}

/** Java's String.split: trailing empty strings are dropped. */
function javaSplit(text: string, separator: string): string[] {
  const parts = text.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === "") {
    parts.pop();
  }
  return parts.length === 0 && !text.includes(separator) ? [text] : parts;
}

/** The addresses covered by a CIDR block (host bits of the given address are ignored). */
function parseCidr(text: string): { low: Uint8Array; high: Uint8Array } {
  const parts = javaSplit(text, "/");
  if (parts.length !== 2) {
    fail("Malformed CIDR, one '/' required");
  }
  const [address = "", bitsText = ""] = parts;
  const bits = Number(bitsText);
  if (!/^[+-]?[0-9]+$/.test(bitsText) || bits > 2147483647 || bits < -2147483648) {
    fail("Malformed CIDR, mask bits must be an integer");
  }
  if (bits < 0) {
    fail("Malformed CIDR, mask bits must not be negative");
  }
  if (!IPV4_SHAPE.test(address) && !IPV6_SHAPE.test(address)) {
    fail(`Nonstandard IP address: ${address}`);
  }
  const ip = parseIp(address);
  if (ip === undefined) {
    fail(`Invalid IP address: ${address}`);
  }
  // event-ruler requires strictly fewer mask bits than the address has.
  if (ip.length === 4 && bits > 31) {
    fail("IPv4 mask bits must be < 32");
  }
  if (ip.length === 16 && bits > 127) {
    fail("IPv6 mask bits must be < 128");
  }
  const low = new Uint8Array(ip.length);
  const high = new Uint8Array(ip.length);
  for (let i = 0; i < ip.length; i++) {
    const fixedBits = Math.min(8, Math.max(0, bits - i * 8));
    const mask = (0xff << (8 - fixedBits)) & 0xff;
    const byte = ip[i] ?? 0;
    low[i] = byte & mask;
    high[i] = (byte & mask) | (~mask & 0xff);
  }
  return { low, high };
}

// ---------------------------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------------------------

const NO_ARRAYS: readonly number[] = [];

function matchCompiled(pattern: CompiledPattern, event: unknown): boolean {
  if (!isObject(event)) {
    return false;
  }
  const fields = new Map<string, Field[]>();
  const counter = { nextArrayId: 0 };
  visitObject(pattern, event, pattern.rootSteps, NO_ARRAYS, fields, counter);
  for (const subRule of pattern.subRules) {
    if (matchFrom(subRule, 0, NO_ARRAYS, fields)) {
      return true;
    }
  }
  return false;
}

/*
 * Flattening collects leaf values grouped by dot-joined path. Arrays add no path segment (their elements take the
 * array's path, nested arrays are flattened), but every array gets an id so leaves remember which element they came
 * from. Empty arrays and objects contribute no leaf, which is why `exists` treats them as missing.
 */

function visitObject(
  compiled: CompiledPattern,
  object: Record<string, unknown>,
  steps: readonly Step[],
  arrays: readonly number[],
  fields: Map<string, Field[]>,
  counter: { nextArrayId: number },
): void {
  for (const step of steps) {
    if (Object.hasOwn(object, step.key)) {
      visitValue(compiled, object[step.key], step.path, arrays, fields, counter);
    }
  }
}

function visitValue(
  compiled: CompiledPattern,
  value: unknown,
  path: string,
  arrays: readonly number[],
  fields: Map<string, Field[]>,
  counter: { nextArrayId: number },
): void {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    const list = fields.get(path);
    if (list === undefined) {
      fields.set(path, [{ value, arrays }]);
    } else {
      list.push({ value, arrays });
    }
  } else if (Array.isArray(value)) {
    const id = counter.nextArrayId++;
    for (let index = 0; index < value.length; index++) {
      visitValue(compiled, value[index], path, [...arrays, id, index], fields, counter);
    }
  } else if (isObject(value)) {
    const steps = compiled.steps.get(path);
    if (steps !== undefined) {
      visitObject(compiled, value, steps, arrays, fields, counter);
    }
  }
  // undefined, functions, symbols and bigints are not JSON values and are ignored.
}

/**
 * Combines the array positions chosen so far with a leaf's; null when the leaf sits in a different element of an
 * array already pinned (the ruler's ArrayMembership.checkArrayConsistency).
 */
function mergeArrays(soFar: readonly number[], leaf: readonly number[]): readonly number[] | null {
  if (leaf.length === 0) {
    return soFar;
  }
  if (soFar.length === 0) {
    return leaf;
  }
  let merged: number[] | undefined;
  for (let i = 0; i < leaf.length; i += 2) {
    const id = leaf[i];
    let pinned: number | undefined;
    for (let j = 0; j < soFar.length; j += 2) {
      if (soFar[j] === id) {
        pinned = soFar[j + 1];
        break;
      }
    }
    if (pinned === undefined) {
      merged ??= [...soFar];
      merged.push(id as number, leaf[i + 1] as number);
    } else if (pinned !== leaf[i + 1]) {
      return null;
    }
  }
  return merged ?? soFar;
}

/** Backtracking search: can clauses[index…] be satisfied given the array elements already chosen? */
function matchFrom(
  clauses: readonly Clause[],
  index: number,
  arrays: readonly number[],
  fields: ReadonlyMap<string, readonly Field[]>,
): boolean {
  const clause = clauses[index];
  if (clause === undefined) {
    return true;
  }
  const candidates = fields.get(clause.path);
  if (candidates === undefined) {
    return clause.allowAbsent && matchFrom(clauses, index + 1, arrays, fields);
  }
  if (clause.match !== undefined) {
    let triedUnchanged = false;
    for (const field of candidates) {
      if (!clause.match(field.value)) {
        continue;
      }
      const merged = mergeArrays(arrays, field.arrays);
      if (merged === null) {
        continue;
      }
      // Leaves that add no array constraint lead to the same search; one attempt is enough.
      if (merged === arrays) {
        if (triedUnchanged) {
          continue;
        }
        triedUnchanged = true;
      }
      if (matchFrom(clauses, index + 1, merged, fields)) {
        return true;
      }
    }
  }
  if (!clause.allowAbsent) {
    return false;
  }
  // `exists: false` holds when no leaf of this path is consistent with the array elements chosen so far.
  for (const field of candidates) {
    if (mergeArrays(arrays, field.arrays) !== null) {
      return false;
    }
  }
  return matchFrom(clauses, index + 1, arrays, fields);
}
