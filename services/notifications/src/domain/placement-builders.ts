import type { PlacementCancelled, PlacementFunded } from "@cdp/contracts";
import type * as z from "zod/mini";

/**
 * Placement events as the staff exchange publishes them, for tests and the benchmark: a Paris official hosted
 * in Tokyo's Bureau of Environment for half a year. No I/O, no test framework: anything may build from it.
 */
export type PlacementFundedDetail = z.infer<typeof PlacementFunded.detail>;
export type PlacementCancelledDetail = z.infer<typeof PlacementCancelled.detail>;

export function aFundedPlacement(overrides: Partial<PlacementFundedDetail> = {}): PlacementFundedDetail {
  return {
    placementId: "pl-1",
    programmeId: "paris",
    partnerId: "paris",
    direction: "inbound",
    person: {
      name: { ja: "ジャン・デュポン", en: "Jean Dupont" },
      position: { ja: "都市計画担当官", en: "Urban Planning Officer" },
    },
    hostOrganisation: { ja: "東京都環境局", en: "Bureau of Environment, Tokyo Metropolitan Government" },
    hostDepartment: { ja: "気候変動対策部", en: "Climate Change Policy Division" },
    startDate: "2027-04-01",
    endDate: "2027-09-30",
    fiscalYear: 2027,
    purpose: { ja: "脱炭素都市づくりの知見共有", en: "Sharing know-how on zero-emission city planning" },
    fields: ["climate", "urban planning"],
    estimatedYen: 4_800_000,
    status: "funded",
    version: 3,
    holdId: "3f1c1a52-5d0e-4c39-9a52-1f7f3c1d2b10",
    heldYen: 4_800_000,
    metadata: { eventId: "evt-p1", correlationId: "c-p1", occurredAt: "2026-11-28T00:59:00.000Z" },
    ...overrides,
  };
}

/** The same placement cancelled from `previousStatus` (the partner was told of it only if funded or active). */
export function aCancelledPlacement(
  previousStatus: PlacementCancelledDetail["previousStatus"] = "funded",
  overrides: Partial<PlacementFundedDetail> = {},
): PlacementCancelledDetail {
  const { holdId: _hold, heldYen: _held, ...placement } = aFundedPlacement(overrides);
  return {
    ...placement,
    status: "cancelled",
    version: placement.version + 1,
    reason: "The host department was reorganised",
    previousStatus,
    incurredYen: 0,
  };
}
