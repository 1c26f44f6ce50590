import { describe, expect, it } from "vitest";
import {
  compileEventPattern,
  type EventPattern,
  InvalidEventPatternError,
  matchesEventPattern,
  parseEventPattern,
} from "./pattern.ts";

/*
 * Sources cited in the `doc` column:
 *   create   – User guide, "Creating event patterns" (incl. "Matching event values", example events).
 *   nulls    – User guide, "Matching null values and empty strings".
 *   arrays   – User guide, "Arrays in Amazon EventBridge event patterns".
 *   ops      – User guide, "Comparison operators for use in event patterns" (summary table).
 *   filter   – User guide, "Content filtering in Amazon EventBridge event patterns" (section named after the colon).
 *   or       – User guide, "$or" / "Complex example with $or".
 *   ruler    – aws/event-ruler README (the library EventBridge uses) where the guide is silent.
 *   verified – a case recorded against real AWS in localstack's tests/aws/services/events/event_pattern_templates
 *              (file name given), used for behaviour the guide leaves open.
 */

type Json = Record<string, unknown>;

/** A full EventBridge envelope with the given extra/overridden fields. */
function envelope(fields: Json): Json {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    source: "aws.ec2",
    account: "111122223333",
    time: "2017-12-22T18:43:48Z",
    region: "us-west-1",
    resources: ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    ...fields,
  };
}

const withDetail = (detail: Json): Json => envelope({ detail });

// The EC2 example event from "Creating event patterns".
const ec2Terminated = envelope({ detail: { "instance-id": "i-1234567890abcdef0", state: "terminated" } });
const ec2TerminatedPattern = {
  source: ["aws.ec2"],
  "detail-type": ["EC2 Instance State-change Notification"],
  detail: { state: ["terminated"] },
};

// The Auto Scaling example event from "Matching null values and empty strings".
const autoScaling = envelope({
  "detail-type": "EC2 Instance Launch Successful",
  source: "aws.autoscaling",
  resources: [],
  detail: { eventVersion: "", responseElements: null },
});

// The truncated Macie alert from "Creating event patterns" → "Value matching".
const macie = envelope({
  "detail-type": "Macie Alert",
  source: "aws.macie",
  detail: {
    "notification-type": "ALERT_CREATED",
    tags: ["Custom_Alert", "Insider"],
    "risk-score": 80,
    trigger: { risk: 8 },
  },
});
const maciePattern = {
  source: ["aws.macie"],
  "detail-type": ["Macie Alert"],
  detail: { "risk-score": [80], trigger: { risk: [8] } },
};

// The event used throughout the event-ruler README and the content-filtering examples.
const rulerEvent = envelope({
  time: "2017-10-02T16:24:49Z",
  detail: {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    state: "running",
  },
});
const complexPattern = {
  time: [{ prefix: "2017-10-02" }],
  detail: {
    state: [{ "anything-but": "initializing" }],
    "c-count": [{ numeric: [">", 0, "<=", 5] }],
    "d-count": [{ numeric: ["<", 10] }],
    "x-limit": [{ "anything-but": [100, 200, 300] }],
    "source-ip": [{ cidr: "10.0.0.0/8" }],
  },
};

const employees = {
  employees: [
    { firstName: "John", lastName: "Doe" },
    { firstName: "Anna", lastName: "Smith" },
    { firstName: "Peter", lastName: "Jones" },
  ],
};

const cloudWatch = (fields: Json): Json => envelope({ source: "aws.cloudwatch", ...fields });

interface MatchCase {
  readonly doc: string;
  readonly name: string;
  readonly pattern: EventPattern | string;
  readonly event: unknown;
  readonly matches: boolean;
}

