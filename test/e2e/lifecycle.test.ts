import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import { afterAll, describe, expect, it } from "vitest";
import { cliPath, freePorts, READY_WITHIN_MS, repoRoot, startCloudProcess } from "./cloud-process.ts";

const workDir = mkdtempSync(join(tmpdir(), "cdp-lifecycle-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );

describe("starting and stopping the local cloud", () => {
  // Two starts, each allowed what `startCloudProcess` allows, and their stops.
  it("keeps data on disk across restarts, seeds idempotently, and stops every child on SIGTERM", {
    timeout: 2.5 * READY_WITHIN_MS,
  }, async () => {
    const env = { LOCAL_DATA_DIR: join(workDir, "data"), LOCAL_ISSUER_KEY_FILE: join(workDir, "key.json") };
    const ports = await freePorts();
    const first = await startCloudProcess(env, ports);
    expect(first.output()).toContain("31 partners and 23 agreements added");
    const token = await mintToken(env.LOCAL_ISSUER_KEY_FILE, ["admin"]);
    const created = await fetch(`http://127.0.0.1:${ports.api}/partners`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        id: "kept-city",
        name: { ja: "保存市", en: "Kept City" },
        kind: "city",
        country: "JP",
        worldRegion: "east-asia",
      }),
    });
    expect(created.status).toBe(201);
    expect(await first.stop()).toBe(0);
    for (const port of Object.values(ports))
      expect(await answers(`http://127.0.0.1:${port}/`), `port ${port}`).toBe(false);

    const second = await startCloudProcess(env, ports);
    try {
      expect(second.output()).toContain("0 partners and 0 agreements added");
      // What the first run published is not published again: the stream is read from where it ended.
      const events = (await (await fetch(`http://127.0.0.1:${ports.events}/events`)).json()) as { events: unknown[] };
      expect(events.events).toEqual([]);
      const kept = await fetch(`http://127.0.0.1:${ports.api}/partners/kept-city`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(kept.status).toBe(200);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it("skips the seed when asked", { timeout: 1.5 * READY_WITHIN_MS }, async () => {
    const cloud = await startCloudProcess({ LOCAL_ISSUER_KEY_FILE: join(workDir, "key.json") }, undefined, [
      "--no-seed",
    ]);
    try {
      expect(cloud.output()).not.toContain("[seed]");
      const token = await mintToken(join(workDir, "key.json"), ["viewer"]);
      const list = await fetch(`http://127.0.0.1:${cloud.ports.api}/partners`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    } finally {
      await cloud.stop();
    }
  });

  it("says in one line how to install Java when it is missing", () => {
    // A PATH with node but without java.
    const withoutJava = { PATH: dirname(process.execPath), HOME: workDir };
    const bootstrap = spawnSync(process.execPath, [join(repoRoot, ".ci/bootstrap.mjs")], {
      env: withoutJava,
      encoding: "utf8",
    });
    expect(bootstrap.status).toBe(1);
    expect(bootstrap.stderr.trim()).toBe(
      "Java 17 is required for DynamoDB Local and was not found: install it with `apt-get install -y openjdk-17-jre-headless`",
    );
    const cli = spawnSync(process.execPath, ["--import", "tsx", cliPath, "start"], {
      env: { ...withoutJava, NODE_PATH: join(repoRoot, "node_modules") },
      encoding: "utf8",
      cwd: join(repoRoot, "infra"),
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr.trim().split("\n").at(-1)).toContain("apt-get install -y openjdk-17-jre-headless");
  });
});
