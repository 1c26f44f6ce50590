import { createDocumentClient, tableNameFrom } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { ProjectionStore } from "../store/projection-store.ts";
import { ReportStore } from "../store/report-store.ts";

/** Created once per function instance, never per request. */
const client = createDocumentClient();
const tableName = tableNameFrom(table.envVar);
export const reports = new ReportStore(client, tableName);
export const projections = new ProjectionStore(client, tableName);
export const options = { serviceName: SERVICE_NAME };
export const consumerOptions = { serviceName: SERVICE_NAME, table };
