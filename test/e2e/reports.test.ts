import { randomUUID } from "node:crypto";
import { PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { addDays, fiscalYearOf, formatYen, tokyoDate } from "@cdp/contracts";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { anAgreement, anExchangeProgramme, anOutboundTrip, aPartner, aPlacement } from "./builders.ts";
import {
  api,
  apiAs,
  call,
  dataOf,
  eventBridge,
  eventMetadata,
  eventsEndpoint,
  eventually,
  sesEndpoint,
  settled,
  tokenFor,
} from "./client.ts";

/**
 * The reports over the local cloud: what staff do through the API (a partner and its agreement, the governor's
 * trip, a placement funded through the saga, the fund's operations on a programme of its own) appears in the
 * next on-demand report, in every format, fetched the way a browser would, through the presigned URL. The
 * monthly schedule's report goes to the distribution list with the PDF attached.
 */

const today = tokyoDate(new Date());
const fiscalYear = fiscalYearOf(today);
const suffix = randomUUID().slice(0, 8);
const partnerId = `e2e-report-${suffix}`;
const partnerName = { ja: `報告テスト市${suffix}`, en: `Report Test City ${suffix}` };
const programme = `e2e-report-${suffix}`;
const REPORTERS = ["international-affairs"] as const;

type Format = "html" | "pdf" | "xlsx" | "csv";

async function reportOf(from: string, to: string): Promise<{ reportId: string; files: { format: Format }[] }> {
  const asked = await call("POST", "/reports", { roles: [...REPORTERS], body: { kind: "progress", from, to } });
  expect(asked.status, JSON.stringify(asked.body)).toBe(202);
  expect(asked.headers.get("location")).toBe(`/reports/${asked.body.reportId}`);
  return eventually(async () => {
    const report = await call("GET", `/reports/${asked.body.reportId}`, { roles: ["auditor"] });
    expect(report.body.status, JSON.stringify(report.body)).toBe("done");
    return report.body;
  });
}

/** A format as a user gets it: the API redirects to a presigned URL, which the client follows to the bucket. */
async function download(reportId: string, format: Format): Promise<Buffer> {
  const token = await tokenFor("auditor");
  const redirect = await fetch(`${api}/reports/${reportId}/${format}`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: "manual",
  });
  expect(redirect.status).toBe(302);
  const location = redirect.headers.get("location") ?? "";
  expect(location).toMatch(/X-Amz-Expires=300/);
  const file = await fetch(location);
  expect(file.status).toBe(200);
  return Buffer.from(await file.arrayBuffer());
}

async function pdfText(pdf: Buffer): Promise<string> {
  const document = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, disableFontFace: true })
    .promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(""));
  }
  return pages.join("\n");
}

const key = () => ({ "idempotency-key": randomUUID() });

