import { randomUUID } from "node:crypto";
import { tokyoDate } from "@cdp/contracts";
import type { WriteContext } from "@cdp/lambda-kit";
import type { Stamp } from "./domain/stamp.ts";

/** The stamp a use case decides with: the write's time, its Tokyo date, and random ids. */
export function stampOf(context: WriteContext): Stamp {
  return { now: context.now, today: tokyoDate(context.now), newId: randomUUID };
}
