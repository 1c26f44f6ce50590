/** A transaction larger than DynamoDB takes: refused before it is sent, naming what is over. */
export class TransactionTooLarge extends Error {
  override readonly name = "TransactionTooLarge";
}

/** Thrown by an optimistic write that lost a race; `withRetries` re-reads and tries again. */
export class VersionConflict extends Error {}

/**
 * Another transaction was writing the same item at that moment (DynamoDB's TransactionConflict): nothing
 * this write read has necessarily changed, but it must be tried again.
 */
export class TransactionConflict extends VersionConflict {}

export async function withRetries<T>(attempt: () => Promise<T>, attempts = 4): Promise<T> {
  for (let remaining = attempts; ; remaining--) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof VersionConflict) || remaining <= 1) throw error;
    }
  }
}
