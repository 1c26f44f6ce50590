import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CloudProcess,
  cliPath,
  freePorts,
  type HealthAnswer,
  READY_WITHIN_MS,
  repoRoot,
  spawnCloudProcess,
  startCloudProcess,
  waitUntilHealthy,
} from "./cloud-process.ts";
import { FRIENDSHIP_PARTNERS } from "./seed-facts.ts";

const workDir = mkdtempSync(join(tmpdir(), "cdp-lifecycle-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    () => true,
    () => false,
  );

/**
 * The first start, watched from the moment the API port answers: `/health` says 503 naming what is still starting
 * (and routes wait too), each answer waiting for a part of what the one before waited for, then 200 with every seed
 * partner already there.
 */
async function startWatchingReadiness(
  env: Record<string, string>,
  ports: CloudProcess["ports"],
): Promise<CloudProcess> {
  // Minted first: the key file is made then, and the cloud reads that same key.
  const token = await mintToken(env.LOCAL_ISSUER_KEY_FILE ?? "", ["viewer"]);
  const spawnedAt = performance.now();
  const first = spawnCloudProcess(env, ports);
  const partners = () =>
    fetch(`${first.api}/partners?category=friendship-city&limit=100`, {
      headers: { authorization: `Bearer ${token}` },
    });
  try {
    const health: HealthAnswer[] = [];
    let routeWhileStarting: number | undefined;
    // From the moment the API port answers, every answer is recorded.
    await waitUntilHealthy(first, async (answer) => {
      health.push(answer);
      if (answer.status === 503 && routeWhileStarting === undefined) routeWhileStarting = (await partners()).status;
    });

    const starting = health.slice(0, -1);
    expect(starting.length).toBeGreaterThan(0);
    for (const answer of starting) {
      expect(answer.status).toBe(503);
      expect(answer.contentType).toBe("application/problem+json");
      expect(answer.body).toMatchObject({ status: 503, state: "starting" });
      expect(answer.body.waitingFor.length).toBeGreaterThan(0);
      expect(answer.body.detail).toContain(answer.body.waitingFor.at(-1));
    }
    // The first answer comes long before the seed is loaded, and names it.
    expect(starting[0]?.body.waitingFor).toEqual(
      expect.arrayContaining(["seed city-registry", "seed events delivered"]),
    );
    // Steps only ever finish: each answer waits for a part of what the one before waited for.
    for (const [index, answer] of starting.entries()) {
      const before: string[] = starting[index - 1]?.body.waitingFor ?? answer.body.waitingFor;
      expect(before).toEqual(expect.arrayContaining(answer.body.waitingFor));
    }
    // Routes wait too: nothing is served from half-loaded tables.
    expect(routeWhileStarting).toBe(503);

    expect(health.at(-1)).toMatchObject({ status: 200, body: { status: "ok" } });
    const friendship = await partners();
    expect(friendship.status).toBe(200);
    const { items } = (await friendship.json()) as { items: { id: string }[] };
    expect(items.map((partner) => partner.id).sort()).toEqual(FRIENDSHIP_PARTNERS);
    const seconds = ((performance.now() - spawnedAt) / 1000).toFixed(1);
    console.log(
      `/health: ${starting.length} answers 503 (the first waiting for ${starting[0]?.body.waitingFor.join(", ")}), then 200 after ${seconds} s`,
    );
    return first;
  } catch (error) {
    await first.stop();
    throw error;
  }
}

describe("starting and stopping the local cloud", () => {
  // Two starts, each allowed what `startCloudProcess` allows, and their stops.
  it("answers 503 until ready, keeps data on disk across restarts, seeds idempotently, and stops every child on SIGTERM", {
    timeout: 2.5 * READY_WITHIN_MS,
  }, async () => {
    const env = { LOCAL_DATA_DIR: join(workDir, "data"), LOCAL_ISSUER_KEY_FILE: join(workDir, "key.json") };
    const ports = await freePorts();
    const first = await startWatchingReadiness(env, ports);
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
