import type { DeadLetter } from "./bus.ts";

/**
 * The local bus's dead letters seen as SQS sees dead-letter queues, for code that counts them as it does in AWS
 * (the progress report): `ListQueues` by name prefix and `GetQueueAttributes`, over SQS's JSON protocol
 * (`X-Amz-Target: AmazonSQS.*`), on the bus's own endpoint (`AWS_ENDPOINT_URL_SQS`). Every consumer has its queue,
 * empty or not, named as in AWS (the kit's `deadLetterQueueName`): a rule's letters are its queue's messages, and a
 * stream's are its relay's. Nothing can be sent or received: redrives go through `POST /dead-letters/redrive`.
 */
export interface DeadLetterQueues {
  /** Every queue, with the rule (or stream) whose letters it holds. */
  queues(): readonly { readonly name: string; readonly rule: string }[];
  readonly letters: readonly DeadLetter[];
}

/** The account id the local cloud's ARNs and queue URLs carry. */
const LOCAL_ACCOUNT = "000000000000";
const MAX_RESULTS = 1000;

export class SqsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    /** The query-protocol code SDKs read from `x-amzn-query-error`. */
    readonly queryCode: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) =>
  new SqsError("com.amazonaws.sqs#InvalidParameterValue", message, "InvalidParameterValue");

/** Answers one SQS call; `endpoint` is the URL the caller reached, which queue URLs start with. */
export function answerSqs(
  queues: DeadLetterQueues,
  operation: string,
  input: Readonly<Record<string, unknown>>,
  endpoint: string,
): Record<string, unknown> {
  const urlOf = (name: string) => `${endpoint}/${LOCAL_ACCOUNT}/${name}`;
  if (operation === "ListQueues") {
    const prefix = input.QueueNamePrefix === undefined ? "" : String(input.QueueNamePrefix);
    const max = input.MaxResults === undefined ? MAX_RESULTS : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
      throw invalid(`MaxResults must be an integer from 1 to ${MAX_RESULTS}.`);
    }
    const start = input.NextToken === undefined ? 0 : Number(Buffer.from(String(input.NextToken), "base64url"));
    if (!Number.isInteger(start) || start < 0) throw invalid("NextToken is not valid.");
    const names = queues
      .queues()
      .map((queue) => queue.name)
      .filter((name) => name.startsWith(prefix))
      .sort();
    const page = names.slice(start, start + max);
    const next = start + max < names.length ? Buffer.from(String(start + max)).toString("base64url") : undefined;
    return { QueueUrls: page.map(urlOf), ...(next && { NextToken: next }) };
  }
  if (operation === "GetQueueAttributes") {
    const name =
      String(input.QueueUrl ?? "")
        .split("/")
        .at(-1) ?? "";
    const queue = queues.queues().find((candidate) => candidate.name === name);
    if (!queue) {
      throw new SqsError(
        "com.amazonaws.sqs#QueueDoesNotExist",
        "The specified queue does not exist.",
        "AWS.SimpleQueueService.NonExistentQueue",
      );
    }
    const count = queues.letters.filter((letter) => letter.rule === queue.rule).length;
    const all: Record<string, string> = {
      ApproximateNumberOfMessages: String(count),
      // Letters are taken off the list when redriven: none is ever in flight.
      ApproximateNumberOfMessagesNotVisible: "0",
      ApproximateNumberOfMessagesDelayed: "0",
      QueueArn: `arn:aws:sqs:${process.env.AWS_REGION ?? "ap-northeast-1"}:${LOCAL_ACCOUNT}:${name}`,
      MessageRetentionPeriod: String(14 * 24 * 3600),
    };
    const wanted = Array.isArray(input.AttributeNames) ? input.AttributeNames.map(String) : [];
    const names = wanted.includes("All") ? Object.keys(all) : wanted.filter((attribute) => attribute in all);
    return { Attributes: Object.fromEntries(names.map((attribute) => [attribute, all[attribute]])) };
  }
  throw new SqsError(
    "com.amazonaws.sqs#UnsupportedOperation",
    `Operation ${operation} is not supported by the local dead-letter queues.`,
    "AWS.SimpleQueueService.UnsupportedOperation",
  );
}
