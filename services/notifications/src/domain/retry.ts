/** What sending with retries gave: the result, or the last error once every attempt failed, with the attempts made. */
export type Delivery<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/**
 * Sends with retries and exponential backoff: SES throttles and has passing outages. Returns what the
 * last attempt gave: the result, or the error once every attempt failed, with the attempts made.
 */
export async function withBackoff<T>(
  attempt: () => Promise<T>,
  options: { attempts: number; firstDelayMs: number; sleep?: (ms: number) => Promise<void> },
): Promise<Delivery<T>> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let lastError: unknown;
  for (let made = 1; made <= options.attempts; made++) {
    try {
      return { ok: true, value: await attempt(), attempts: made };
    } catch (error) {
      lastError = error;
      if (made < options.attempts) await sleep(options.firstDelayMs * 2 ** (made - 1));
    }
  }
  return { ok: false, error: lastError, attempts: options.attempts };
}
