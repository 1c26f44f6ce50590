import { type Refusal, refuse, refused } from "@cdp/lambda-kit/decision";
import type { PartnerCopy } from "./model.ts";

/**
 * What to do with a partner copy an event offers: keep it, written on the condition that the copy
 * read (`expectedVersion`, null: none yet) is still the one stored, or refuse it as older.
 */
export type CopyDecision =
  | { readonly ok: true; readonly copy: PartnerCopy; readonly expectedVersion: number | null }
  | { readonly ok: false; readonly refusal: Refusal };

/**
 * The newest version wins, whatever order the registry's events arrive in: an offered copy replaces
 * the kept one only when its version is higher. An older or equal one is a conflict (the event's
 * news is already known), which a consumer ignores.
 */
export function keepNewerCopy(kept: PartnerCopy | undefined, offered: PartnerCopy): CopyDecision {
  if (kept && kept.version >= offered.version) {
    return refused(
      refuse.conflict(
        `Partner ${offered.partnerId}: version ${kept.version} is kept already; version ${offered.version} changes nothing`,
        `version ${kept.version}`,
        { keptVersion: kept.version, offeredVersion: offered.version },
      ),
    );
  }
  return { ok: true, copy: offered, expectedVersion: kept?.version ?? null };
}