const matchCases: MatchCase[] = [
  // --- Field and value matching -----------------------------------------------------------------------------
  {
    doc: "create",
    name: "EC2 terminated pattern matches the terminated event",
    pattern: ec2TerminatedPattern,
    event: ec2Terminated,
    matches: true,
  },
  {
    doc: "create",
    name: "EC2 terminated pattern rejects a running instance",
    pattern: ec2TerminatedPattern,
    event: withDetail({ state: "running" }),
    matches: false,
  },
  {
    doc: "create",
    name: "a pattern field missing from the event prevents a match",
    pattern: ec2TerminatedPattern,
    event: envelope({}),
    matches: false,
  },
  {
    doc: "create",
    name: "field names must appear with the same nesting",
    pattern: { state: ["terminated"] },
    event: ec2Terminated,
    matches: false,
  },
  {
    doc: "create",
    name: "fields not named in the pattern are ignored",
    pattern: { source: ["aws.ec2"] },
    event: ec2Terminated,
    matches: true,
  },
  {
    doc: "create",
    name: "values in one array are ORed (aws.fargate)",
    pattern: { source: ["aws.ec2", "aws.fargate"] },
    event: envelope({ source: "aws.fargate" }),
    matches: true,
  },
  {
    doc: "create",
    name: "values in one array are ORed (aws.s3 is not listed)",
    pattern: { source: ["aws.ec2", "aws.fargate"] },
    event: envelope({ source: "aws.s3" }),
    matches: false,
  },
  {
    doc: "create",
    name: "fields are ANDed: wrong detail-type fails despite matching source",
    pattern: { ...ec2TerminatedPattern, "detail-type": ["EC2 Spot Instance Interruption Warning"] },
    event: ec2Terminated,
    matches: false,
  },
  {
    doc: "create",
    name: "string matching is exact and case-sensitive",
    pattern: { detail: { state: ["Terminated"] } },
    event: ec2Terminated,
    matches: false,
  },
  {
    doc: "create",
    name: "field names are case-sensitive (verified: key_case_sensitive_NEG)",
    pattern: { Source: ["aws.ec2"] },
    event: ec2Terminated,
    matches: false,
  },
  {
    doc: "create",
    name: "Macie: risk-score 80 and trigger.risk 8 (numbers, nested)",
    pattern: maciePattern,
    event: macie,
    matches: true,
  },
  {
    doc: "create",
    name: "Macie: a different nested trigger.risk fails",
    pattern: maciePattern,
    event: { ...macie, detail: { "risk-score": 80, trigger: { risk: 9 } } },
    matches: false,
  },
  {
    doc: "create",
    name: "numbers match numerically: 300 matches 3.0e2 (verified: number_comparison_float)",
    pattern: { number: [300] },
    event: JSON.parse('{"number": 3.0e2}'),
    matches: true,
  },
  {
    doc: "create",
    name: "numbers match numerically: 300 matches 300.0",
    pattern: JSON.parse('{"number": [300.0]}'),
    event: { number: 300 },
    matches: true,
  },
  {
    doc: "create",
    name: "a number does not match the same digits as a string",
    pattern: { number: [300] },
    event: { number: "300" },
    matches: false,
  },
  {
    doc: "create",
    name: "a string does not match the same digits as a number",
    pattern: { number: ["300"] },
    event: { number: 300 },
    matches: false,
  },
  {
    doc: "create",
    name: "account IDs beyond the numeric range still match literally",
    pattern: { n: [123456789012] },
    event: { n: 123456789012 },
    matches: true,
  },
  {
    doc: "create",
    name: "true matches the JSON literal true (verified: boolean)",
    pattern: { flag: [true] },
    event: { flag: true },
    matches: true,
  },
  {
    doc: "create",
    name: 'true does not match the string "true" (verified: boolean_NEG)',
    pattern: { flag: [true] },
    event: { flag: "true" },
    matches: false,
  },
  {
    doc: "create",
    name: "event strings holding JSON are not parsed (verified: nested_json_NEG)",
    pattern: { detail: { "my-key": ["my-value"] } },
    event: envelope({ detail: '{"my-key": "my-value"}' }),
    matches: false,
  },

  // --- Null and empty values --------------------------------------------------------------------------------
  {
    doc: "nulls",
    name: '[""] matches an empty string',
    pattern: { detail: { eventVersion: [""] } },
    event: autoScaling,
    matches: true,
  },
  {
    doc: "nulls",
    name: "[null] matches a null value",
    pattern: { detail: { responseElements: [null] } },
    event: autoScaling,
    matches: true,
  },
  {
    doc: "nulls",
    name: '[""] does not match null',
    pattern: { detail: { responseElements: [""] } },
    event: autoScaling,
    matches: false,
  },
  {
    doc: "nulls",
    name: "[null] does not match an empty string",
    pattern: { detail: { eventVersion: [null] } },
    event: autoScaling,
    matches: false,
  },
  {
    doc: "nulls",
    name: "[null] does not match a missing field",
    pattern: { detail: { missing: [null] } },
    event: autoScaling,
    matches: false,
  },
  {
    doc: "nulls",
    name: "[null] does not match an empty array (verified: arrays_empty_null_NEG)",
    pattern: { resources: [null] },
    event: autoScaling,
    matches: false,
  },

  // --- Arrays -----------------------------------------------------------------------------------------------
  {
    doc: "arrays",
    name: "matches when pattern and event arrays intersect",
    pattern: {
      resources: [
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f",
        "arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f",
      ],
    },
    event: envelope({
      resources: [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate",
        "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
      ],
    }),
    matches: true,
  },
  {
    doc: "arrays",
    name: "does not match when the intersection is empty",
    pattern: { resources: ["arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f"] },
    event: ec2Terminated,
    matches: false,
  },
  {
    doc: "arrays",
    name: "any element of an event array can match a scalar value",
    pattern: { detail: { tags: ["Insider"] } },
    event: macie,
    matches: true,
  },
  {
    doc: "ruler",
    name: "nested event arrays are flattened",
    pattern: { values: [3] },
    event: { values: [[1, 2], [3]] },
    matches: true,
  },
  {
    doc: "ruler",
    name: "arrays of objects: a field inside any element matches (Anna)",
    pattern: { employees: { firstName: ["Anna"] } },
    event: employees,
    matches: true,
  },
  {
    doc: "ruler",
    name: "arrays of objects: two fields must come from the same element (Anna Jones)",
    pattern: { employees: { firstName: ["Anna"], lastName: ["Jones"] } },
    event: employees,
    matches: false,
  },
  {
    doc: "ruler",
    name: "arrays of objects: two fields from the same element match (Anna Smith)",
    pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
    event: employees,
    matches: true,
  },
  {
    doc: "ruler",
    name: "multi-level arrays of objects are crushed out",
    pattern: { employees: { firstName: ["Peter"] } },
    event: { employees: [[employees.employees[0], employees.employees[1]], [employees.employees[2]]] },
    matches: true,
  },
  {
    doc: "verified",
    name: "exists true under an array of objects (list_within_dict)",
    pattern: { detail: { automations: { id: [{ exists: true }] } } },
    event: withDetail({ automations: [{ key1: "value1" }, { id: "match-does-exist" }, { key2: "value2" }] }),
    matches: true,
  },

  // --- Prefix -----------------------------------------------------------------------------------------------
  {
    doc: "filter: prefix",
    name: "time starting with 2017-10-02",
    pattern: { time: [{ prefix: "2017-10-02" }] },
    event: envelope({ time: "2017-10-02T18:43:48Z" }),
    matches: true,
  },
  {
    doc: "filter: prefix",
    name: "time with another date",
    pattern: { time: [{ prefix: "2017-10-02" }] },
    event: envelope({ time: "2017-10-03T18:43:48Z" }),
    matches: false,
  },
  {
    doc: "ops: begins with",
    name: "Region in the US",
    pattern: { Region: [{ prefix: "us-" }] },
    event: { Region: "us-east-1" },
    matches: true,
  },
  {
    doc: "ops: begins with",
    name: "prefix is case-sensitive",
    pattern: { Region: [{ prefix: "us-" }] },
    event: { Region: "US-EAST-1" },
    matches: false,
  },
  {
    doc: "filter: prefix",
    name: "prefix only applies to strings",
    pattern: { n: [{ prefix: "12" }] },
    event: { n: 123 },
    matches: false,
  },
  {
    doc: "filter: prefix ignoring case",
    name: "EventB prefix matches eventbridge",
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    event: withDetail({ service: "eventbridge" }),
    matches: true,
  },
  {
    doc: "filter: prefix ignoring case",
    name: "EventB prefix matches EVENTBRIDGE",
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    event: withDetail({ service: "EVENTBRIDGE" }),
    matches: true,
  },
  {
    doc: "filter: prefix ignoring case",
    name: "EventB prefix rejects Lambda",
    pattern: { detail: { service: [{ prefix: { "equals-ignore-case": "EventB" } }] } },
    event: withDetail({ service: "Lambda" }),
    matches: false,
  },

  // --- Suffix -----------------------------------------------------------------------------------------------
  {
    doc: "filter: suffix",
    name: "FileName ending with .png",
    pattern: { FileName: [{ suffix: ".png" }] },
    event: { FileName: "image.png" },
    matches: true,
  },
  {
    doc: "filter: suffix",
    name: "suffix is case-sensitive",
    pattern: { FileName: [{ suffix: ".png" }] },
    event: { FileName: "image.PNG" },
    matches: false,
  },
  {
    doc: "filter: suffix",
    name: "suffix must be at the end",
    pattern: { FileName: [{ suffix: ".png" }] },
    event: { FileName: "image.png.bak" },
    matches: false,
  },
  {
    doc: "filter: suffix ignoring case",
    name: ".png suffix ignoring case matches .PNG",
    pattern: { detail: { FileName: [{ suffix: { "equals-ignore-case": ".png" } }] } },
    event: withDetail({ FileName: "image.PNG" }),
    matches: true,
  },
  {
    doc: "ops: ends with (ignore case)",
    name: "tBridge suffix ignoring case matches EventBridge",
    pattern: { service: [{ suffix: { "equals-ignore-case": "tBridge" } }] },
    event: { service: "EventBridge" },
    matches: true,
  },
  {
    doc: "ops: ends with (ignore case)",
    name: "tBridge suffix ignoring case rejects EventBus",
    pattern: { service: [{ suffix: { "equals-ignore-case": "tBridge" } }] },
    event: { service: "EventBus" },
    matches: false,
  },

  // --- equals-ignore-case -----------------------------------------------------------------------------------
  {
    doc: "ops: equals (ignore case)",
    name: "alice matches Alice",
    pattern: { Name: [{ "equals-ignore-case": "alice" }] },
    event: { Name: "Alice" },
    matches: true,
  },
  {
    doc: "ops: equals (ignore case)",
    name: "alice matches ALICE",
    pattern: { Name: [{ "equals-ignore-case": "alice" }] },
    event: { Name: "ALICE" },
    matches: true,
  },
  {
    doc: "ops: equals (ignore case)",
    name: "alice does not match Alicia",
    pattern: { Name: [{ "equals-ignore-case": "alice" }] },
    event: { Name: "Alicia" },
    matches: false,
  },
  {
    doc: "ops: equals (ignore case)",
    name: "only applies to strings",
    pattern: { n: [{ "equals-ignore-case": "1" }] },
    event: { n: 1 },
    matches: false,
  },
  {
    doc: "verified",
    name: "empty equals-ignore-case matches an empty string (content_ignorecase_empty)",
    pattern: { detail: { value: [{ "equals-ignore-case": "" }] } },
    event: withDetail({ value: "" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "empty equals-ignore-case rejects a value (content_ignorecase_empty_NEG)",
    pattern: { detail: { value: [{ "equals-ignore-case": "" }] } },
    event: withDetail({ value: "test-value" }),
    matches: false,
  },
  {
    doc: "ruler",
    name: "case variants may differ in length (ß / SS)",
    pattern: { street: [{ "equals-ignore-case": "straße" }] },
    event: { street: "STRASSE" },
    matches: true,
  },

  // --- wildcard ---------------------------------------------------------------------------------------------
  {
    doc: "ops: wildcard",
    name: "dir/*.png matches a png in dir",
    pattern: { FileName: [{ wildcard: "dir/*.png" }] },
    event: { FileName: "dir/image.png" },
    matches: true,
  },
  {
    doc: "ops: wildcard",
    name: "dir/*.png rejects a jpg",
    pattern: { FileName: [{ wildcard: "dir/*.png" }] },
    event: { FileName: "dir/image.jpg" },
    matches: false,
  },
  {
    doc: "ops: wildcard",
    name: "* also spans slashes",
    pattern: { FileName: [{ wildcard: "dir/*.png" }] },
    event: { FileName: "dir/sub/image.png" },
    matches: true,
  },
  {
    doc: "ops: wildcard",
    name: "wildcard anchors both ends",
    pattern: { FileName: [{ wildcard: "dir/*.png" }] },
    event: { FileName: "other/dir/image.png" },
    matches: false,
  },
  {
    doc: "filter: wildcard",
    name: "event bus ARN with two wildcards",
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:*:event-bus/*" }] },
    event: { EventBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/myEventBus" },
    matches: true,
  },
  {
    doc: "verified",
    name: "one * spans many directories (content_wildcard_nonrepeating)",
    pattern: { FileName: [{ wildcard: "/Users/*/doc.txt" }] },
    event: { FileName: "/Users/ls_user/dir/dir/dir/dir/dir/doc.txt" },
    matches: true,
  },
  {
    doc: "verified",
    name: "repeated segments must all be present (content_wildcard_repeating_NEG)",
    pattern: { FileName: [{ wildcard: "/Users/*/dir/dir/dir/dir/dir/doc.txt" }] },
    event: { FileName: "/Users/ls_user/dir/dir/dir/dir/otherdir/doc.txt" },
    matches: false,
  },
  {
    doc: "filter: wildcard",
    name: "\\* is a literal asterisk",
    pattern: { v: [{ wildcard: "a\\*b" }] },
    event: { v: "a*b" },
    matches: true,
  },
  {
    doc: "filter: wildcard",
    name: "\\* does not act as a wildcard",
    pattern: { v: [{ wildcard: "a\\*b" }] },
    event: { v: "axxb" },
    matches: false,
  },
  {
    doc: "ruler",
    name: "\\\\ is a literal backslash",
    pattern: { v: [{ wildcard: "a\\\\*" }] },
    event: { v: "a\\tail" },
    matches: true,
  },
  {
    doc: "ruler",
    name: "* matches the empty string",
    pattern: { v: [{ wildcard: "*" }] },
    event: { v: "" },
    matches: true,
  },
  {
    doc: "ruler",
    name: "wildcard only applies to strings",
    pattern: { v: [{ wildcard: "*" }] },
    event: { v: 5 },
    matches: false,
  },
  {
    doc: "ruler",
    name: "a middle piece may not overlap the final piece",
    pattern: { v: [{ wildcard: "*.png*.png" }] },
    event: { v: "a.png" },
    matches: false,
  },
  {
    doc: "ruler",
    name: "pieces in order with text between them",
    pattern: { v: [{ wildcard: "*.png*.png" }] },
    event: { v: "a.png.b.png" },
    matches: true,
  },
  {
    doc: "filter: wildcard",
    name: "wildcard is case-sensitive",
    pattern: { FileName: [{ wildcard: "*.png" }] },
    event: { FileName: "a.PNG" },
    matches: false,
  },

  // --- anything-but -----------------------------------------------------------------------------------------
  {
    doc: "filter: anything-but",
    name: "state anything but initializing: running",
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: withDetail({ state: "running" }),
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "state anything but initializing: initializing",
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: withDetail({ state: "initializing" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but never matches a missing field (content_anything_but_string_missing_NEG)",
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: withDetail({ other: "x" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but matches a null value (content_anything_but_string_null)",
    pattern: { detail: { state: [{ "anything-but": "initializing" }] } },
    event: withDetail({ state: null }),
    matches: true,
  },
  {
    doc: "ruler",
    name: "a string exclusion never excludes a number",
    pattern: { detail: { state: [{ "anything-but": "5" }] } },
    event: withDetail({ state: 5 }),
    matches: true,
  },
  {
    doc: "ops: anything-but",
    name: "Weather anything but Raining: Sunny",
    pattern: { Weather: [{ "anything-but": ["Raining"] }] },
    event: { Weather: "Sunny" },
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "x-limit anything but 123: 124",
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: withDetail({ "x-limit": 124 }),
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "x-limit anything but 123: 123",
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: withDetail({ "x-limit": 123 }),
    matches: false,
  },
  {
    doc: "filter: anything-but",
    name: "numeric exclusions compare numerically (123.0)",
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: JSON.parse('{"detail": {"x-limit": 123.0}}'),
    matches: false,
  },
  {
    doc: "ruler",
    name: "a numeric exclusion never excludes a string",
    pattern: { detail: { "x-limit": [{ "anything-but": 123 }] } },
    event: withDetail({ "x-limit": "123" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "anything but 0 (content_anything_but_number_zero)",
    pattern: { detail: { "x-limit": [{ "anything-but": 0 }] } },
    event: withDetail({ "x-limit": 789 }),
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "string list: running is not excluded",
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    event: withDetail({ state: "running" }),
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "string list: overloaded is excluded",
    pattern: { detail: { state: [{ "anything-but": ["stopped", "overloaded"] }] } },
    event: withDetail({ state: "overloaded" }),
    matches: false,
  },
  {
    doc: "filter: anything-but",
    name: "number list: 301.8 is not excluded",
    pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: "filter: anything-but",
    name: "number list: 200 is excluded",
    pattern: { detail: { "x-limit": [{ "anything-but": [100, 200, 300] }] } },
    event: withDetail({ "x-limit": 200 }),
    matches: false,
  },
  {
    doc: "arrays",
    name: "array event value: one non-excluded element is enough",
    pattern: { detail: { state: [{ "anything-but": "stopped" }] } },
    event: withDetail({ state: ["stopped", "running"] }),
    matches: true,
  },
  {
    doc: "arrays",
    name: "array event value: all elements excluded",
    pattern: { detail: { state: [{ "anything-but": "stopped" }] } },
    event: withDetail({ state: ["stopped", "stopped"] }),
    matches: false,
  },
  {
    doc: "filter: anything-but prefix",
    name: "not starting with init: running",
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: withDetail({ state: "running" }),
    matches: true,
  },
  {
    doc: "filter: anything-but prefix",
    name: "not starting with init: initializing",
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: withDetail({ state: "initializing" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but prefix matches a number (content_anything_prefix_int_value)",
    pattern: { detail: { state: [{ "anything-but": { prefix: "init" } }] } },
    event: withDetail({ state: 12 }),
    matches: true,
  },
  {
    doc: "verified",
    name: "anything-but prefix list excludes every listed prefix (content_anything_prefix_list)",
    pattern: { detail: { state: [{ "anything-but": { prefix: ["init", "test"] } }] } },
    event: withDetail({ state: "testing" }),
    matches: false,
  },
  {
    doc: "ops: anything-but (begins with)",
    name: "Region not in the US: eu-west-1",
    pattern: { Region: [{ "anything-but": { prefix: "us-" } }] },
    event: { Region: "eu-west-1" },
    matches: true,
  },
  {
    doc: "filter: anything-but suffix",
    name: "not ending with .png: image.jpg",
    pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
    event: { FileName: "image.jpg" },
    matches: true,
  },
  {
    doc: "filter: anything-but suffix",
    name: "not ending with .png: image.png",
    pattern: { FileName: [{ "anything-but": { suffix: ".png" } }] },
    event: { FileName: "image.png" },
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but suffix list (content_anything_suffix_list)",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: [".txt", ".jpg"] } }] } },
    event: withDetail({ FileName: "file.txt.bak" }),
    matches: true,
  },
  {
    doc: "filter: anything-but ignoring case",
    name: "INITIALIZING is excluded ignoring case",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    event: withDetail({ state: "INITIALIZING" }),
    matches: false,
  },
  {
    doc: "filter: anything-but ignoring case",
    name: "running is not excluded",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": "initializing" } }] } },
    event: withDetail({ state: "running" }),
    matches: true,
  },
  {
    doc: "filter: anything-but ignoring case",
    name: "list: STOPPED is excluded",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "Overloaded"] } }] } },
    event: withDetail({ state: "STOPPED" }),
    matches: false,
  },
  {
    doc: "filter: anything-but ignoring case",
    name: "list: pending is not excluded",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": ["Stopped", "Overloaded"] } }] } },
    event: withDetail({ state: "pending" }),
    matches: true,
  },
  {
    doc: "ruler",
    name: "anything-but ignoring case matches a number",
    pattern: { v: [{ "anything-but": { "equals-ignore-case": "5" } }] },
    event: { v: 5 },
    matches: true,
  },
  {
    doc: "ops: anything-but wildcard",
    name: "FilePath without /lib/",
    pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
    event: { FilePath: "/usr/bin/tool" },
    matches: true,
  },
  {
    doc: "ops: anything-but wildcard",
    name: "FilePath with /lib/ is excluded",
    pattern: { FilePath: [{ "anything-but": { wildcard: "*/lib/*" } }] },
    event: { FilePath: "/usr/lib/tool" },
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but wildcard list (content_anything_wildcard_list)",
    pattern: { detail: { state: [{ "anything-but": { wildcard: ["*/init/*", "*/dir/*"] } }] } },
    event: withDetail({ state: "dir/post/dir" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "anything-but wildcard list excludes (content_anything_wildcard_list_NEG)",
    pattern: { detail: { state: [{ "anything-but": { wildcard: ["*/init/*", "*/dir/*"] } }] } },
    event: withDetail({ state: "x/dir/y" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but empty wildcard (content_anything_wildcard_empty)",
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: "" } }] } },
    event: withDetail({ FilePath: "dir/init/file" }),
    matches: true,
  },

  // --- numeric ----------------------------------------------------------------------------------------------
  {
    doc: "filter: numeric",
    name: "c-count > 0 and <= 5: 5",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "c-count > 0 and <= 5: 0 is excluded",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: withDetail({ "c-count": 0 }),
    matches: false,
  },
  {
    doc: "filter: numeric",
    name: "c-count > 0 and <= 5: 5.000001 is excluded",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: withDetail({ "c-count": 5.000001 }),
    matches: false,
  },
  {
    doc: "filter: numeric",
    name: "c-count > 0 and <= 5: 0.000001 (six decimals)",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<=", 5] }] } },
    event: withDetail({ "c-count": 0.000001 }),
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "d-count < 10: 10 is excluded",
    pattern: { detail: { "d-count": [{ numeric: ["<", 10] }] } },
    event: withDetail({ "d-count": 10 }),
    matches: false,
  },
  {
    doc: "filter: numeric",
    name: "d-count < 10: -5",
    pattern: { detail: { "d-count": [{ numeric: ["<", 10] }] } },
    event: withDetail({ "d-count": -5 }),
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "x-limit = 3.018e2: 301.8",
    pattern: { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } },
    event: rulerEvent,
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "x-limit = 3.018e2: 301.81",
    pattern: { detail: { "x-limit": [{ numeric: ["=", 3.018e2] }] } },
    event: withDetail({ "x-limit": 301.81 }),
    matches: false,
  },
  {
    doc: "ops: numeric (range)",
    name: "Price > 10 and <= 20: 20",
    pattern: { Price: [{ numeric: [">", 10, "<=", 20] }] },
    event: { Price: 20 },
    matches: true,
  },
  {
    doc: "ops: numeric (range)",
    name: "Price > 10 and <= 20: 10",
    pattern: { Price: [{ numeric: [">", 10, "<=", 20] }] },
    event: { Price: 10 },
    matches: false,
  },
  {
    doc: "ops: numeric (range)",
    name: "Price >= 10 and < 20: 10",
    pattern: { Price: [{ numeric: [">=", 10, "<", 20] }] },
    event: { Price: 10 },
    matches: true,
  },
  {
    doc: "ops: numeric (range)",
    name: "Price >= 10 and < 20: 20",
    pattern: { Price: [{ numeric: [">=", 10, "<", 20] }] },
    event: { Price: 20 },
    matches: false,
  },
  {
    doc: "ops: numeric (equals)",
    name: "Price is 100",
    pattern: { Price: [100] },
    event: { Price: 100 },
    matches: true,
  },
  {
    doc: "verified",
    name: "numeric needs a JSON number, not a string (numeric-string_NEG)",
    pattern: { number: [{ numeric: [">", 100] }] },
    event: { number: "300" },
    matches: false,
  },
  {
    doc: "verified",
    name: "numeric never matches null (numeric-null_NEG)",
    pattern: { number: [{ numeric: [">", 100] }] },
    event: { number: null },
    matches: false,
  },
  {
    doc: "verified",
    name: "101.0 > 100 (numeric-int-float)",
    pattern: { number: [{ numeric: [">", 100] }] },
    event: JSON.parse('{"number": 101.0}'),
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "the upper limit 5.0e9 is inclusive",
    pattern: { n: [{ numeric: [">", 0] }] },
    event: { n: 5e9 },
    matches: true,
  },
  {
    doc: "filter: numeric",
    name: "numbers above 5.0e9 never match a range",
    pattern: { n: [{ numeric: [">", 0] }] },
    event: { n: 6e9 },
    matches: false,
  },
  {
    doc: "filter: numeric",
    name: "numbers with more than six decimals never match a range",
    pattern: { n: [{ numeric: [">", 0] }] },
    event: { n: 1.1234567 },
    matches: false,
  },
  {
    doc: "arrays",
    name: "numeric range against an array: any element",
    pattern: { n: [{ numeric: [">", 10] }] },
    event: { n: [1, 50] },
    matches: true,
  },

  // --- exists -----------------------------------------------------------------------------------------------
  {
    doc: "filter: exists",
    name: "exists true: detail.state present",
    pattern: { detail: { state: [{ exists: true }] } },
    event: withDetail({ "instance-id": "i-abcd1111", state: "pending" }),
    matches: true,
  },
  {
    doc: "filter: exists",
    name: "exists true: detail.state missing",
    pattern: { detail: { state: [{ exists: true }] } },
    event: withDetail({ "c-count": { c1: 100 } }),
    matches: false,
  },
  {
    doc: "ruler",
    name: "exists true: a null value exists",
    pattern: { detail: { state: [{ exists: true }] } },
    event: withDetail({ state: null }),
    matches: true,
  },
  {
    doc: "verified",
    name: "exists true: an object is not a leaf (exists_dynamodb_NEG)",
    pattern: { dynamodb: { presentKey: [{ exists: true }] } },
    event: { dynamodb: { id: { S: "test1234" }, presentKey: { S: "test123" } } },
    matches: false,
  },
  {
    doc: "filter: exists",
    name: "exists false: detail.c-count missing",
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: withDetail({ state: ["initializing", "running"] }),
    matches: true,
  },
  {
    doc: "filter: exists",
    name: "exists false: c-count is an object, not a leaf",
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: withDetail({ state: ["initializing", "running"], "c-count": { c1: 100 } }),
    matches: true,
  },
  {
    doc: "filter: exists",
    name: "exists false: present leaf",
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: rulerEvent,
    matches: false,
  },
  {
    doc: "verified",
    name: "exists false: present leaf deep down (content_exists_false_NEG)",
    pattern: { detail: { level1: { level2: { level3: { level4: [{ exists: false }] } } } } },
    event: withDetail({ level1: { level2: { level3: { level4: "l4 value" } } } }),
    matches: false,
  },
  {
    doc: "filter: exists",
    name: "exists false: parent missing entirely",
    pattern: { detail: { "c-count": [{ exists: false }] } },
    event: { source: "aws.ec2" },
    matches: true,
  },
  {
    doc: "ruler",
    name: "exists false: an empty array has no leaf",
    pattern: { resources: [{ exists: false }] },
    event: autoScaling,
    matches: true,
  },
  {
    doc: "ruler",
    name: "exists true: an empty array has no leaf",
    pattern: { resources: [{ exists: true }] },
    event: autoScaling,
    matches: false,
  },
  {
    doc: "ruler",
    name: "exists false: only leaves in the element chosen for other fields count",
    pattern: { a: { b: [2], c: [{ exists: false }] } },
    event: { a: [{ c: 1 }, { b: 2 }] },
    matches: true,
  },
  {
    // The ruler visits a rule's fields in sorted order and judges `exists: false` against the fields before it:
    // "a.a0" sorts before "a.b", so any a.a0 leaf in the event defeats it.
    doc: "ruler",
    name: "exists false: judged before fields that sort after it",
    pattern: { a: { b: [2], a0: [{ exists: false }] } },
    event: { a: [{ b: 2 }, { a0: 5 }] },
    matches: false,
  },
  {
    doc: "verified",
    name: "anything-but or exists false: field missing (or-exists-parent)",
    pattern: { dynamodb: { NewImage: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } } },
    event: { dynamodb: { NewImage: { purchased: { N: "789" } } } },
    matches: true,
  },
  {
    doc: "verified",
    name: "anything-but or exists false: excluded value present",
    pattern: { dynamodb: { NewImage: { homemade: { S: [{ "anything-but": ["roses"] }, { exists: false }] } } } },
    event: { dynamodb: { NewImage: { homemade: { S: "roses" } } } },
    matches: false,
  },

  // --- cidr -------------------------------------------------------------------------------------------------
  {
    doc: "filter: IP address",
    name: "10.0.0.0/24 contains 10.0.0.255",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: withDetail({ sourceIPAddress: "10.0.0.255" }),
    matches: true,
  },
  {
    doc: "filter: IP address",
    name: "10.0.0.0/24 does not contain 10.0.1.0",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: withDetail({ sourceIPAddress: "10.0.1.0" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "IPv6 block, fully written address (content_ip_address_v6)",
    pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
    event: withDetail({ sourceIPAddress: "2001:0db8:1234:1a00:0000:0000:0000:0000" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "IPv6 block, address outside (content_ip_address_v6_NEG)",
    pattern: { detail: { sourceIPAddress: [{ cidr: "2001:db8:1234:1a00::/64" }] } },
    event: withDetail({ sourceIPAddress: "2001:db8:1234:1a01::1" }),
    matches: false,
  },
  {
    doc: "verified",
    name: "cidr never matches a number (content_ip_address_bad_type_NEG)",
    pattern: { detail: { sourceIPAddress: [{ cidr: "10.0.0.0/24" }] } },
    event: withDetail({ sourceIPAddress: 123 }),
    matches: false,
  },
  {
    doc: "filter: IP address",
    name: "cidr never matches a non-address string",
    pattern: { ip: [{ cidr: "10.0.0.0/8" }] },
    event: { ip: "10.0.0.1.example.com" },
    matches: false,
  },
  {
    doc: "filter: IP address",
    name: "an IPv4 address is not in an IPv6 block",
    pattern: { ip: [{ cidr: "::/1" }] },
    event: { ip: "10.0.0.1" },
    matches: false,
  },
  {
    doc: "ruler",
    name: "IPv4-mapped IPv6 addresses count as IPv4 (java.net.InetAddress)",
    pattern: { ip: [{ cidr: "10.0.0.0/8" }] },
    event: { ip: "::ffff:a00:1" },
    matches: true,
  },
  {
    doc: "ruler",
    name: "host bits in the block are ignored (10.0.0.33/24 covers 10.0.0.1)",
    pattern: { ip: [{ cidr: "10.0.0.33/24" }] },
    event: { ip: "10.0.0.1" },
    matches: true,
  },
  {
    doc: "ruler",
    name: "an IP literal value matches other spellings of the address",
    pattern: { ip: ["2001:db8::1"] },
    event: { ip: "2001:0DB8:0:0:0:0:0:1" },
    matches: true,
  },

  // --- $or --------------------------------------------------------------------------------------------------
  {
    doc: "ops: or",
    name: "Location is New York, or Day is Monday: Monday",
    pattern: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] },
    event: { Location: "Boston", Day: "Monday" },
    matches: true,
  },
  {
    doc: "ops: or",
    name: "Location is New York, or Day is Monday: neither",
    pattern: { $or: [{ Location: ["New York"] }, { Day: ["Monday"] }] },
    event: { Location: "Boston", Day: "Friday" },
    matches: false,
  },
  {
    doc: "ops: and",
    name: "Location is New York and Day is Monday: only one holds",
    pattern: { Location: ["New York"], Day: ["Monday"] },
    event: { Location: "New York", Day: "Friday" },
    matches: false,
  },
  {
    doc: "ops: or",
    name: "PaymentType is Credit or Debit",
    pattern: { PaymentType: ["Credit", "Debit"] },
    event: { PaymentType: "Debit" },
    matches: true,
  },
  {
    doc: "or",
    name: "$or inside detail: d-count < 10 holds (verified: complex_or)",
    pattern: {
      detail: {
        $or: [
          { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
          { "d-count": [{ numeric: ["<", 10] }] },
          { "x-limit": [{ numeric: ["=", 3.018e2] }] },
        ],
      },
    },
    event: withDetail({ "c-count": 0, "d-count": 0, "x-limit": 9.018e2 }),
    matches: true,
  },
  {
    doc: "or",
    name: "$or inside detail: no branch holds (verified: complex_or_NEG)",
    pattern: {
      detail: {
        $or: [
          { "c-count": [{ numeric: [">", 0, "<=", 5] }] },
          { "d-count": [{ numeric: ["<", 10] }] },
          { "x-limit": [{ numeric: ["=", 3.018e2] }] },
        ],
      },
    },
    event: withDetail({ "c-count": 0, "d-count": 10, "x-limit": 9.018e2 }),
    matches: false,
  },
  {
    doc: "ruler",
    name: "source AND (metricName OR namespace): namespace holds",
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    },
    event: cloudWatch({ namespace: "AWS/EC2" }),
    matches: true,
  },
  {
    doc: "ruler",
    name: "source AND (metricName OR namespace): source differs",
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [{ metricName: ["CPUUtilization", "ReadLatency"] }, { namespace: ["AWS/EC2", "AWS/ES"] }],
    },
    event: envelope({ namespace: "AWS/EC2" }),
    matches: false,
  },
  {
    doc: "ruler",
    name: "nested $or and AND: metricType, namespace and spaceId",
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency"] },
        {
          metricType: ["MetricType"],
          namespace: ["AWS/EC2", "AWS/ES"],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ["Service"] },
      ],
    },
    event: cloudWatch({ metricType: "MetricType", namespace: "AWS/ES", spaceId: 1000 }),
    matches: true,
  },
  {
    doc: "ruler",
    name: "nested $or and AND: inner $or unsatisfied",
    pattern: {
      source: ["aws.cloudwatch"],
      $or: [
        { metricName: ["CPUUtilization", "ReadLatency"] },
        {
          metricType: ["MetricType"],
          namespace: ["AWS/EC2", "AWS/ES"],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ["Service"] },
      ],
    },
    event: cloudWatch({ metricType: "MetricType", namespace: "AWS/ES", spaceId: 1001 }),
    matches: false,
  },
  {
    doc: "ruler",
    name: "parallel $or at two levels must both hold",
    pattern: {
      $or: [{ metricName: ["CPUUtilization"] }, { namespace: ["AWS/EC2"] }],
      detail: { $or: [{ source: ["aws.cloudwatch"] }, { "detail-type": ["CloudWatch Alarm State Change"] }] },
    },
    event: { namespace: "AWS/EC2", detail: { source: "aws.s3" } },
    matches: false,
  },

  // --- Combinations and quirks ------------------------------------------------------------------------------
  {
    doc: "filter: complex example",
    name: "prefix, anything-but, numeric and cidr together",
    pattern: complexPattern,
    event: rulerEvent,
    matches: true,
  },
  {
    doc: "filter: complex example",
    name: "one failing condition (state initializing) fails all",
    pattern: complexPattern,
    event: { ...rulerEvent, detail: { ...(rulerEvent.detail as Json), state: "initializing" } },
    matches: false,
  },
  {
    doc: "filter: complex example",
    name: "duplicate keys: only the last one is used",
    pattern: '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    event: withDetail({ location: "eu-west" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "dotted pattern keys reach nested fields (dot_joining_pattern)",
    pattern: { detail: { "state.status": ["running"] } },
    event: withDetail({ state: { status: "running" } }),
    matches: true,
  },
  {
    doc: "ruler",
    name: "dotted event keys reach nested pattern fields",
    pattern: { detail: { state: { status: ["running"] } } },
    event: withDetail({ "state.status": "running" }),
    matches: true,
  },
  {
    doc: "verified",
    name: "dot joining still needs the full path (dot_joining_event_NEG)",
    pattern: { detail: { state: { status: ["running"] } } },
    event: withDetail({ "state.status": { status: "running" } }),
    matches: false,
  },
  {
    doc: "api",
    name: "a non-object event never matches",
    pattern: { source: [{ exists: false }] },
    event: "not an object",
    matches: false,
  },
];

