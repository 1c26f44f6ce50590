/**
 * DynamoDB's throttling errors, by name: the SDK retries each of them with its throttling backoff (they are
 * in @smithy/core's THROTTLING_ERROR_CODES), so one that reaches our code has spent every attempt.
 */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  // The kit's own: BatchGetItem left keys unprocessed (as DynamoDB does under throttling) round after round.
  "UnprocessedKeysRemain",
]);

/**
 * The codes of a TransactionCanceledException's CancellationReasons that mean throttling. The SDK does not
 * retry a cancelled transaction (its name is no throttling error), so these reach our code at once.
 */
export const THROTTLING_CANCELLATION_CODES: ReadonlySet<string> = new Set([
  "ThrottlingError",
  "ProvisionedThroughputExceeded",
]);

/** How long a caller should wait before trying again, in seconds (the `Retry-After` of a 503). */
export const THROTTLED_RETRY_AFTER_SECONDS = 1;

function isThrottlingAt(error: unknown, depth: number): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const { name, CancellationReasons, cause } = error as {
    name?: unknown;
    CancellationReasons?: unknown;
    cause?: unknown;
  };
  if (typeof name === "string" && THROTTLING_ERROR_NAMES.has(name)) return true;
  if (name === "TransactionCanceledException" && Array.isArray(CancellationReasons)) {
    return CancellationReasons.some(
      (reason: { Code?: unknown } | null) =>
        typeof reason?.Code === "string" && THROTTLING_CANCELLATION_CODES.has(reason.Code),
    );
  }
  // A wrapper that names what made it fail (`new Error(…, { cause })`) failed for that reason.
  return isThrottlingAt(cause, depth + 1);
}

/**
 * Whether an error is DynamoDB throttling: a failure of capacity, not of the request, that a later try will
 * likely get past. The HTTP kit answers it with 503 and Retry-After; an event consumer throws it, so the bus
 * retries the event (never ignores it, never dead-letters it at once). Checked by name, not by class, so
 * that errors from another copy of the SDK, or rebuilt from a response, are recognised too.
 */
export function isThrottling(error: unknown): boolean {
  return isThrottlingAt(error, 0);
}
