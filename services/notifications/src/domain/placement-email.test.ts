import { describe, expect, it } from "vitest";
import { aFundedPlacement } from "./placement-builders.ts";
import { type PlacementNoticeDetail, renderPlacementNotice } from "./placement-email.ts";

/** A Paris official hosted in Tokyo's Bureau of Environment for half a year. */
const inbound: PlacementNoticeDetail = aFundedPlacement();
/** A Tokyo official seconded to the City of Paris. */
const outbound: PlacementNoticeDetail = {
  ...inbound,
  direction: "outbound",
  person: { name: { ja: "山田太郎", en: "Taro Yamada" }, position: { ja: "主任", en: "Senior Officer" } },
  hostOrganisation: { ja: "パリ市役所", en: "City of Paris" },
  hostDepartment: { ja: "都市計画局", en: "Urban Planning Department" },
};
const paris = { ja: "パリ市", en: "Paris" };
const contact = (preferredLanguage: "ja" | "en") => ({
  name: { ja: "マルタン", en: "Ms Martin" },
  preferredLanguage,
});

describe("placement notices", () => {
  it("tell of an inbound placement in both languages, the contact's first: person, dates, host in Tokyo, purpose", () => {
    for (const preferredLanguage of ["ja", "en"] as const) {
      const email = renderPlacementNotice({
        kind: "placement-funded",
        placement: inbound,
        partnerName: paris,
        contact: contact(preferredLanguage),
      });
      const jaAt = email.text.indexOf("職員受入れ決定のお知らせ");
      const enAt = email.text.indexOf("Staff placement in Tokyo confirmed");
      expect(jaAt).toBeGreaterThanOrEqual(0);
      expect(enAt).toBeGreaterThanOrEqual(0);
      expect(preferredLanguage === "ja" ? jaAt < enAt : enAt < jaAt).toBe(true);
      for (const line of [
        "マルタン 様",
        "パリ市職員の東京都への受入れが決定しましたので、お知らせいたします。",
        "受入職員：ジャン・デュポン（都市計画担当官）",
        "受入期間：2027年4月1日〜9月30日",
        "受入先：東京都環境局 気候変動対策部",
        "目的：脱炭素都市づくりの知見共有",
        "分野：climate、urban planning",
        "東京でお迎えできることを心より楽しみにしております。",
        "東京都 政策企画局 外務部",
        "Dear Ms Martin,",
        "We are pleased to confirm the placement in Tokyo of a staff member from Paris.",
        "Staff member: Jean Dupont, Urban Planning Officer",
        "Dates: 1 April – 30 September 2027",
        "Host: Climate Change Policy Division, Bureau of Environment, Tokyo Metropolitan Government",
        "Purpose: Sharing know-how on zero-emission city planning",
        "Fields: climate, urban planning",
        "We look forward to welcoming them to Tokyo.",
      ]) {
        expect(email.text.split("\n")).toContain(line);
      }
      expect(email.subject).toBe(
        preferredLanguage === "ja"
          ? "[Tokyo] 職員受入れ決定のお知らせ 2027年4月1日〜9月30日 / Staff placement in Tokyo confirmed 1 April – 30 September 2027"
          : "[Tokyo] Staff placement in Tokyo confirmed 1 April – 30 September 2027 / 職員受入れ決定のお知らせ 2027年4月1日〜9月30日",
      );
      expect(email.html).toContain(`<html lang="${preferredLanguage}">`);
      expect(email.html).toContain('<section lang="ja">');
      expect(email.html).toContain('<section lang="en">');
    }
  });

  it("tell of an outbound placement: Tokyo's staff member coming to the partner, hosted by its own department", () => {
    const email = renderPlacementNotice({
      kind: "placement-funded",
      placement: outbound,
      partnerName: paris,
      contact: contact("ja"),
    });
    expect(
      email.subject.startsWith("[Tokyo] 職員派遣決定のお知らせ 2027年4月1日〜9月30日 / Staff secondment confirmed"),
    ).toBe(true);
    for (const line of [
      "東京都職員のパリ市への派遣が決定しましたので、お知らせいたします。",
      "派遣職員：山田太郎（主任）",
      "派遣期間：2027年4月1日〜9月30日",
      "派遣先：パリ市役所 都市計画局",
      "受入れに際しましては、格別のご高配を賜りますよう、よろしくお願い申し上げます。",
      "We are pleased to confirm the secondment of a Tokyo Metropolitan Government staff member to Paris.",
      "Staff member: Taro Yamada, Senior Officer",
      "Host: Urban Planning Department, City of Paris",
      "We would be grateful for your kind support in hosting our colleague.",
    ]) {
      expect(email.text.split("\n")).toContain(line);
    }
    expect(email.text).not.toContain("東京都への受入れ");
  });

  it("say a placement is cancelled, with its reason, in either direction", () => {
    const reason = "The host department was reorganised";
    const inboundCancelled = renderPlacementNotice({
      kind: "placement-cancelled",
      placement: { ...inbound, reason },
      partnerName: paris,
      contact: contact("en"),
    });
    expect(
      inboundCancelled.subject.startsWith(
        "[Tokyo] Staff placement in Tokyo cancelled 1 April – 30 September 2027 / 職員受入れ中止のお知らせ",
      ),
    ).toBe(true);
    for (const line of [
      "We regret to inform you that the placement in Tokyo of a staff member from Paris has been cancelled.",
      `Reason: ${reason}`,
      "We thank you for your understanding.",
      "誠に恐縮ながら、パリ市職員の東京都への受入れは中止となりましたので、お知らせいたします。",
      `理由：${reason}`,
      "何卒ご理解を賜りますよう、お願い申し上げます。",
      "Dates: 1 April – 30 September 2027",
      "受入期間：2027年4月1日〜9月30日",
    ]) {
      expect(inboundCancelled.text.split("\n")).toContain(line);
    }
    expect(inboundCancelled.text).not.toContain("We look forward to welcoming them");

    const outboundCancelled = renderPlacementNotice({
      kind: "placement-cancelled",
      placement: { ...outbound, reason },
      partnerName: paris,
      contact: contact("ja"),
    });
    expect(outboundCancelled.subject.startsWith("[Tokyo] 職員派遣中止のお知らせ")).toBe(true);
    expect(outboundCancelled.text).toContain("誠に恐縮ながら、東京都職員のパリ市への派遣は中止となりましたので");
    expect(outboundCancelled.text).toContain(
      "We regret to inform you that the secondment of a Tokyo Metropolitan Government staff member to Paris has been cancelled.",
    );
  });

  it("leave out what the placement does not have: a position, fields", () => {
    const email = renderPlacementNotice({
      kind: "placement-funded",
      placement: { ...inbound, person: { name: inbound.person.name }, fields: [] },
      partnerName: paris,
      contact: contact("en"),
    });
    const lines = email.text.split("\n");
    expect(lines).toContain("Staff member: Jean Dupont");
    expect(lines).toContain("受入職員：ジャン・デュポン");
    expect(email.text).not.toMatch(/Fields:|分野：/);
  });

  it("escape what the event carries in the HTML, and name no one in the subject", () => {
    const email = renderPlacementNotice({
      kind: "placement-cancelled",
      placement: {
        ...inbound,
        purpose: { ja: '研修 <b>重要</b> & "実務"', en: "Training <script>alert(1)</script> & 'practice'" },
        reason: "<img src=x onerror=alert(1)>",
      },
      partnerName: { ja: "パリ市 <本庁>", en: "Paris <HQ>" },
      contact: { name: { ja: "<マルタン>", en: "<Martin>" }, preferredLanguage: "en" },
    });
    expect(email.html).toContain("Training &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;practice&#39;");
    expect(email.html).toContain("研修 &lt;b&gt;重要&lt;/b&gt; &amp; &quot;実務&quot;");
    expect(email.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(email.html).toContain("Dear &lt;Martin&gt;,");
    expect(email.html).not.toMatch(/<script|<img|<b>|<Martin>|<HQ>/);
    // The plain text is not HTML: it keeps the text as written.
    expect(email.text).toContain("Training <script>alert(1)</script> & 'practice'");
    for (const name of ["Jean", "Dupont", "ジャン", "デュポン"]) expect(email.subject).not.toContain(name);
  });
});
