import { randomUUID } from "node:crypto";
import { addDays, fiscalYearOf, tokyoDate } from "@cdp/contracts";
import { describe, expect, it } from "vitest";
import { aContact, anExchangeProgramme, aPartner, aPlacement } from "./builders.ts";
import { apiAs, busEvents, dataOf, eventsEndpoint, eventually, sesEndpoint, settled } from "./client.ts";

/**
 * The staff exchange's saga over the local cloud: approval asks the fund for the estimate by event, the
 * ledger's answer funds the placement (or refuses it), completion posts the actual costs and releases the
 * rest, cancellation voids the hold, and the partner's contacts are told once each. No service calls another.
 */

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
}

const coordinator = () => apiAs("exchange-coordinator");
const today = tokyoDate(new Date());
const fiscalYear = fiscalYearOf(today);
const suffix = () => randomUUID().slice(0, 8);

async function mailTo(address: string): Promise<StoredEmail[]> {
  const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as { emails: StoredEmail[] };
  return emails.filter((e) => e.destination.to.includes(address));
}

async function staffExchangeLine() {
  const statement = dataOf(
    await apiAs("auditor").GET("/fiscal-years/{fiscalYear}/statement", { params: { path: { fiscalYear } } }),
  );
  const line = statement.programmes.find((p) => p.programme === "staff-exchange");
  if (!line) throw new Error("no staff-exchange line in the statement");
  return line;
}

/** A partner of its own with one contact, registered in the registry; its exchange programme, 4 a year each way. */
async function partnerWithProgramme(): Promise<{ partnerId: string; contactEmail: string }> {
  const partnerId = `e2e-exchange-${suffix()}`;
  const contactEmail = `liaison@${partnerId}.example`;
  const registered = await apiAs("international-affairs").POST("/partners", {
    body: aPartner(partnerId, {
      name: { ja: "ダナン市", en: "Da Nang" },
      contacts: [aContact(contactEmail, { name: { ja: "担当者", en: "Liaison Officer" } })],
    }),
  });
  expect(registered.response.status).toBe(201);
  // The programme rests on a partner the staff exchange knows from the registry's event.
  const programme = await eventually(async () => {
    const created = await coordinator().POST("/exchange-programmes", {
      body: anExchangeProgramme(partnerId, 4, {
        name: { ja: "ダナン市との職員交流", en: "Staff exchange with Da Nang" },
      }),
    });
    expect(created.response.status).toBe(201);
    return dataOf(created);
  });
  expect(programme.id).toBe(partnerId);
  await settled();
  return { partnerId, contactEmail };
}

/** An inbound half-year placement; `startsInDays` from today (negative: it has begun). */
async function propose(partnerId: string, startsInDays: number, estimate?: Record<string, number>) {
  const _startDate = addDays(today, startsInDays);
  return dataOf(
    await coordinator().POST("/placements", {
      body: aPlacement(
        partnerId,
        { staffId: `dn-${suffix()}`, startsInDays, days: 120 },
        {
          personal: { passportNumber: "C1234567", medicalNotes: "Asthma" },
          ...(estimate && {
            estimate: { allowanceYen: 0, housingYen: 0, travelYen: 0, insuranceYen: 0, otherYen: 0, ...estimate },
          }),
        },
      ),
    }),
  );
}

const placementOf = async (id: string) =>
  dataOf(await apiAs("viewer").GET("/placements/{id}", { params: { path: { id } } }));
const step = async (id: string, action: "approve" | "start") =>
  dataOf(await coordinator().POST(`/placements/{id}/${action}`, { params: { path: { id } } }));

async function statusBecomes(id: string, status: string) {
  return eventually(async () => {
    const placement = await placementOf(id);
    expect(placement.status).toBe(status);
    return placement;
  });
}

