import { IsoDate } from "@cdp/contracts";
import * as z from "zod/mini";
import type * as core from "zod/v4/core";

/** Every list route pages the same way: `?limit=&cursor=` in, `{items, nextCursor}` out. */
export const PAGE_MAX_LIMIT = 100;
export const PAGE_DEFAULT_LIMIT = 20;

export const PagingQuery = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(PAGE_MAX_LIMIT)), PAGE_DEFAULT_LIMIT),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
};

export const pageOf = <T extends core.$ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) });

/** A period in a query: `?from=&to=`, either or both, as calendar days. */
export const PeriodQuery = { from: z.optional(IsoDate), to: z.optional(IsoDate) };

/**
 * A period must not end before it begins: refused as a 400 naming `to`, rather than sent to DynamoDB, whose
 * BETWEEN refuses bounds in the wrong order (found by the fuzzing suite, as a 500).
 */
export const orderedPeriod = z.refine<{ readonly from?: string | undefined; readonly to?: string | undefined }>(
  (query) => query.from === undefined || query.to === undefined || query.from <= query.to,
  { message: "must not be before from", path: ["to"] },
);