interface InvalidCase {
  readonly doc: string;
  readonly pattern: unknown;
  /** The text after "Event pattern is not valid. Reason: " (AWS/event-ruler wording). */
  readonly reason: string | RegExp;
}

const invalidCases: InvalidCase[] = [
  // Structure
  { doc: "verified: invalid JSON", pattern: "{'bad': 'quotation'}", reason: /./ },
  {
    doc: "verified: JSON that is not an object",
    pattern: '["not", "a", "dict", "but valid json"]',
    reason: "Filter is not an object",
  },
  { doc: "create: a pattern is a JSON object", pattern: null, reason: "Filter is not an object" },
  { doc: "ruler: empty pattern", pattern: {}, reason: "Empty objects are not allowed" },
  { doc: "ruler: empty nested object", pattern: { detail: {} }, reason: "Empty objects are not allowed" },
  {
    doc: "verified: leaf must be an array (int_nolist_EXC)",
    pattern: { int: 42 },
    reason: '"int" must be an object or an array',
  },
  {
    doc: "verified: leaf must be an array (string_nolist_EXC)",
    pattern: { string: "my-value" },
    reason: '"string" must be an object or an array',
  },
  {
    doc: "create: leaf must be an array (null)",
    pattern: { detail: { state: null } },
    reason: '"state" must be an object or an array',
  },
  {
    doc: "verified: empty value array (arrays_empty_EXC)",
    pattern: { resources: [] },
    reason: "Empty arrays are not allowed",
  },
  {
    doc: "ruler: nested array as a value",
    pattern: { a: [[1]] },
    reason: "Match value must be String, number, true, false, or null",
  },
  { doc: "ruler: empty match expression", pattern: { a: [{}] }, reason: "Match expression name not found" },
  { doc: "ops: unknown operator", pattern: { a: [{ foo: 1 }] }, reason: "Unrecognized match type foo" },
  {
    doc: "verified: operators are case-sensitive (operator_case_sensitive_EXC)",
    pattern: { my_key: [{ EXISTS: true }] },
    reason: "Unrecognized match type EXISTS",
  },
  {
    doc: "verified: content_numeric_operatorcasing_EXC",
    pattern: { detail: { equal: [{ NUMERIC: ["=", 5] }] } },
    reason: "Unrecognized match type NUMERIC",
  },
  {
    doc: "ops: not an EventBridge operator",
    pattern: { a: [{ contains: "x" }] },
    reason: "Unrecognized match type contains",
  },
  // prefix / suffix / equals-ignore-case / wildcard
  {
    doc: "verified: content_prefix_int_EXC",
    pattern: { time: [{ prefix: 123 }] },
    reason: "prefix match pattern must be a string",
  },
  {
    doc: "verified: content_prefix_list_EXC",
    pattern: { time: [{ prefix: ["2022-07-13"] }] },
    reason: "prefix match pattern must be a string",
  },
  {
    doc: "ruler: prefix object other than equals-ignore-case",
    pattern: { a: [{ prefix: { suffix: "x" } }] },
    reason: "Unsupported prefix pattern: suffix",
  },
  {
    doc: "ruler: prefix equals-ignore-case needs a string",
    pattern: { a: [{ prefix: { "equals-ignore-case": 1 } }] },
    reason: "equals-ignore-case match pattern must be a string",
  },
  {
    doc: "verified: content_suffix_int_EXC",
    pattern: { FileName: [{ suffix: 123 }] },
    reason: "suffix match pattern must be a string",
  },
  {
    doc: "verified: content_suffix_list_EXC",
    pattern: { FileName: [{ suffix: [".png"] }] },
    reason: "suffix match pattern must be a string",
  },
  {
    doc: "ruler: one operator per expression",
    pattern: { a: [{ prefix: "a", suffix: "b" }] },
    reason: "Only one key allowed in match expression",
  },
  {
    doc: "verified: content_ignorecase_EXC",
    pattern: { "detail-type": [{ "equals-ignore-case": ["ec2 instance state-change notification"] }] },
    reason: "equals-ignore-case match pattern must be a string",
  },
  {
    doc: "verified: content_ignorecase_list_EXC",
    pattern: { "detail-type": [{ "equals-ignore-case": { prefix: "ec2" } }] },
    reason: "equals-ignore-case match pattern must be a string",
  },
  {
    doc: "verified: content_wildcard_int_EXC",
    pattern: { EventBusArn: [{ wildcard: 123 }] },
    reason: "wildcard match pattern must be a string",
  },
  {
    doc: "verified: content_wildcard_list_EXC",
    pattern: { EventBusArn: [{ wildcard: ["arn:aws:events:us-east-1:*:event-bus/*"] }] },
    reason: "wildcard match pattern must be a string",
  },
  {
    doc: "verified: consecutive wildcards (content_wildcard_repeating_star_EXC)",
    pattern: { EventBusArn: [{ wildcard: "arn:aws:events:us-east-1:**:event-bus/*" }] },
    reason: "Consecutive wildcard characters at pos 26",
  },
  {
    doc: "ruler: backslash may only escape * or \\",
    pattern: { a: [{ wildcard: "a\\b" }] },
    reason: "Invalid escape character at pos 2",
  },
  {
    doc: "ruler: trailing backslash",
    pattern: { a: [{ wildcard: "abc\\" }] },
    reason: "Invalid escape character at pos 4",
  },
  // anything-but
  {
    doc: "filter: anything-but takes strings or numbers",
    pattern: { a: [{ "anything-but": null }] },
    reason: "Value of anything-but must be an array or single string/number value.",
  },
  {
    doc: "filter: anything-but with an empty list",
    pattern: { a: [{ "anything-but": [] }] },
    reason: "Inside anything but list, either all values are number or string, mixed type is not supported",
  },
  {
    doc: "filter: anything-but list of strings or of numbers only",
    pattern: { a: [{ "anything-but": ["a", 1] }] },
    reason: "Inside anything but list, either all values are number or string, mixed type is not supported",
  },
  {
    doc: "verified: content_anything_but_string_list_null_type_EXC",
    pattern: { detail: { state: [{ "anything-but": ["stopped", null] }] } },
    reason: "Inside anything but list, start|null|boolean is not supported.",
  },
  {
    doc: "ruler: unknown anything-but operator",
    pattern: { a: [{ "anything-but": { numeric: [">", 1] } }] },
    reason: "Unsupported anything-but pattern: numeric",
  },
  {
    doc: "ruler: empty anything-but object",
    pattern: { a: [{ "anything-but": {} }] },
    reason: "Anything-But expression name not found",
  },
  {
    doc: "verified: content_anything_prefix_empty_EXC",
    pattern: { detail: { state: [{ "anything-but": { prefix: "" } }] } },
    reason: "Null prefix/suffix not allowed",
  },
  {
    doc: "verified: content_anything_suffix_empty_EXC",
    pattern: { detail: { state: [{ "anything-but": { suffix: "" } }] } },
    reason: "Null prefix/suffix not allowed",
  },
  {
    doc: "verified: content_anything_prefix_int_EXC",
    pattern: { detail: { state: [{ "anything-but": { prefix: 123 } }] } },
    reason: "prefix/suffix match pattern must be a string",
  },
  {
    doc: "verified: content_anything_suffix_list_type_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: [123, ".txt"] } }] } },
    reason: "prefix/suffix match pattern must be a string",
  },
  {
    doc: "verified: content_anything_but_ignorecase_EXC",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": 123 } }] } },
    reason: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
  },
  {
    doc: "verified: content_anything_but_ignorecase_list_EXC",
    pattern: { detail: { state: [{ "anything-but": { "equals-ignore-case": [123, 456] } }] } },
    reason: "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.",
  },
  {
    doc: "verified: content_anything_wildcard_type_EXC",
    pattern: { detail: { FilePath: [{ "anything-but": { wildcard: 123 } }] } },
    reason: "wildcard match pattern must be a string",
  },
  {
    doc: "verified: content_anything_wildcard_list_type_EXC",
    pattern: { detail: { state: [{ "anything-but": { wildcard: [123, "*/dir/*"] } }] } },
    reason: "wildcard match pattern must be a string",
  },
  {
    doc: "filter: anything-but wildcard follows wildcard rules",
    pattern: { a: [{ "anything-but": { wildcard: "*/lib/**" } }] },
    reason: "Consecutive wildcard characters at pos 7",
  },
  {
    doc: "verified: content_anything_prefix_ignorecase_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { prefix: { "equals-ignore-case": "file" } } }] } },
    reason: "Value of anything-but must be an array or single string/number value.",
  },
  {
    doc: "verified: content_anything_suffix_ignorecase_EXC",
    pattern: { detail: { FileName: [{ "anything-but": { suffix: { "equals-ignore-case": ".png" } } }] } },
    reason: "Value of anything-but must be an array or single string/number value.",
  },
  {
    doc: "filter: anything-but prefix with an empty list",
    pattern: { a: [{ "anything-but": { prefix: [] } }] },
    reason: "Empty arrays are not allowed",
  },
  {
    doc: "filter: numeric limits apply to anything-but numbers",
    pattern: { a: [{ "anything-but": 6e9 }] },
    reason: "Value must be between -5.0E9 and 5.0E9, inclusive",
  },
  {
    doc: "filter: six decimals for anything-but numbers",
    pattern: { a: [{ "anything-but": [0.1234567] }] },
    reason: "Only values upto 6 decimals are supported",
  },
  {
    doc: "ruler: extra key after anything-but",
    pattern: { a: [{ "anything-but": "x", prefix: "y" }] },
    reason: "Too many elements in numeric expression",
  },
  // numeric
  {
    doc: "filter: numeric takes an array",
    pattern: { a: [{ numeric: 5 }] },
    reason: "Value of numeric must be an array.",
  },
  {
    doc: "ruler: empty numeric array",
    pattern: { a: [{ numeric: [] }] },
    reason: "Invalid member in numeric match: ]",
  },
  {
    doc: "ruler: numeric must start with an operator",
    pattern: { a: [{ numeric: [5] }] },
    reason: "Invalid member in numeric match: 5",
  },
  {
    doc: "filter: numeric operators are <, <=, =, >, >=",
    pattern: { a: [{ numeric: ["!=", 5] }] },
    reason: "Unrecognized numeric range operator: !=",
  },
  {
    doc: "filter: numeric operands are JSON numbers",
    pattern: { a: [{ numeric: [">", "5"] }] },
    reason: "Value of > must be numeric",
  },
  {
    doc: "filter: = takes one operand",
    pattern: { a: [{ numeric: ["=", 5, 6] }] },
    reason: "Too many elements in numeric expression",
  },
  {
    doc: "verified: content_numeric_EXC",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, ">", 0] }] } },
    reason: "Bad numeric range operator: >",
  },
  {
    doc: "verified: content_numeric_syntax_EXC",
    pattern: { detail: { "c-count": [{ numeric: [">", 0, "<"] }] } },
    reason: "Value of < must be numeric",
  },
  {
    doc: "ruler: the second range member must be an operator",
    pattern: { a: [{ numeric: [">", 0, 5] }] },
    reason: "Bad value in numeric range: 5",
  },
  {
    doc: "ruler: upper bound first is not a range",
    pattern: { a: [{ numeric: ["<", 10, ">", 0] }] },
    reason: "Too many elements in numeric expression",
  },
  {
    doc: "filter: at most two range operators",
    pattern: { a: [{ numeric: [">", 0, "<", 10, "<", 20] }] },
    reason: "Too many terms in numeric range expression",
  },
  {
    doc: "ruler: empty range",
    pattern: { a: [{ numeric: [">", 10, "<", 5] }] },
    reason: "Bottom must be less than top",
  },
  {
    doc: "ruler: degenerate range",
    pattern: { a: [{ numeric: [">=", 5, "<=", 5] }] },
    reason: "Bottom must be less than top",
  },
  {
    doc: "filter: numeric limited to +5.0e9",
    pattern: { a: [{ numeric: [">", 6e9] }] },
    reason: "Value must be between -5.0E9 and 5.0E9, inclusive",
  },
  {
    doc: "filter: numeric limited to -5.0e9",
    pattern: { a: [{ numeric: [">", -5.000001e9, "<", 0] }] },
    reason: "Value must be between -5.0E9 and 5.0E9, inclusive",
  },
  {
    doc: "filter: six digits right of the decimal point",
    pattern: { a: [{ numeric: ["=", 0.1234567] }] },
    reason: "Only values upto 6 decimals are supported",
  },
  {
    doc: "ruler: extra key after numeric",
    pattern: { a: [{ numeric: [">", 0], prefix: "x" }] },
    reason: "Too many elements in numeric expression",
  },
  // exists
  {
    doc: "filter: exists takes a boolean",
    pattern: { a: [{ exists: "true" }] },
    reason: "exists match pattern must be either true or false.",
  },
  {
    doc: "filter: exists takes a boolean (number)",
    pattern: { a: [{ exists: 1 }] },
    reason: "exists match pattern must be either true or false.",
  },
  {
    doc: "ruler: extra key after exists",
    pattern: { a: [{ exists: true, prefix: "a" }] },
    reason: "Only one key allowed in match expression",
  },
  // cidr
  {
    doc: "verified: content_ip_address_type_EXC (sic)",
    pattern: { detail: { sourceIPAddress: [{ cidr: ["bad-type"] }] } },
    reason: "prefix match pattern must be a string",
  },
  {
    doc: "verified: content_ip_address_EXC",
    pattern: { ip: [{ cidr: "10.0.0.0" }] },
    reason: "Malformed CIDR, one '/' required",
  },
  {
    doc: "verified: content_ip_address_bad_mask_EXC",
    pattern: { ip: [{ cidr: "10.0.0.0/abc" }] },
    reason: "Malformed CIDR, mask bits must be an integer",
  },
  {
    doc: "ruler: negative mask",
    pattern: { ip: [{ cidr: "10.0.0.0/-1" }] },
    reason: "Malformed CIDR, mask bits must not be negative",
  },
  {
    doc: "verified: content_ip_address_bad_ip_EXC",
    pattern: { ip: [{ cidr: "xx.11.xx/24" }] },
    reason: "Nonstandard IP address: xx.11.xx",
  },
  {
    doc: "verified: content_ip_address_v6_bad_ip_EXC",
    pattern: { ip: [{ cidr: "xxxx:db8:1234:1a00::/64" }] },
    reason: "Nonstandard IP address: xxxx:db8:1234:1a00::",
  },
  {
    doc: "ruler: IPv4 octet out of range",
    pattern: { ip: [{ cidr: "300.0.0.0/8" }] },
    reason: "Invalid IP address: 300.0.0.0",
  },
  {
    doc: "ruler: too many IPv6 groups",
    pattern: { ip: [{ cidr: "1:2:3:4:5:6:7:8:9/64" }] },
    reason: "Invalid IP address: 1:2:3:4:5:6:7:8:9",
  },
  {
    doc: "ruler: IPv4 mask too long",
    pattern: { ip: [{ cidr: "192.168.0.1/33" }] },
    reason: "IPv4 mask bits must be < 32",
  },
  {
    doc: "ruler: IPv6 mask too long",
    pattern: { ip: [{ cidr: "2400:6500:FF00::36FB:1F80/222" }] },
    reason: "IPv6 mask bits must be < 128",
  },
  // $or
  {
    doc: "or: needs at least two objects",
    pattern: { $or: [{ a: [1] }] },
    reason: "There must have at least 2 Objects in $or relationship.",
  },
  { doc: "or: empty $or", pattern: { $or: [] }, reason: "There must have at least 2 Objects in $or relationship." },
  { doc: "or: $or takes an array", pattern: { $or: { a: [1] } }, reason: "It must be an Array followed with $or." },
  {
    doc: "or: $or takes objects",
    pattern: { $or: ["a", "b"] },
    reason: "Only JSON object is allowed in array of $or relationship.",
  },
  {
    doc: "ruler: operator names cannot be fields inside $or",
    pattern: { $or: [{ numeric: [123] }, { prefix: ["abc"] }] },
    reason: "numeric is Ruler reserved fieldName which cannot be used inside $or.",
  },
  { doc: "or: branches cannot be empty", pattern: { $or: [{}, { a: [1] }] }, reason: "Empty objects are not allowed" },
  {
    doc: "create: values must be JSON (NaN)",
    pattern: { a: [Number.NaN] },
    reason: "Match value must be String, number, true, false, or null",
  },
];

