import type { AgreementInput, PartnerInput } from "./domain/model.ts";

/**
 * Tokyo's real partners (shared/reference/tokyo-partners.md): the 12 sister/friendship cities and
 * states, the policy-cooperation partners, the ANMC21 members and the Olympic hosts around Tokyo 2020.
 * Facts marked [unverified] there are left out (Moscow's suspension, the dates of the Paris and
 * Beijing policy agreements, the day of the 2021 Los Angeles renewal).
 */
export interface SeedPartner {
  readonly partner: PartnerInput;
  readonly agreements: readonly (Omit<AgreementInput, "supersedes"> & { supersedesSignedOn?: string })[];
}

const ANMC21_FOUNDED = "2000-08-28";

const agreement = (
  type: AgreementInput["type"],
  signedOn: string,
  title: { ja: string; en: string },
  areas: AgreementInput["areas"] = [],
  extra: { supersedesSignedOn?: string } = {},
): SeedPartner["agreements"][number] => ({
  type,
  signedOn,
  title,
  areas,
  responsibleDepartments: { tokyo: ["Office of the Governor for Policy Planning"], partner: [] },
  legallyBinding: false,
  authenticLanguages: ["ja", "en"],
  ...extra,
});

const sister = (ja: string, en: string, signedOn: string) =>
  agreement("sister-friendship", signedOn, {
    ja: `東京都と${ja}との姉妹友好提携`,
    en: `Sister/friendship affiliation of Tokyo and ${en}`,
  });

const partner = (
  id: string,
  ja: string,
  en: string,
  kind: PartnerInput["kind"],
  country: string,
  worldRegion: PartnerInput["worldRegion"],
  categories: PartnerInput["categories"],
  cooperationAreas: PartnerInput["cooperationAreas"] = [],
): PartnerInput => ({ id, name: { ja, en }, kind, country, worldRegion, categories, cooperationAreas, contacts: [] });

const friendship = { type: "friendship-city" } as const;
const asianMajor = { type: "asian-major-city" } as const;
const anmc21 = (joined = ANMC21_FOUNDED, withdrew?: string) =>
  ({ type: "anmc21-member", joined, ...(withdrew && { withdrew }) }) as const;
const olympic = (...games: [season: "summer" | "winter", year: number][]) =>
  ({ type: "olympic-host", games: games.map(([season, year]) => ({ season, year })) }) as const;

