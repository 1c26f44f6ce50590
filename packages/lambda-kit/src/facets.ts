import type { Transaction } from "./transaction.ts";

/**
 * Facet copies: an entity is copied under every facet it belongs to (`all`, its status, each of
 * its partners…), keyed so each facet is one partition of a GSI sorted the way lists want. Every
 * single-filter list is then one Query, never a scan; extra filters become filter expressions.
 * Copies live in the entity's own item collection (`pk`, `sk = FACET#<facet>`), so one Query
 * finds the facets to drop when the entity changes.
 */
export const FACET_SK_PREFIX = "FACET#";

export interface FacetCopies {
  /** The entity's partition key; copies sit beside it. */
  readonly pk: string;
  /** Distinguishes this entity type's facets on the shared GSIs, e.g. `P#` for partners. */
  readonly indexPrefix: string;
  readonly facets: readonly string[];
  /** Facets the entity belonged to before this change. */
  readonly previous: readonly string[];
  readonly item: Readonly<Record<string, unknown>>;
  /** Sort keys on gsi1 (and optionally gsi2) for this entity. */
  readonly sortKeys: { readonly gsi1sk: string; readonly gsi2sk?: string };
}

export function putFacetCopies(tx: Transaction, copies: FacetCopies): void {
  for (const stale of copies.previous.filter((f) => !copies.facets.includes(f))) {
    tx.delete({ pk: copies.pk, sk: `${FACET_SK_PREFIX}${stale}` });
  }
  for (const facet of copies.facets) {
    const partition = `${copies.indexPrefix}${facet}`;
    tx.put({
      ...copies.item,
      pk: copies.pk,
      sk: `${FACET_SK_PREFIX}${facet}`,
      facet,
      gsi1pk: partition,
      gsi1sk: copies.sortKeys.gsi1sk,
      ...(copies.sortKeys.gsi2sk !== undefined && { gsi2pk: partition, gsi2sk: copies.sortKeys.gsi2sk }),
    });
  }
}

/** The facet names found among an item collection's sort keys. */
export function facetsIn(items: readonly Record<string, unknown>[]): string[] {
  return items
    .map((item) => String(item.sk))
    .filter((sk) => sk.startsWith(FACET_SK_PREFIX))
    .map((sk) => sk.slice(FACET_SK_PREFIX.length));
}