describe("the City Diplomacy Progress Report", () => {
  it("shows what was done through the API in the next on-demand report, in every format", async () => {
    // A partner and its agreement (a concrete relation, up for review within 90 days).
    const reviewOn = addDays(today, 45);
    expect(
      (await call("POST", "/partners", { roles: [...REPORTERS], body: aPartner(partnerId, { name: partnerName }) }))
        .status,
    ).toBe(201);
    const agreed = await call("POST", `/partners/${partnerId}/agreements`, {
      roles: [...REPORTERS],
      body: anAgreement({ signedOn: `${fiscalYear}-04-01`, reviewOn }),
    });
    expect(agreed.status, JSON.stringify(agreed.body)).toBe(201);

    // The governor's trip to it at the end of the fiscal year, approved at its estimate.
    const tripStart = `${fiscalYear + 1}-03-01`;
    const trip = await call("POST", "/visits", {
      roles: ["protocol"],
      body: anOutboundTrip(partnerId, tripStart, addDays(tripStart, 2)),
    });
    expect(trip.status, JSON.stringify(trip.body)).toBe(201);
    const approved = await call("POST", `/visits/${trip.body.id}/approve`, { roles: ["protocol"] });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);

    // A placement with it, funded by the ledger through the saga.
    await eventually(async () => {
      const created = await apiAs("exchange-coordinator").POST("/exchange-programmes", {
        body: anExchangeProgramme(partnerId, 2),
      });
      expect(created.response.status).toBe(201);
    });
    const placement = dataOf(
      await apiAs("exchange-coordinator").POST("/placements", {
        body: aPlacement(partnerId, { staffId: `rp-${suffix}`, startsInDays: 30, days: 60 }),
      }),
    );
    await apiAs("exchange-coordinator").POST("/placements/{id}/approve", { params: { path: { id: placement.id } } });
    await eventually(async () => {
      const funded = await call("GET", `/placements/${placement.id}`, { roles: ["viewer"] });
      expect(funded.body.status).toBe("funded");
    });

    // The fund: a programme of this test's own, appropriated, spent from directly, and a hold posted in part.
    const manager: ["fund-manager"] = ["fund-manager"];
    expect(
      (
        await call("POST", "/programmes", {
          roles: manager,
          headers: key(),
          body: { id: programme, name: { ja: "報告試験", en: "Report test" } },
        })
      ).status,
    ).toBe(201);
    const description = { ja: "報告の試験", en: "Report test" };
    expect(
      (
        await call("POST", "/appropriations", {
          roles: manager,
          headers: key(),
          body: { fiscalYear, programme, amountYen: 3_000_000, description },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call("POST", "/expenses", {
          roles: manager,
          headers: key(),
          body: { reference: `expense:${suffix}`, fiscalYear, programme, amountYen: 400_000, description },
        })
      ).status,
    ).toBe(201);
    const hold = await call("POST", "/holds", {
      roles: manager,
      headers: key(),
      body: { reference: `hold:${suffix}`, fiscalYear, programme, amountYen: 500_000, description },
    });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    expect(
      (
        await call("POST", `/holds/${hold.body.id}/post`, {
          roles: manager,
          headers: key(),
          body: { amountYen: 350_000 },
        })
      ).status,
    ).toBe(200);
    await settled();

    const report = await reportOf(`${fiscalYear}-04-01`, `${fiscalYear + 1}-03-31`);
    expect(report.files.map((file) => file.format).sort()).toEqual(["csv", "html", "pdf", "xlsx"]);
    // appropriated 3,000,000; spent 400,000 + 350,000; released 150,000; held 0; available 2,250,000.
    const figures = {
      appropriatedYen: 3_000_000,
      heldYen: 0,
      spentYen: 750_000,
      availableYen: 2_250_000,
      releasedYen: 150_000,
    };

    // The ledger's own statement agrees with the report's projection of it.
    const statement = await call("GET", `/fiscal-years/${fiscalYear}/statement`, { roles: ["auditor"] });
    expect(statement.body.programmes.find((line: { programme: string }) => line.programme === programme)).toMatchObject(
      {
        appropriatedYen: figures.appropriatedYen,
        spentYen: figures.spentYen,
        availableYen: figures.availableYen,
      },
    );

    const html = (await download(report.reportId, "html")).toString("utf8");
    for (const text of [
      partnerName.ja,
      partnerName.en,
      placement.id,
      programme,
      formatYen(figures.availableYen),
      formatYen(12_345_000),
    ]) {
      expect(html, text).toContain(text);
    }

    const pdf = await pdfText(await download(report.reportId, "pdf"));
    for (const text of [partnerName.ja, programme, formatYen(figures.availableYen), formatYen(figures.spentYen)]) {
      expect(pdf, text).toContain(text);
    }

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(await download(report.reportId, "xlsx")).buffer);
    const rows = workbook.worksheets.flatMap((sheet) =>
      sheet.getSheetValues().flatMap((row) => (Array.isArray(row) ? [row.slice(1)] : [])),
    );
    const fundRow = rows.find((row) => row.includes(programme));
    expect(fundRow, "the programme's row in the workbook").toBeDefined();
    for (const amount of Object.values(figures)) expect(fundRow).toContain(amount);
    expect(rows.some((row) => row.includes(partnerName.ja))).toBe(true);
    expect(rows.some((row) => row.includes(placement.id))).toBe(true);

    const csv = parse((await download(report.reportId, "csv")).toString("utf8"), {
      bom: true,
      relax_column_count: true,
    }) as string[][];
    const csvFundRow = csv.find((row) => row.includes(programme));
    for (const amount of Object.values(figures)) expect(csvFundRow).toContain(String(amount));
    expect(csv.some((row) => row.includes(partnerName.ja))).toBe(true);
  }, 240_000);

  it("refuses a download until the report is done, and a period that ends before it starts", async () => {
    const backwards = await call("POST", "/reports", {
      roles: ["admin"],
      body: { kind: "progress", from: "2026-11-30", to: "2026-11-01" },
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors.map((error: { path: string }) => error.path)).toEqual(["body.to"]);
    expect((await call("GET", `/reports/${randomUUID()}/pdf`, { roles: ["admin"] })).status).toBe(404);
  });

  it("counts what waits in every dead-letter queue when the report is made, its own consumer's among them", async () => {
    // A conference that breaks its contract: only the reports' read model consumes it, and dead-letters it.
    const sent = await eventBridge.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: "city-diplomacy",
            Source: "tmg.visit-scheduling",
            DetailType: "ConferenceRegistered.v1",
            Detail: JSON.stringify({ metadata: eventMetadata(), conferenceId: `broken-${suffix}` }),
          },
        ],
      }),
    );
    expect(sent.FailedEntryCount).toBe(0);
    const lettersOfTheReadModel = async () => {
      const { deadLetters } = (await (await fetch(`${eventsEndpoint}/dead-letters`)).json()) as {
        deadLetters: { rule: string }[];
      };
      return deadLetters.filter((letter) => letter.rule === "reports.project-events").length;
    };
    await eventually(async () => expect(await lettersOfTheReadModel()).toBeGreaterThanOrEqual(1));
    const before = await lettersOfTheReadModel();

    const report = await reportOf(today, today);
    const csv = parse((await download(report.reportId, "csv")).toString("utf8"), {
      bom: true,
      relax_column_count: true,
    }) as string[][];
    const row = csv.find((cells) => cells.includes("reports-project-events"));
    expect(row, "the read model's queue in the report").toBeDefined();
    const counted = Number(row?.at(-1));
    // Other suites may dead-letter more meanwhile, never fewer: nothing here redrives.
    expect(counted).toBeGreaterThanOrEqual(before);
    expect(counted).toBeLessThanOrEqual(await lettersOfTheReadModel());
  }, 120_000);

  it("e-mails the monthly report to the distribution list once, with the PDF attached, however often the schedule fires", async () => {
    const fire = () =>
      fetch(`${eventsEndpoint}/schedules/reports.monthly-progress-report/fire?at=2026-12-01T06:00:00%2B09:00`, {
        method: "POST",
      });
    expect((await fire()).status).toBe(200);
    expect((await fire()).status).toBe(200);
    const report = await eventually(async () => {
      const found = await call("GET", "/reports/monthly-2026-11", { roles: ["auditor"] });
      expect(found.body.status).toBe("done");
      return found.body;
    });
    expect(report).toMatchObject({ trigger: "schedule", from: "2026-11-01", to: "2026-11-30", emailedTo: 1 });
    await settled();
    const { emails } = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
      emails: { subject: string; destination: { to: string[] }; attachments: { contentType: string }[] }[];
    };
    const sent = emails.filter((email) => email.subject.includes("2026年11月"));
    expect(sent).toHaveLength(1);
    expect(sent[0]?.destination.to).toEqual(["city-diplomacy-meeting@metro.localhost"]);
    expect(sent[0]?.attachments.map((attachment) => attachment.contentType)).toEqual(["application/pdf"]);
  }, 120_000);
});
