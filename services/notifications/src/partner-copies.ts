import { withRetries } from "@cdp/lambda-kit";
import { Refused } from "@cdp/lambda-kit/decision";
import type { PartnerCopy } from "./domain/model.ts";
import { keepNewerCopy } from "./domain/partner-copy.ts";
import type { NoticeStore } from "./store/notice-store.ts";

/**
 * Keeps this service's copy of a partner: load the kept copy, decide, write on the version read.
 * A copy no newer than the kept one is refused (a conflict, which the consumer ignores); a write that
 * lost a race with another event for the same partner decides again.
 */
export async function keepPartnerCopy(store: NoticeStore, offered: PartnerCopy, at: Date): Promise<void> {
  await withRetries(async () => {
    const decision = keepNewerCopy(await store.partner(offered.partnerId), offered);
    if (!decision.ok) throw new Refused(decision.refusal);
    await store.keepCopy(decision.copy, decision.expectedVersion, at);
  });
}
