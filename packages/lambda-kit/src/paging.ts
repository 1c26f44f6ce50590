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
