import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Duration, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { type FunctionAsset, ServiceFunction } from "../lib/service-function.ts";

/** A one-function app of its own: bundling one small handler takes a second, the platform's far longer. */
const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const GREETING: FunctionAsset = { source: path.join(FIXTURES, "greeting.txt"), envVar: "GREETING_PATH" };
const MISSING: FunctionAsset = { source: path.join(FIXTURES, "not-built.ttf"), envVar: "FONT_PATH" };

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs) rmSync(outdir, { recursive: true, force: true });
});

function subject(options: { bundle: boolean }) {
  const outdir = mkdtempSync(path.join(os.tmpdir(), "cdp-function-"));
  outdirs.push(outdir);
  const app = new App({ outdir, context: options.bundle ? {} : { "aws:cdk:bundling-stacks": [] } });
  const stack = new Stack(app, "Subject");
  const readerWith = (assets: readonly FunctionAsset[]) =>
    new ServiceFunction(stack, "Reader", {
      entry: path.join(FIXTURES, "read-asset.ts"),
      description: "reads a file beside its bundle",
      environment: {},
      timeout: Duration.seconds(3),
      assets,
    });
  return { app, stack, readerWith };
}

describe("a function's assets", () => {
  it("are copied beside the bundle, and the function learns where from its variable", () => {
    const { app, stack, readerWith } = subject({ bundle: true });
    readerWith([GREETING]);
    const assembly = app.synth();
    const [fn] = Object.values(Template.fromStack(stack).findResources("AWS::Lambda::Function"));
    expect(fn?.Properties.Environment.Variables).toMatchObject({ GREETING_PATH: "/var/task/greeting.txt" });
    const bundle = path.join(assembly.directory, `asset.${String(fn?.Properties.Code.S3Key).replace(/\.zip$/, "")}`);
    expect(readdirSync(bundle).sort()).toEqual(["greeting.txt", "index.mjs", "index.mjs.map"]);
    expect(readFileSync(path.join(bundle, "greeting.txt"), "utf8")).toBe(readFileSync(GREETING.source, "utf8"));
  });

  it("fail the synthesis, naming the file and how to build it, when one is missing and bundling is real", () => {
    const { readerWith } = subject({ bundle: true });
    expect(() => readerWith([MISSING])).toThrow(
      /Subject\/Reader: infra\/test\/fixtures\/not-built\.ttf is missing, and the function's bundle needs it \(FONT_PATH\); build it first/,
    );
  });

  it("need not exist when the stack is not bundled (`cdk synth --exclusively`, the platform's tests)", () => {
    const { stack, readerWith } = subject({ bundle: false });
    readerWith([MISSING]);
    const [fn] = Object.values(Template.fromStack(stack).findResources("AWS::Lambda::Function"));
    expect(fn?.Properties.Environment.Variables.FONT_PATH).toBe("/var/task/not-built.ttf");
  });

  it("may not share a file name: both would be copied to the same place", () => {
    const { readerWith } = subject({ bundle: true });
    const twin = { source: path.join(FIXTURES, "..", "fixtures", "greeting.txt"), envVar: "OTHER_PATH" };
    expect(() => readerWith([GREETING, twin])).toThrow(/two assets are named greeting\.txt/);
  });
});