describe("the staff exchange", () => {
  it("funds an approved placement by a hold on the ledger, and the partner's contact is told once", async () => {
    const { partnerId, contactEmail } = await partnerWithProgramme();
    const before = await staffExchangeLine();
    const placement = await propose(partnerId, 60);
    await step(placement.id, "approve");
    const funded = await statusBecomes(placement.id, "funded");
    expect(funded.holds).toEqual([
      expect.objectContaining({ reference: `placement:${placement.id}`, status: "placed" }),
    ]);
    const after = await staffExchangeLine();
    expect(after.heldYen - before.heldYen).toBe(placement.estimate.totalYen);
    await settled();
    const mails = await mailTo(contactEmail);
    expect(mails).toHaveLength(1);
    expect(JSON.stringify(mails)).not.toContain("C1234567");
  });

  it("posts the actual costs on completion and releases the rest of the hold", async () => {
    const { partnerId } = await partnerWithProgramme();
    const placement = await propose(partnerId, -5);
    await step(placement.id, "approve");
    await statusBecomes(placement.id, "funded");
    await step(placement.id, "start");
    const before = await staffExchangeLine();
    const actual = {
      allowanceYen: 1_000_000,
      housingYen: 500_000,
      travelYen: 90_000,
      insuranceYen: 30_000,
      otherYen: 0,
    };
    const completed = dataOf(
      await coordinator().POST("/placements/{id}/complete", {
        params: { path: { id: placement.id } },
        body: { actual },
      }),
    );
    expect(completed.status).toBe("completed");
    await eventually(async () => {
      const posted = (await busEvents("FundHoldPosted.v1")).filter(
        (e) => e.detail.reference === `placement:${placement.id}`,
      );
      expect(posted).toHaveLength(1);
      expect(posted[0]?.detail).toMatchObject({
        postedYen: 1_620_000,
        releasedYen: placement.estimate.totalYen - 1_620_000,
      });
    });
    const after = await staffExchangeLine();
    expect(after.spentYen - before.spentYen).toBe(1_620_000);
    expect(before.heldYen - after.heldYen).toBe(placement.estimate.totalYen);
  });

  it("voids the hold when a funded placement is cancelled before its start, and tells the partner once", async () => {
    const { partnerId, contactEmail } = await partnerWithProgramme();
    const placement = await propose(partnerId, 90);
    await step(placement.id, "approve");
    await statusBecomes(placement.id, "funded");
    const before = await staffExchangeLine();
    dataOf(
      await coordinator().POST("/placements/{id}/cancel", {
        params: { path: { id: placement.id } },
        body: { reason: "The host division was reorganised" },
      }),
    );
    await eventually(async () => {
      const voided = (await busEvents("FundHoldVoided.v1")).filter(
        (e) => e.detail.reference === `placement:${placement.id}`,
      );
      expect(voided).toHaveLength(1);
    });
    const after = await staffExchangeLine();
    expect(before.heldYen - after.heldYen).toBe(placement.estimate.totalYen);
    await settled();
    // The funding notice and the cancellation notice: one each.
    expect(await mailTo(contactEmail)).toHaveLength(2);
  });

  it("leaves a placement funding-rejected when the fund has too little, listed for the coordinator", async () => {
    const { partnerId } = await partnerWithProgramme();
    // Another use of the programme's money leaves ¥1m: a hold above the two-person threshold, approved by another.
    const { availableYen } = await staffExchangeLine();
    const key = () => ({ "Idempotency-Key": `e2e-${randomUUID()}` });
    const requested = await apiAs("fund-manager").POST("/holds", {
      params: { header: key() },
      body: {
        reference: `e2e-exhaust-${suffix()}`,
        programme: "staff-exchange",
        fiscalYear,
        amountYen: availableYen - 1_000_000,
        description: { ja: "他の交流事業", en: "Another exchange" },
      },
    });
    expect(requested.response.status).toBe(202);
    const approval = dataOf(
      await apiAs("fund-approver").POST("/approvals/{id}/approve", {
        params: { path: { id: String((requested.data as { id: string }).id) }, header: key() },
      }),
    );
    try {
      const placement = await propose(partnerId, 30);
      expect(placement.estimate.totalYen).toBeGreaterThan(1_000_000);
      await step(placement.id, "approve");
      const rejected = await statusBecomes(placement.id, "funding-rejected");
      expect(rejected.fundingRejection).toMatchObject({ reason: "insufficient-available" });
      const listed = dataOf(
        await apiAs("viewer").GET("/placements", { params: { query: { status: "funding-rejected", partnerId } } }),
      );
      expect(listed.items.map((p) => p.id)).toEqual([placement.id]);
    } finally {
      await apiAs("fund-manager").POST("/holds/{id}/void", {
        params: { path: { id: String(approval.resultId) }, header: key() },
      });
    }
  });

  it("shows a person's personal data to coordinators only", async () => {
    const { partnerId } = await partnerWithProgramme();
    const placement = await propose(partnerId, 200);
    const person = dataOf(
      await coordinator().GET("/placements/{id}/person", { params: { path: { id: placement.id } } }),
    );
    expect(person.personal).toMatchObject({ passportNumber: "C1234567", medicalNotes: "Asthma" });
    const viewer = await apiAs("viewer").GET("/placements/{id}/person", { params: { path: { id: placement.id } } });
    expect(viewer.response.status).toBe(403);
    expect(JSON.stringify(await placementOf(placement.id))).not.toContain("C1234567");
  });

  it("flags, by its schedule, an approval still waiting for the fund after two days, listed until the fund answers", async () => {
    const { partnerId } = await partnerWithProgramme();
    // Above the fund's two-person threshold (¥5m): the ledger keeps the hold waiting for a fund-approver.
    const waiting = await propose(partnerId, 20, { otherYen: 5_500_000 });
    const approved = await step(waiting.id, "approve");
    await settled();
    expect((await placementOf(waiting.id)).status).toBe("approved");
    const fire = async (daysAfterApproval: number) => {
      const at = new Date(Date.parse(String(approved.approvedAt)) + daysAfterApproval * 86_400_000).toISOString();
      const name = encodeURIComponent("staff-exchange.funding-overdue");
      const fired = await fetch(`${eventsEndpoint}/schedules/${name}/fire?at=${encodeURIComponent(at)}`, {
        method: "POST",
      });
      expect(fired.status).toBe(200);
    };
    const overdue = async () =>
      dataOf(
        await apiAs("viewer").GET("/placements", { params: { query: { fundingOverdue: "true", partnerId } } }),
      ).items.map((p) => p.id);
    await fire(1);
    expect(await overdue()).toEqual([]);
    await fire(3);
    expect(await overdue()).toEqual([waiting.id]);

    // A fund-approver approves the hold: the placement is funded and no longer listed.
    const approvals = dataOf(await apiAs("fund-approver").GET("/approvals"));
    const request = approvals.items.find((a) => a.reference === `placement:${waiting.id}`);
    if (!request) return expect.fail("the ledger holds no approval request for the placement");
    dataOf(
      await apiAs("fund-approver").POST("/approvals/{id}/approve", {
        params: { path: { id: request.id }, header: { "Idempotency-Key": `e2e-${randomUUID()}` } },
      }),
    );
    await statusBecomes(waiting.id, "funded");
    expect(await overdue()).toEqual([]);
  });
});
