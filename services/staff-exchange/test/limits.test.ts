import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable } from "@cdp/dynamodb-local";
import {
  createDocumentClient,
  ITEM_MAX_BYTES,
  itemSize,
  orRefuse,
  TRANSACTION_MAX_ACTIONS,
  type WriteContext,
} from "@cdp/lambda-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { aPlacementInput, aProgrammeInput } from "../src/domain/builders.ts";
import { cancelPlacement } from "../src/domain/decide.ts";
import { LIMITS, PlacementInput, PlacementPatch } from "../src/domain/model.ts";
import { table } from "../src/manifest.ts";
import { StaffExchange } from "../src/use-cases.ts";

/**
 * The largest placement DynamoDB must take: every text at its longest in Japanese (3 bytes a character), ten
 * fields, the personal data at its longest, and the most holds a placement may ask for. Its proposal and its
 * cancellation (which voids every hold) are each one transaction within the limits, counted and then written.
 */

const tableName = `staff-exchange-limits-${randomUUID()}`;
const raw = new DynamoDBClient({});
const exchange = new StaffExchange(createDocumentClient(), tableName);
const context: WriteContext = { actor: "coordinator", correlationId: "limits", now: new Date("2026-12-01T01:00:00Z") };

const ja = (length: number) => "都".repeat(length);
const longest = { ja: ja(500), en: "x".repeat(500) };

function largestPlacement(programmeId: string): PlacementInput {
  return aPlacementInput({
    programmeId,
    person: { staffId: "T".repeat(32), name: longest, position: longest },
    personal: {
      passportNumber: "A".repeat(12),
      dateOfBirth: "1990-04-01",
      privateEmail: `${"p".repeat(64)}@example.com`,
      emergencyContact: { name: ja(200), relationship: ja(100), phone: "+81 90 1234 5678" },
      medicalNotes: ja(LIMITS.notesLength),
    },
    hostOrganisation: longest,
    hostDepartment: longest,
    purpose: longest,
    fields: Array.from({ length: LIMITS.fields }, () => ja(LIMITS.fieldLength)),
  });
}

beforeAll(async () => {
  await ensureTable(raw, tableName, table);
});

describe("the staff exchange at its largest input", () => {
  it("proposes, tops up to the most holds and cancels the largest placement, each in one transaction within the limits", async () => {
    const partnerId = "limits-partner";
    await exchange.programmes.keepPartner({ partnerId, name: { ja: "市", en: "City" } }, context);
    const { id: programmeId } = await exchange.createProgramme(aProgrammeInput(partnerId), context);
    const input = largestPlacement(programmeId);
    expect(PlacementInput.safeParse(input).success).toBe(true);
    let placement = await exchange.propose(input, context);
    expect(itemSize(placement)).toBeLessThan(ITEM_MAX_BYTES / 10);

    placement = await exchange.approve(placement.id, undefined, context);
    const answer = (reference: string, amountYen: number) => ({ reference, holdId: randomUUID(), amountYen });
    placement = await exchange.onHoldPlaced(
      placement.id,
      answer(`placement:${placement.id}`, placement.estimate.totalYen),
      context,
    );
    while (placement.holds.length < LIMITS.holds) {
      placement = await exchange.topUp(placement.id, { amountYen: 10_000 }, context);
      const pending = placement.holds.at(-1);
      if (!pending) throw new Error("no top-up asked for");
      placement = await exchange.onHoldPlaced(placement.id, answer(pending.reference, pending.amountYen), context);
    }
    expect(placement.holds).toHaveLength(LIMITS.holds);
    await expect(exchange.topUp(placement.id, { amountYen: 10_000 }, context)).rejects.toMatchObject({
      refusal: { rule: "holds-limit" },
    });

    const [programme, terms] = await Promise.all([
      exchange.programmes.get(programmeId),
      exchange.placements.personTerms(input.person.staffId),
    ]);
    const cancelling = orRefuse(
      cancelPlacement(placement, { reason: ja(1000) }, programme, terms, {
        now: context.now,
        today: "2026-12-01",
        newId: randomUUID,
      }),
    );
    const tx = await exchange.placements.transactionOf(cancelling, context);
    // The placement, 5 facet copies (and the stale status copy's delete), the terms, the quota, the audit entry,
    // PlacementCancelled and a void request per hold.
    expect(tx.size).toBe(1 + 5 + 1 + 1 + 1 + 1 + 1 + LIMITS.holds);
    expect(tx.size).toBeLessThanOrEqual(TRANSACTION_MAX_ACTIONS);
    tx.assertWithinLimits();
    const cancelled = await exchange.cancel(placement.id, { reason: ja(1000) }, context);
    expect(cancelled.holds.every((hold) => hold.status === "void-requested")).toBe(true);
  });

  it("refuses a term outside fiscal years 2000–2099, naming the date, on a proposal and on an edit", () => {
    // Its events carry the fiscal year, which the contract bounds: a placement in 2150 was a 500 on publishing.
    const far = PlacementInput.safeParse(aPlacementInput({ startDate: "2150-04-01", endDate: "2150-09-30" }));
    expect(far.error?.issues.map((issue) => issue.path.join("."))).toEqual(["startDate", "endDate"]);
    const early = PlacementPatch.safeParse({ startDate: "1999-10-01" });
    expect(early.error?.issues.map((issue) => issue.path.join("."))).toEqual(["startDate"]);
    expect(PlacementInput.safeParse(aPlacementInput({ startDate: "2099-10-01", endDate: "2100-03-31" })).success).toBe(
      true,
    );
  });
});