describe("EventBridge pattern matching", () => {
  it.each(matchCases)("[$doc] $name", ({ pattern, event, matches }) => {
    const parsed = parseEventPattern(pattern);
    expect(matchesEventPattern(parsed, event)).toBe(matches);
    // The compiled form must agree with the one-shot form.
    expect(compileEventPattern(pattern)(event)).toBe(matches);
  });
});

describe("EventBridge pattern validation", () => {
  it.each(invalidCases)("[$doc] rejects $pattern", ({ pattern, reason }) => {
    let thrown: unknown;
    try {
      parseEventPattern(pattern);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidEventPatternError);
    const error = thrown as InvalidEventPatternError;
    expect(error.message).toBe(`Event pattern is not valid. Reason: ${error.reason}`);
    if (typeof reason === "string") {
      expect(error.reason).toBe(reason);
    } else {
      expect(error.reason).toMatch(reason);
    }
  });

  it("rejects through compileEventPattern too", () => {
    expect(() => compileEventPattern('{"a": [{"wildcard": "**"}]}')).toThrow(InvalidEventPatternError);
  });

  it.each([
    { doc: "ops: every row of the summary table", pattern: { Location: ["New York"], Day: ["Monday"] } },
    {
      doc: "verified: content_anything_prefix_list",
      pattern: { detail: { state: [{ "anything-but": { prefix: ["init", "test"] } }] } },
    },
    { doc: "ruler: field named like an operator outside $or", pattern: { prefix: ["x"], numeric: [1] } },
    { doc: "ruler: empty prefix", pattern: { a: [{ prefix: "" }] } },
    {
      doc: "filter: numeric limits are inclusive",
      pattern: { a: [{ numeric: ["=", -5e9] }, { numeric: [">", -5e9, "<=", 5e9] }] },
    },
    {
      doc: "ruler: /0 and /31 masks",
      pattern: { a: [{ cidr: "0.0.0.0/0" }, { cidr: "10.0.0.0/31" }, { cidr: "::/127" }] },
    },
    {
      doc: "verified: operator_multiple_list",
      pattern: { my_key: [{ exists: true }, { prefix: "IGNORED" }, { suffix: "IGNORED" }] },
    },
  ])("[$doc] accepts $pattern", ({ pattern }) => {
    expect(() => parseEventPattern(pattern)).not.toThrow();
  });
});

describe("EventBridge pattern API", () => {
  it("parses a JSON string and returns the pattern object", () => {
    const parsed = parseEventPattern('{"source": ["aws.ec2"], "detail": {"state": ["terminated"]}}');
    expect(parsed).toEqual({ source: ["aws.ec2"], detail: { state: ["terminated"] } });
    expect(matchesEventPattern(parsed, ec2Terminated)).toBe(true);
  });

  it("returns an object pattern as-is", () => {
    expect(parseEventPattern(ec2TerminatedPattern)).toBe(ec2TerminatedPattern);
  });

  it("reuses one compiled matcher for many events", () => {
    const matches = compileEventPattern(ec2TerminatedPattern);
    expect([ec2Terminated, withDetail({ state: "pending" }), ec2Terminated].map(matches)).toEqual([true, false, true]);
  });

  it("reports errors as InvalidEventPatternError with AWS's wording", () => {
    expect(() => parseEventPattern({ source: "aws.ec2" })).toThrow(
      'Event pattern is not valid. Reason: "source" must be an object or an array',
    );
    try {
      parseEventPattern({ source: "aws.ec2" });
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as InvalidEventPatternError).name).toBe("InvalidEventPatternError");
    }
  });
});