export const SEED_PARTNERS: readonly SeedPartner[] = [
  {
    partner: partner("new-york", "ニューヨーク市", "New York City", "city", "US", "north-america", [friendship]),
    agreements: [sister("ニューヨーク市", "New York City", "1960-02-29")],
  },
  {
    partner: partner("beijing", "北京市", "Beijing", "city", "CN", "east-asia", [
      friendship,
      asianMajor,
      anmc21(ANMC21_FOUNDED, "2005-08-30"),
      olympic(["summer", 2008], ["winter", 2022]),
    ]),
    agreements: [sister("北京市", "Beijing", "1979-03-14")],
  },
  {
    partner: partner("paris", "パリ市", "Paris", "city", "FR", "europe", [
      friendship,
      olympic(["summer", 1924], ["summer", 2024]),
    ]),
    agreements: [sister("パリ市", "Paris", "1982-07-14")],
  },
  {
    partner: partner("new-south-wales", "ニューサウスウェールズ州", "New South Wales", "state", "AU", "oceania", [
      friendship,
    ]),
    agreements: [
      sister("ニューサウスウェールズ州", "New South Wales", "1984-05-09"),
      agreement("policy-cooperation", "2015-05-19", {
        ja: "東京都とニューサウスウェールズ州との政策協力に関する覚書",
        en: "MOU on policy cooperation between Tokyo and New South Wales",
      }),
      agreement(
        "policy-cooperation",
        "2024-02-06",
        {
          ja: "東京都とニューサウスウェールズ州との政策協力に関する覚書（更新）",
          en: "MOU on policy cooperation between Tokyo and New South Wales (renewed)",
        },
        [],
        { supersedesSignedOn: "2015-05-19" },
      ),
    ],
  },
  {
    partner: partner("seoul", "ソウル特別市", "Seoul", "city", "KR", "east-asia", [
      friendship,
      asianMajor,
      anmc21(),
      olympic(["summer", 1988]),
    ]),
    agreements: [
      sister("ソウル特別市", "Seoul", "1988-09-03"),
      agreement("policy-cooperation", "2014-07-23", {
        ja: "東京都とソウル特別市との協力に関する覚書",
        en: "MOU on cooperation between Tokyo and Seoul",
      }),
      agreement("joint-statement", "2015-02-03", {
        ja: "東京都とソウル特別市との共同声明",
        en: "Joint statement of Tokyo and Seoul",
      }),
    ],
  },
  {
    partner: partner("jakarta", "ジャカルタ特別州", "Jakarta", "city", "ID", "southeast-asia", [
      friendship,
      asianMajor,
      anmc21(),
    ]),
    agreements: [sister("ジャカルタ特別州", "Jakarta", "1989-10-23")],
  },
  {
    partner: partner("sao-paulo", "サンパウロ州", "São Paulo", "state", "BR", "latin-america", [friendship]),
    agreements: [sister("サンパウロ州", "São Paulo", "1990-06-13")],
  },
  {
    partner: partner("cairo", "カイロ県", "Cairo", "city", "EG", "africa", [friendship]),
    agreements: [sister("カイロ県", "Cairo", "1990-10-23")],
  },
  {
    partner: partner("moscow", "モスクワ市", "Moscow", "city", "RU", "europe", [friendship, olympic(["summer", 1980])]),
    agreements: [
      sister("モスクワ市", "Moscow", "1991-07-16"),
      agreement("policy-cooperation", "2015-10-22", {
        ja: "東京都とモスクワ市との協力に関する覚書",
        en: "MOU on cooperation between Tokyo and Moscow",
      }),
    ],
  },
  {
    partner: partner("berlin", "ベルリン市", "Berlin", "city", "DE", "europe", [friendship, olympic(["summer", 1936])]),
    agreements: [
      sister("ベルリン市", "Berlin", "1994-05-14"),
      agreement("policy-cooperation", "2014-10-29", {
        ja: "東京都とベルリン市との協力に関する覚書",
        en: "MOU on cooperation between Tokyo and Berlin",
      }),
      agreement("joint-statement", "2024-05-14", {
        ja: "東京都とベルリン市との共同声明",
        en: "Joint communiqué of Tokyo and Berlin",
      }),
    ],
  },
  {
    partner: partner("rome", "ローマ市", "Rome", "city", "IT", "europe", [friendship, olympic(["summer", 1960])]),
    agreements: [sister("ローマ市", "Rome", "1996-07-05")],
  },
  {
    partner: partner(
      "london",
      "ロンドン市（大ロンドン庁）",
      "London (Greater London Authority)",
      "city",
      "GB",
      "europe",
      [friendship, olympic(["summer", 1948], ["summer", 2012])],
      ["urban-development", "environment", "culture", "transport", "tourism", "sport"],
    ),
    agreements: [
      agreement("sister-friendship", "2015-10-14", {
        ja: "東京都とロンドン市との共同宣言",
        en: "Joint declaration of Tokyo and London",
      }),
      agreement(
        "policy-cooperation",
        "2015-10-14",
        {
          ja: "東京都と大ロンドン庁との協力に関する覚書",
          en: "MOU on cooperation between Tokyo and the Greater London Authority",
        },
        ["urban-development", "environment", "culture", "transport", "tourism", "sport"],
      ),
    ],
  },
  {
    partner: partner("tomsk-region", "トムスク州", "Tomsk Region", "region", "RU", "europe", [anmc21("2012-06-30")]),
    agreements: [
      agreement("policy-cooperation", "2015-06-10", {
        ja: "東京都とトムスク州との協力に関する覚書",
        en: "MOU on cooperation between Tokyo and Tomsk Region",
      }),
    ],
  },
  {
    partner: partner(
      "los-angeles",
      "ロサンゼルス市",
      "Los Angeles",
      "city",
      "US",
      "north-america",
      [olympic(["summer", 1932], ["summer", 1984], ["summer", 2028])],
      ["sport"],
    ),
    agreements: [
      agreement(
        "policy-cooperation",
        "2018-07-25",
        { ja: "東京都とロサンゼルス市との協力に関する覚書", en: "MOU on cooperation between Tokyo and Los Angeles" },
        ["sport"],
      ),
    ],
  },
  {
    partner: partner(
      "city-of-london-corporation",
      "シティ・オブ・ロンドン",
      "City of London Corporation",
      "city",
      "GB",
      "europe",
      [],
      ["finance"],
    ),
    agreements: [
      agreement(
        "policy-cooperation",
        "2017-12-04",
        { ja: "金融分野における協力に関する覚書", en: "MOU on cooperation in financial services" },
        ["finance"],
      ),
    ],
  },
  ...(
    [
      ["bangkok", "バンコク都", "Bangkok", "TH", "southeast-asia"],
      ["delhi", "デリー準州", "Delhi", "IN", "south-asia"],
      ["hanoi", "ハノイ市", "Hanoi", "VN", "southeast-asia"],
      ["kuala-lumpur", "クアラルンプール市", "Kuala Lumpur", "MY", "southeast-asia"],
      ["manila", "マニラ市", "Manila", "PH", "southeast-asia"],
      ["singapore", "シンガポール", "Singapore", "SG", "southeast-asia"],
      ["taipei", "台北市", "Taipei", "TW", "east-asia"],
      ["yangon", "ヤンゴン市", "Yangon", "MM", "southeast-asia"],
    ] as const
  ).map(([id, ja, en, country, region]) => ({
    partner: partner(id, ja, en, "city", country, region, [asianMajor, anmc21()]),
    agreements: [],
  })),
  {
    partner: partner("ulaanbaatar", "ウランバートル市", "Ulaanbaatar", "city", "MN", "east-asia", [
      asianMajor,
      anmc21("2012-06-30"),
    ]),
    agreements: [],
  },
  ...(
    [
      ["rio-de-janeiro", "リオデジャネイロ市", "Rio de Janeiro", "city", "BR", "latin-america", "summer", 2016],
      ["sochi", "ソチ市", "Sochi", "city", "RU", "europe", "winter", 2014],
      ["pyeongchang", "平昌郡", "PyeongChang", "region", "KR", "east-asia", "winter", 2018],
      ["milan", "ミラノ市", "Milan (Milano Cortina 2026)", "city", "IT", "europe", "winter", 2026],
      ["french-alps", "フレンチアルプス", "French Alps (2030)", "region", "FR", "europe", "winter", 2030],
      ["brisbane", "ブリスベン市", "Brisbane", "city", "AU", "oceania", "summer", 2032],
      ["salt-lake-city", "ソルトレイクシティ", "Salt Lake City", "city", "US", "north-america", "winter", 2034],
    ] as const
  ).map(([id, ja, en, kind, country, region, season, year]) => ({
    partner: partner(id, ja, en, kind, country, region, [olympic([season, year])]),
    agreements: [],
  })),
];
