import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken } from "@cdp/local-cloud/dev-issuer";
import { afterAll, describe, expect, it } from "vitest";
import { freePorts, type HealthAnswer, READY_WITHIN_MS, spawnCloudProcess, waitUntilHealthy } from "./cloud-process.ts";
import { FRIENDSHIP_PARTNERS } from "./seed-facts.ts";

const workDir = mkdtempSync(join(tmpdir(), "cdp-readiness-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("readiness of the local cloud", () => {
  it("answers /health 503 naming what is still starting, then 200 with every seed partner already there", {
    timeout: 1.5 * READY_WITHIN_MS,
  }, async () => {
    const keyFile = join(workDir, "key.json");
    // Minted first: the key file is made then, and the cloud reads that same key.
    const token = await mintToken(keyFile, ["viewer"]);
    const spawnedAt = performance.now();
    const cloud = spawnCloudProcess({ LOCAL_ISSUER_KEY_FILE: keyFile }, await freePorts());
    const partners = () =>
      fetch(`${cloud.api}/partners?category=friendship-city&limit=100`, {
        headers: { authorization: `Bearer ${token}` },
      });
    try {
      const answers: HealthAnswer[] = [];
      let routeWhileStarting: number | undefined;
      // From the moment the API port answers, every answer is recorded.
      await waitUntilHealthy(cloud, async (answer) => {
        answers.push(answer);
        if (answer.status === 503 && routeWhileStarting === undefined) routeWhileStarting = (await partners()).status;
      });

      const starting = answers.slice(0, -1);
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

      expect(answers.at(-1)).toMatchObject({ status: 200, body: { status: "ok" } });
      const friendship = await partners();
      expect(friendship.status).toBe(200);
      const { items } = (await friendship.json()) as { items: { id: string }[] };
      expect(items.map((partner) => partner.id).sort()).toEqual(FRIENDSHIP_PARTNERS);
      const seconds = ((performance.now() - spawnedAt) / 1000).toFixed(1);
      console.log(
        `/health: ${starting.length} answers 503 (the first waiting for ${starting[0]?.body.waitingFor.join(", ")}), then 200 after ${seconds} s`,
      );
    } finally {
      expect(await cloud.stop()).toBe(0);
    }
  });
});
