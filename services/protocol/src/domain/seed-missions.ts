import type { MissionInput } from "./missions.ts";

/**
 * The embassies in Tokyo of the countries of Tokyo's partners (the City Registry's seed), with only what is
 * certain: country, kind, name, national day and the partners each relates to. No heads of mission, addresses
 * or contacts: the protocol office enters those, none is invented here.
 */

/**
 * Partner countries with no embassy seeded, for want of settled facts to seed it with: Thailand (bangkok),
 * India (delhi), Viet Nam (hanoi), Malaysia (kuala-lumpur), the Philippines (manila), Singapore (singapore),
 * Myanmar (yangon) and Mongolia (ulaanbaatar). Taipei's counterpart in Tokyo is a representative office, not
 * an embassy. The protocol office registers these through the API.
 */
export const PARTNER_COUNTRIES_NOT_SEEDED: readonly string[] = ["IN", "MM", "MN", "MY", "PH", "SG", "TH", "TW", "VN"];

const fixedDay = (monthDay: string, ja: string, en: string): NonNullable<MissionInput["nationalDay"]> => ({
  kind: "fixed",
  monthDay,
  occasion: { ja, en },
});

const embassy = (
  country: string,
  name: { ja: string; en: string },
  nationalDay: MissionInput["nationalDay"],
  partnerIds: string[],
): MissionInput => ({
  id: `embassy-${country.toLowerCase()}`,
  country,
  kind: "embassy",
  name,
  contacts: [],
  partnerIds,
  nationalDay,
});

export const SEED_MISSIONS: readonly MissionInput[] = [
  embassy(
    "US",
    { ja: "駐日アメリカ合衆国大使館", en: "Embassy of the United States of America in Japan" },
    fixedDay("07-04", "独立記念日", "Independence Day"),
    ["new-york", "los-angeles", "salt-lake-city"],
  ),
  embassy(
    "CN",
    { ja: "中華人民共和国駐日本国大使館", en: "Embassy of the People's Republic of China in Japan" },
    fixedDay("10-01", "国慶節", "National Day"),
    ["beijing"],
  ),
  embassy(
    "FR",
    { ja: "駐日フランス大使館", en: "Embassy of France in Japan" },
    fixedDay("07-14", "フランス国民祭典", "Fête nationale"),
    ["paris", "french-alps"],
  ),
  embassy(
    "AU",
    { ja: "駐日オーストラリア大使館", en: "Australian Embassy Tokyo" },
    fixedDay("01-26", "オーストラリア・デー", "Australia Day"),
    ["new-south-wales", "brisbane"],
  ),
  embassy(
    "KR",
    { ja: "駐日大韓民国大使館", en: "Embassy of the Republic of Korea in Japan" },
    fixedDay("10-03", "開天節", "National Foundation Day"),
    ["seoul", "pyeongchang"],
  ),
  embassy(
    "ID",
    { ja: "駐日インドネシア共和国大使館", en: "Embassy of the Republic of Indonesia in Tokyo" },
    fixedDay("08-17", "独立記念日", "Independence Day"),
    ["jakarta"],
  ),
  embassy(
    "BR",
    { ja: "駐日ブラジル大使館", en: "Embassy of Brazil in Tokyo" },
    fixedDay("09-07", "独立記念日", "Independence Day"),
    ["sao-paulo", "rio-de-janeiro"],
  ),
  embassy(
    "EG",
    { ja: "駐日エジプト・アラブ共和国大使館", en: "Embassy of the Arab Republic of Egypt in Tokyo" },
    fixedDay("07-23", "革命記念日", "Revolution Day"),
    ["cairo"],
  ),
  embassy(
    "RU",
    { ja: "駐日ロシア連邦大使館", en: "Embassy of the Russian Federation in Japan" },
    fixedDay("06-12", "ロシアの日", "Russia Day"),
    ["moscow", "tomsk-region", "sochi"],
  ),
  embassy(
    "DE",
    { ja: "ドイツ連邦共和国大使館", en: "Embassy of the Federal Republic of Germany Tokyo" },
    fixedDay("10-03", "ドイツ統一の日", "Day of German Unity"),
    ["berlin"],
  ),
  embassy(
    "IT",
    { ja: "駐日イタリア大使館", en: "Embassy of Italy in Tokyo" },
    fixedDay("06-02", "共和国記念日", "Festa della Repubblica"),
    ["rome", "milan"],
  ),
  embassy(
    "GB",
    { ja: "駐日英国大使館", en: "British Embassy Tokyo" },
    // A day in June set each year: its dates are entered as they are announced, none is guessed.
    { kind: "per-year", dates: {}, occasion: { ja: "国王公式誕生日", en: "The King's Official Birthday" } },
    ["london", "city-of-london-corporation"],
  ),
];
