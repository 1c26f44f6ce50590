/**
 * Whether a published event's schema may change into another without breaking a consumer. Pure: two
 * JSON Schemas in (draft 2020-12, as zod's `toJSONSchema` writes them), the breaking changes out.
 *
 * A published version is read by consumers long after it was written: events wait in queues, the
 * archive replays them, and consumers deploy on their own schedule. So the next schema must
 *  - accept every detail the previous one accepted (no type narrowed, no enum value dropped, no bound
 *    tightened, no format or pattern added, no new required field, no closing of additionalProperties), and
 *  - still promise every field the previous one promised (none removed, none made optional).
 * Additive optional fields and widening (a new enum value, a looser bound, null allowed) pass.
 */

export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export type BreakingKind =
  | "field-removed"
  | "field-no-longer-required"
  | "required-field-added"
  | "type-narrowed"
  | "nullable-removed"
  | "enum-narrowed"
  | "bound-tightened"
  | "format-added"
  | "pattern-changed"
  | "additional-properties-tightened"
  | "unverifiable";

export interface BreakingChange {
  readonly kind: BreakingKind;
  /** Where, in the detail: `$` is the detail itself, `$.contacts[].email` a field inside. */
  readonly path: string;
  readonly detail: string;
}

type SchemaObject = { readonly [keyword: string]: unknown };

/** Keywords that only describe: a change to them never breaks anyone. */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "$defs",
  "definitions",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/** Keywords this checker understands; a change to any other is reported as unverifiable. */
const UNDERSTOOD = new Set([
  ...ANNOTATIONS,
  "type",
  "enum",
  "const",
  "anyOf",
  "oneOf",
  "$ref",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
  "minProperties",
  "maxProperties",
]);

interface Roots {
  readonly previous: JsonSchema;
  readonly next: JsonSchema;
  readonly inProgress: Set<string>;
}

export function breakingChanges(previous: JsonSchema, next: JsonSchema): BreakingChange[] {
  return compare(previous, next, "$", { previous, next, inProgress: new Set() });
}

function isObject(value: unknown): value is SchemaObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string" && hops < 32; hops++) {
    const ref = current.$ref;
    if (!ref.startsWith("#")) throw new Error(`only local $ref is supported, not ${ref}`);
    let target: unknown = root;
    for (const part of ref.slice(1).split("/").filter(Boolean)) {
      const key = decodeURIComponent(part).replaceAll("~1", "/").replaceAll("~0", "~");
      target = isObject(target) ? target[key] : undefined;
    }
    if (typeof target !== "boolean" && !isObject(target)) throw new Error(`unresolved $ref ${ref}`);
    const { $ref: _, ...siblings } = current;
    current = Object.keys(siblings).length > 0 && isObject(target) ? { ...target, ...siblings } : target;
  }
  return current;
}

