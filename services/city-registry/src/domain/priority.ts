import type { Category, CategoryType, CooperationArea } from "./model.ts";

/**
 * The priority score ranks prospects for strategic selection (Basic Strategy, "Promotion of
 * strategic city-to-city diplomacy"). It is the sum of:
 *
 * - category points, for the kinds of city the strategy names:
 *   Olympic/Paralympic host 30 (+10 when it hosts Games still to come, whose experience Tokyo can share),
 *   major Asian city 25, high global-city ranking 25 for a top-10 rank, 15 otherwise,
 *   leading city of an emerging region 20, active ANMC21 member 15, friendship city 10;
 * - area points, for the overlap of its cooperation areas with Tokyo's priorities:
 *   10 for the practical-cooperation areas of goal 2 (waterworks, sewerage, urban development,
 *   crisis management, infectious disease, environment), 5 for the others the strategy names
 *   (culture, tourism, finance, transport, sport).
 *
 * Higher is more important. The score is a whole number, so ties are broken by partner id.
 */
export const CATEGORY_POINTS: Readonly<Record<CategoryType, number>> = {
  "olympic-host": 30,
  "asian-major-city": 25,
  "global-ranking": 15,
  "emerging-region-leader": 20,
  "anmc21-member": 15,
  "friendship-city": 10,
};
export const TOP_RANKING_POINTS = 25;
export const FUTURE_GAMES_BONUS = 10;

export const AREA_POINTS: Readonly<Partial<Record<CooperationArea, number>>> = {
  waterworks: 10,
  sewerage: 10,
  "urban-development": 10,
  "crisis-management": 10,
  "infectious-disease": 10,
  environment: 10,
  culture: 5,
  tourism: 5,
  finance: 5,
  transport: 5,
  sport: 5,
};

function categoryPoints(category: Category, currentYear: number): number {
  switch (category.type) {
    case "global-ranking":
      return category.rank <= 10 ? TOP_RANKING_POINTS : CATEGORY_POINTS["global-ranking"];
    case "anmc21-member":
      return category.withdrew ? 0 : CATEGORY_POINTS["anmc21-member"];
    case "olympic-host":
      return (
        CATEGORY_POINTS["olympic-host"] + (category.games.some((g) => g.year > currentYear) ? FUTURE_GAMES_BONUS : 0)
      );
    default:
      return CATEGORY_POINTS[category.type];
  }
}

export function priorityScore(
  partner: { categories: readonly Category[]; cooperationAreas: readonly CooperationArea[] },
  currentYear: number,
): number {
  const fromCategories = partner.categories.reduce((sum, c) => sum + categoryPoints(c, currentYear), 0);
  const fromAreas = partner.cooperationAreas.reduce((sum, area) => sum + (AREA_POINTS[area] ?? 0), 0);
  return fromCategories + fromAreas;
}
