import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { compareCodeUnits } from "@cdp/contracts";
import { DEAD_LETTER_PREFIX_ENV } from "@cdp/lambda-kit";
import type { DeadLetterRow } from "./domain/report-model.ts";

/**
 * What waits in the platform's dead-letter queues when the report is made: the depth of each queue of the stage,
 * found by the prefix every dead-letter queue's name starts with (the kit's `deadLetterQueueName`), so a queue
 * added with a new service is counted without a list to keep. Queue depths are not events: this is the one thing
 * the report reads at generation time rather than from its projections, and it says so.
 */
export type DeadLetterCounter = () => Promise<readonly DeadLetterRow[]>;

/** SQS answers at most 1,000 queue URLs a page; more come with `NextToken`. */
const PAGE_SIZE = 1000;
/** A few attribute reads at a time: SQS's API limits are far above, and a report is not in a hurry. */
const CONCURRENT_READS = 8;

export function deadLetterCounter(sqs: SQSClient, prefix: string): DeadLetterCounter {
  return async () => {
    const urls: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: PAGE_SIZE, NextToken: nextToken }),
      );
      urls.push(...(page.QueueUrls ?? []));
      nextToken = page.NextToken;
    } while (nextToken);

    const rows: DeadLetterRow[] = [];
    for (let start = 0; start < urls.length; start += CONCURRENT_READS) {
      const batch = await Promise.all(
        urls.slice(start, start + CONCURRENT_READS).map(async (url) => {
          const { Attributes: attributes = {} } = await sqs.send(
            new GetQueueAttributesCommand({
              QueueUrl: url,
              AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            }),
          );
          // Messages being redriven are out of sight but not yet handled: they still wait for a person.
          const count =
            Number(attributes.ApproximateNumberOfMessages ?? 0) +
            Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
          const name = url.slice(url.lastIndexOf("/") + 1);
          return { queue: name.startsWith(prefix) ? name.slice(prefix.length) : name, count };
        }),
      );
      rows.push(...batch);
    }
    return rows.sort((a, b) => compareCodeUnits(a.queue, b.queue));
  };
}

/** The counter the report function uses, found like every AWS endpoint (`AWS_ENDPOINT_URL_SQS` locally). */
export function deadLetterCounterFromEnvironment(): DeadLetterCounter | undefined {
  const prefix = process.env[DEAD_LETTER_PREFIX_ENV];
  if (!prefix) return undefined;
  return deadLetterCounter(
    new SQSClient({ requestHandler: { requestTimeout: 10_000, connectionTimeout: 2_000 } }),
    prefix,
  );
}
