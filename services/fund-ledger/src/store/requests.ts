import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { batchGetAll, type Transaction, VersionConflict, withoutKeys } from "@cdp/lambda-kit";
import type { RequestRecord } from "../domain/model.ts";
import { keys } from "./layout.ts";

/**
 * A requester's reference: the record of what the ledger made of it (see RequestRecord), read consistently,
 * since it decides whether a void closes the reference or a post waits for it.
 */
export async function readRequestRecord(
  client: DynamoDBDocumentClient,
  tableName: string,
  requester: string,
  reference: string,
): Promise<RequestRecord | undefined> {
  const [item] = await batchGetAll(client, tableName, [keys.request(requester, reference)], { consistent: true });
  if (!item) return undefined;
  // Records written before they carried their requester and reference have both only in their key.
  return { ...withoutKeys<Omit<RequestRecord, "requester" | "reference">>(item), requester, reference };
}

/**
 * Writes the record on condition that the reference has none: whoever writes first decides it. By default a
 * lost race is a version conflict, so the command is decided again on what won.
 */
export function putRequestRecord(
  tx: Transaction,
  record: RequestRecord,
  onTaken: () => Error = () => new VersionConflict(`${record.requester}'s reference ${record.reference} is taken`),
): void {
  tx.put(
    { ...keys.request(record.requester, record.reference), ...record },
    { expression: "attribute_not_exists(pk)", onFailed: onTaken },
  );
}