function acceptsAnything(schema: JsonSchema): boolean {
  return schema === true || (isObject(schema) && Object.keys(schema).every((k) => ANNOTATIONS.has(k)));
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function enumOf(schema: SchemaObject): unknown[] | undefined {
  if ("const" in schema) return [schema.const];
  return Array.isArray(schema.enum) ? schema.enum : undefined;
}

/**
 * One schema as the alternatives it accepts, each of a single type (or untyped): `anyOf`/`oneOf`
 * branches, and each member of a `type` list, with the enum values of that type.
 */
function variants(schema: SchemaObject, root: JsonSchema): SchemaObject[] {
  const branches = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : undefined;
  if (branches) {
    return branches.flatMap((branch: JsonSchema) => {
      const resolved = resolve(branch, root);
      if (resolved === false) return [];
      return variants(resolved === true ? {} : resolved, root);
    });
  }
  const values = enumOf(schema);
  const types: string[] = Array.isArray(schema.type)
    ? schema.type.map(String)
    : typeof schema.type === "string"
      ? [schema.type]
      : values
        ? [...new Set(values.map(jsonTypeOf).map((t) => (t === "integer" ? "number" : t)))]
        : [];
  if (types.length <= 1) return [schema];
  return types.map((type) => {
    const { const: _const, enum: _enum, ...rest } = schema;
    const ofType = values?.filter((v) => jsonTypeOf(v) === type || (type === "number" && jsonTypeOf(v) === "integer"));
    return ofType ? { ...rest, type, enum: ofType } : { ...rest, type };
  });
}

function typeOf(variant: SchemaObject): string | undefined {
  if (typeof variant.type === "string") return variant.type;
  const values = enumOf(variant);
  return values?.[0] === undefined ? undefined : jsonTypeOf(values[0]) === "integer" ? "number" : jsonTypeOf(values[0]);
}

/** Whether a detail of the previous variant's type could be accepted by the next variant at all. */
function overlaps(previous: SchemaObject, next: SchemaObject): boolean {
  const before = typeOf(previous);
  const after = typeOf(next);
  if (after === undefined || before === undefined) return true;
  if (before === after) return true;
  return (before === "integer" && after === "number") || (before === "number" && after === "integer");
}

function describe(variant: SchemaObject): string {
  const values = enumOf(variant);
  if (values) return `one of ${values.map((v) => JSON.stringify(v)).join(", ")}`;
  return typeOf(variant) ?? "any value";
}

function compare(previous: JsonSchema, next: JsonSchema, path: string, roots: Roots): BreakingChange[] {
  const before = resolve(previous, roots.previous);
  const after = resolve(next, roots.next);
  if (after === true || acceptsAnything(after) || before === false) return [];
  if (after === false) return [{ kind: "type-narrowed", path, detail: "now accepts nothing" }];
  if (before === true || acceptsAnything(before))
    return [{ kind: "type-narrowed", path, detail: "accepted any value, now constrained" }];
  // Recursive schemas ($ref cycles): a pair already being compared further up adds nothing new.
  const pair = `${JSON.stringify(before)}|${JSON.stringify(after)}`;
  if (roots.inProgress.has(pair)) return [];
  roots.inProgress.add(pair);
  try {
    return compareResolved(before, after, path, roots);
  } finally {
    roots.inProgress.delete(pair);
  }
}

function compareResolved(before: SchemaObject, after: SchemaObject, path: string, roots: Roots): BreakingChange[] {
  const nextVariants = variants(after, roots.next);
  const changes: BreakingChange[] = [];
  for (const variant of variants(before, roots.previous)) {
    const candidates = nextVariants.filter((candidate) => overlaps(variant, candidate));
    if (candidates.length === 0) {
      changes.push(
        typeOf(variant) === "null"
          ? { kind: "nullable-removed", path, detail: "null is no longer accepted" }
          : { kind: "type-narrowed", path, detail: `${describe(variant)} is no longer accepted` },
      );
      continue;
    }
    // The alternative that takes the previous one best decides: fewest breaking changes.
    const outcomes = candidates.map((candidate) => compareVariant(variant, candidate, path, roots));
    const best = outcomes.reduce((fewest, outcome) => (outcome.length < fewest.length ? outcome : fewest));
    changes.push(...best);
  }
  return changes;
}

/** zod writes the safe-integer range on every integer; no JSON number a consumer reads lies beyond it. */
const bounded = (value: unknown): number | undefined =>
  typeof value === "number" && Math.abs(value) < Number.MAX_SAFE_INTEGER ? value : undefined;

function lowerBound(schema: SchemaObject): { value: number; exclusive: boolean } | undefined {
  const inclusive = bounded(schema.minimum);
  const exclusive = bounded(schema.exclusiveMinimum);
  if (inclusive === undefined && exclusive === undefined) return undefined;
  if (exclusive !== undefined && (inclusive === undefined || exclusive >= inclusive))
    return { value: exclusive, exclusive: true };
  return { value: inclusive as number, exclusive: false };
}

function upperBound(schema: SchemaObject): { value: number; exclusive: boolean } | undefined {
  const inclusive = bounded(schema.maximum);
  const exclusive = bounded(schema.exclusiveMaximum);
  if (inclusive === undefined && exclusive === undefined) return undefined;
  if (exclusive !== undefined && (inclusive === undefined || exclusive <= inclusive))
    return { value: exclusive, exclusive: true };
  return { value: inclusive as number, exclusive: false };
}

function numberBounds(before: SchemaObject, after: SchemaObject, path: string): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const show = (bound: { value: number; exclusive: boolean } | undefined, sign: string) =>
    bound ? `${sign}${bound.exclusive ? "" : "="} ${bound.value}` : "none";
  const [lowBefore, lowAfter] = [lowerBound(before), lowerBound(after)];
  if (
    lowAfter &&
    (!lowBefore ||
      lowAfter.value > lowBefore.value ||
      (lowAfter.value === lowBefore.value && lowAfter.exclusive && !lowBefore.exclusive))
  ) {
    changes.push({
      kind: "bound-tightened",
      path,
      detail: `lower bound ${show(lowBefore, ">")} → ${show(lowAfter, ">")}`,
    });
  }
  const [highBefore, highAfter] = [upperBound(before), upperBound(after)];
  if (
    highAfter &&
    (!highBefore ||
      highAfter.value < highBefore.value ||
      (highAfter.value === highBefore.value && highAfter.exclusive && !highBefore.exclusive))
  ) {
    changes.push({
      kind: "bound-tightened",
      path,
      detail: `upper bound ${show(highBefore, "<")} → ${show(highAfter, "<")}`,
    });
  }
  if (typeof after.multipleOf === "number") {
    const was = typeof before.multipleOf === "number" ? before.multipleOf : undefined;
    if (was === undefined || !Number.isInteger(was / after.multipleOf)) {
      changes.push({ kind: "bound-tightened", path, detail: `multipleOf ${was ?? "none"} → ${after.multipleOf}` });
    }
  }
  return changes;
}

/** `min*`: raised or added tightens; `max*`: lowered or added tightens. */
function countBound(
  before: SchemaObject,
  after: SchemaObject,
  keyword: string,
  direction: "min" | "max",
  path: string,
): BreakingChange[] {
  const was = typeof before[keyword] === "number" ? (before[keyword] as number) : undefined;
  const now = typeof after[keyword] === "number" ? (after[keyword] as number) : undefined;
  if (now === undefined || (was !== undefined && (direction === "min" ? now <= was : now >= was))) return [];
  return [{ kind: "bound-tightened", path, detail: `${keyword} ${was ?? "none"} → ${now}` }];
}

