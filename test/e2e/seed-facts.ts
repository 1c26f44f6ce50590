/** What the seed (shared/reference/tokyo-partners.md) holds, as the e2e tests expect to find it. */

/** Tokyo's 12 sister and friendship partners, by id, sorted. */
export const FRIENDSHIP_PARTNERS = [
  "beijing",
  "berlin",
  "cairo",
  "jakarta",
  "london",
  "moscow",
  "new-south-wales",
  "new-york",
  "paris",
  "rome",
  "sao-paulo",
  "seoul",
];
