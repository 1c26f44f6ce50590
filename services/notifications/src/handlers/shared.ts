import { createDocumentClient, tableNameFrom } from "@cdp/lambda-kit";
import { SERVICE_NAME } from "../api.ts";
import { table } from "../manifest.ts";
import { NoticeStore } from "../store/notice-store.ts";

/** Created once per function instance, never per request. */
export const store = new NoticeStore(createDocumentClient(), tableNameFrom(table.envVar));
export const consumerOptions = { serviceName: SERVICE_NAME, table };
/** Three tries a notice per delivery of its event (1 s, then 2 s apart); the bus retries the event too. */
export const SEND_RETRY = { attempts: 3, firstDelayMs: Number(process.env.NOTICE_RETRY_FIRST_DELAY_MS ?? 1000) };