function compareVariant(before: SchemaObject, after: SchemaObject, path: string, roots: Roots): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const typeBefore = typeOf(before);
  const typeAfter = typeOf(after);
  if (typeAfter !== undefined && typeBefore === undefined) {
    changes.push({ kind: "type-narrowed", path, detail: `any value → ${typeAfter}` });
  } else if (typeBefore === "number" && typeAfter === "integer") {
    changes.push({ kind: "type-narrowed", path, detail: "number → integer" });
  }

  const valuesBefore = enumOf(before);
  const valuesAfter = enumOf(after);
  if (valuesAfter && !valuesBefore) {
    const list = valuesAfter.map((v) => JSON.stringify(v)).join(", ");
    changes.push({ kind: "type-narrowed", path, detail: `${typeBefore ?? "any value"} → only ${list}` });
  } else if (valuesAfter && valuesBefore) {
    const kept = new Set(valuesAfter.map((v) => JSON.stringify(v)));
    const dropped = valuesBefore.map((v) => JSON.stringify(v)).filter((v) => !kept.has(v));
    if (dropped.length > 0)
      changes.push({ kind: "enum-narrowed", path, detail: `no longer accepts ${dropped.join(", ")}` });
  }

  changes.push(
    ...countBound(before, after, "minLength", "min", path),
    ...countBound(before, after, "maxLength", "max", path),
  );
  if (typeof after.pattern === "string" && after.pattern !== before.pattern) {
    changes.push({
      kind: "pattern-changed",
      path,
      detail: before.pattern === undefined ? `pattern added: ${after.pattern}` : "pattern changed",
    });
  }
  if (typeof after.format === "string" && after.format !== before.format) {
    changes.push({
      kind: "format-added",
      path,
      detail:
        before.format === undefined ? `format ${after.format} added` : `format ${before.format} → ${after.format}`,
    });
  }

  changes.push(...numberBounds(before, after, path));

  changes.push(
    ...countBound(before, after, "minItems", "min", path),
    ...countBound(before, after, "maxItems", "max", path),
  );
  if (after.uniqueItems === true && before.uniqueItems !== true) {
    changes.push({ kind: "bound-tightened", path, detail: "items must now be unique" });
  }
  if ("items" in before || "items" in after) {
    changes.push(
      ...compare((before.items as JsonSchema) ?? true, (after.items as JsonSchema) ?? true, `${path}[]`, roots),
    );
  }

  changes.push(...compareObjects(before, after, path, roots));

  for (const keyword of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (UNDERSTOOD.has(keyword)) continue;
    if (JSON.stringify(before[keyword]) !== JSON.stringify(after[keyword])) {
      changes.push({
        kind: "unverifiable",
        path,
        detail: `${keyword} changed; this checker cannot prove it compatible`,
      });
    }
  }
  return changes;
}

function compareObjects(before: SchemaObject, after: SchemaObject, path: string, roots: Roots): BreakingChange[] {
  const changes: BreakingChange[] = [];
  const propertiesBefore = isObject(before.properties) ? before.properties : {};
  const propertiesAfter = isObject(after.properties) ? after.properties : {};
  const requiredBefore = new Set(Array.isArray(before.required) ? before.required.map(String) : []);
  const requiredAfter = new Set(Array.isArray(after.required) ? after.required.map(String) : []);
  const at = (name: string) => `${path}.${name}`;

  for (const [name, schema] of Object.entries(propertiesBefore)) {
    if (!(name in propertiesAfter)) {
      const was = requiredBefore.has(name) ? "required" : "optional";
      changes.push({ kind: "field-removed", path: at(name), detail: `${was} field removed` });
      continue;
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) {
      changes.push({ kind: "field-no-longer-required", path: at(name), detail: "consumers rely on it being present" });
    }
    changes.push(...compare(schema as JsonSchema, propertiesAfter[name] as JsonSchema, at(name), roots));
  }
  for (const name of requiredAfter) {
    if (requiredBefore.has(name)) continue;
    changes.push({
      kind: "required-field-added",
      path: at(name),
      detail: name in propertiesBefore ? "optional field made required" : "new required field",
    });
  }

  const extraBefore = (before.additionalProperties as JsonSchema | undefined) ?? true;
  const extraAfter = (after.additionalProperties as JsonSchema | undefined) ?? true;
  if (!acceptsAnything(extraAfter)) {
    if (acceptsAnything(extraBefore) || extraAfter === false) {
      if (extraBefore !== false) {
        changes.push({
          kind: "additional-properties-tightened",
          path,
          detail: extraAfter === false ? "unknown fields are now refused" : "unknown fields are now constrained",
        });
      }
    } else {
      changes.push(...compare(extraBefore, extraAfter, `${path}.*`, roots));
    }
  }

  changes.push(
    ...countBound(before, after, "minProperties", "min", path),
    ...countBound(before, after, "maxProperties", "max", path),
  );
  return changes;
}
