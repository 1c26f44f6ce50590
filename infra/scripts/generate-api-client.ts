/**
 * Regenerates the typed API client's types (`packages/api-client/src/schema.ts`) from the platform's
 * OpenAPI document, built from the services' manifests (`services.ts`) as the local cloud serves it at
 * `/openapi.json`. Run `pnpm --filter @cdp/infra generate:api-client` after changing a route;
 * `test/api-client.test.ts` fails while the committed file differs from a fresh generation.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { openApiDocument } from "@cdp/lambda-kit";
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from "openapi-typescript";
import { services } from "../services.ts";

export const schemaFile = fileURLToPath(new URL("../../packages/api-client/src/schema.ts", import.meta.url));

export async function generateApiClientSchema(): Promise<string> {
  const document = openApiDocument(services, { title: "City Diplomacy Platform API", version: "1.0.0" });
  // The document is built in memory, so there is nothing to fetch and no reason to print progress.
  const nodes = await openapiTS(document as unknown as OpenAPI3, { silent: true });
  return COMMENT_HEADER + astToString(nodes);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(schemaFile, await generateApiClientSchema());
  console.log(`wrote ${schemaFile}`);
}
