import { compareCodeUnits } from "@cdp/contracts";
/** The strategy's milestones: 15 concrete relations by the end of 2017, 30 by the opening of the Tokyo 2020 Games. */
export const MILESTONES = [
  { name: "2017", label: { ja: "2017年までに15都市", en: "15 cities by 2017" }, target: 15, deadline: "2017-12-31" },
  {
    name: "tokyo-2020-games",
    label: { ja: "東京2020大会開会までに30都市", en: "30 cities by the opening of the Tokyo 2020 Games" },
    target: 30,
    deadline: "2021-07-23",
  },
] as const;

export interface EstablishedRelation {
  readonly partnerId: string;
  readonly on: string;
}

export interface TargetsProgress {
  readonly asOf: string;
  readonly count: number;
  readonly partners: readonly EstablishedRelation[];
  readonly milestones: readonly {
    name: string;
    label: { ja: string; en: string };
    target: number;
    deadline: string;
    count: number;
    met: boolean;
    /** False while the deadline is still ahead of asOf: the count may still grow. */
    final: boolean;
  }[];
}

/** Counts relations concrete on a given day; a relation counts from its establishment day on. */
export function targetsProgress(relations: readonly EstablishedRelation[], asOf: string): TargetsProgress {
  const byDate = [...relations].sort(
    (a, b) => compareCodeUnits(a.on, b.on) || compareCodeUnits(a.partnerId, b.partnerId),
  );
  const countOn = (day: string) => byDate.filter((r) => r.on <= day).length;
  const partners = byDate.filter((r) => r.on <= asOf);
  return {
    asOf,
    count: partners.length,
    partners,
    milestones: MILESTONES.map((m) => {
      const day = m.deadline < asOf ? m.deadline : asOf;
      const count = countOn(day);
      return { ...m, count, met: count >= m.target, final: m.deadline <= asOf };
    }),
  };
}
