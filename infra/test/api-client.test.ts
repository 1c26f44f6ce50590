import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generateApiClientSchema, schemaFile } from "../scripts/generate-api-client.ts";

describe("the typed API client (@cdp/api-client)", () => {
  it("is generated from the OpenAPI document the services' routes make today", async () => {
    const fresh = await generateApiClientSchema();
    // On failure: `pnpm --filter @cdp/infra generate:api-client`, then review and commit the change.
    expect(readFileSync(schemaFile, "utf8"), "packages/api-client/src/schema.ts is stale").toBe(fresh);
  });
});
