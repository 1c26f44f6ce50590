/** When a decision is made and where new ids come from: the caller's, so decisions stay repeatable in tests. */
export interface Stamp {
  readonly now: Date;
  /** The calendar date in Tokyo at `now`. */
  readonly today: string;
  readonly newId: () => string;
}
