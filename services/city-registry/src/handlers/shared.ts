import { createDocumentClient, tableNameFrom, writeContextOf } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { RegistryReads } from "../store/registry-reads.ts";
import { RegistryStore } from "../store/registry-store.ts";

/** Created once per function instance, never per request. */
export const documentClient = createDocumentClient();
const tableName = tableNameFrom(table.envVar);
export const store = new RegistryStore(documentClient, tableName);
export const reads = new RegistryReads(documentClient, tableName);
export const options = { serviceName: SERVICE_NAME };

/** Who writes and when, from the request (the kit's). */
export const writeContext = writeContextOf;
