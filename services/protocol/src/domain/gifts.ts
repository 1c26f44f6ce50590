import { BilingualText, IsoDate, IsoDateTime, MissionId, PartnerId, Text } from "@cdp/contracts";
import { type AuditEntry, type Decided, decided, type FieldError, refuse, refused } from "@cdp/lambda-kit/decision";
import * as z from "zod/mini";
import {
  DEFAULT_REGISTRATION_THRESHOLD_YEN,
  type Declaration,
  declarationAudit,
  registrationDueOn,
  Yen,
} from "./gift-declarations.ts";
import type { Stamp } from "./stamp.ts";

export {
  DEFAULT_REGISTRATION_THRESHOLD_YEN,
  Declaration,
  DeclarationInput,
  declareReceipt,
  flagOverdue,
  overdueDeclarations,
  REGISTRATION_DAYS,
  registrationDueOn,
} from "./gift-declarations.ts";

/**
 * The gift register: gifts the Metropolitan Government gives and receives. A received gift worth more than the
 * threshold (strictly above; ¥50,000 unless configured) must be registered within 30 days of receipt.
 *
 * A gift exists only once registered, so the register cannot list what nobody told it about. The receipt is
 * therefore first *declared* (gift-declarations.ts), and registered in full later. Registering late is never
 * refused, since refusing would lose the record: the gift is registered and marked `registeredLate` (day 30
 * after receipt is in time, day 31 late).
 *
 * A private person's name and affiliation are personal data: kept in the register, never in `publicGiftView`,
 * and refused in the gift's public texts.
 */

/** What the public view shows instead of a private giver or recipient. */
export const PRIVATE_INDIVIDUAL: BilingualText = { ja: "個人", en: "Private individual" };

export const GiftDirection = z.enum(["given", "received"]);
export type GiftDirection = z.infer<typeof GiftDirection>;
/** Where a received gift is; a transfer to a museum is final. Gifts given away have none. */
export const Disposition = z.enum(["on-display", "stored", "transferred-to-museum"]);
export type Disposition = z.infer<typeof Disposition>;

export const GiftCounterpart = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("mission"), missionId: MissionId }),
  z.strictObject({ kind: z.literal("partner"), partnerId: PartnerId }),
  /** A private person: personal data. */
  z.strictObject({ kind: z.literal("person"), name: Text(200), affiliation: z.optional(Text(200)) }),
]);
export type GiftCounterpart = z.infer<typeof GiftCounterpart>;

/**
 * An S3 key of the gift's photo under `gifts/`: `gifts/<folder>/<name>.jpg`. Any folder: a photo is usually taken and
 * stored before the gift is registered, when its id is not known yet.
 */
export const PhotoKey = z
  .string()
  .check(
    z.regex(
      /^gifts\/[A-Za-z0-9_-]{1,64}\/[A-Za-z0-9_-]{1,100}\.(jpg|jpeg|png|webp)$/,
      "must be gifts/<folder>/<name>.jpg",
    ),
  );

const giftFacts = {
  direction: GiftDirection,
  counterpart: GiftCounterpart,
  /** The counterpart's name as the register shows it; for a private person the public view replaces it. */
  counterpartLabel: BilingualText,
  occasion: BilingualText,
  /** Given or received on. */
  date: IsoDate,
  description: BilingualText,
  estimatedValueYen: Yen,
  custodian: Text(200),
};

export const GiftInput = z.strictObject({
  ...giftFacts,
  photoKey: z.optional(PhotoKey),
  disposition: z.optional(Disposition),
  /** The declaration this registers, when the receipt was declared first. */
  declarationId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});
export type GiftInput = z.infer<typeof GiftInput>;

/** What may change after registration: the facts (who, when, how much) stay as registered. */
export const GiftPatch = z
  .strictObject({
    counterpartLabel: z.optional(BilingualText),
    occasion: z.optional(BilingualText),
    description: z.optional(BilingualText),
    photoKey: z.optional(z.nullable(PhotoKey)),
    custodian: z.optional(Text(200)),
  })
  .check(z.refine((patch) => Object.keys(patch).length > 0, "names no field to change"));
export type GiftPatch = z.infer<typeof GiftPatch>;

export const Gift = z.object({
  id: z.string(),
  ...giftFacts,
  photoKey: z.nullable(z.string()),
  disposition: z.nullable(Disposition),
  dispositionChangedOn: z.nullable(IsoDate),
  registeredOn: IsoDate,
  registeredLate: z.boolean(),
  declarationId: z.nullable(z.string()),
  version: z.int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Gift = z.infer<typeof Gift>;

/** Registering a declared receipt also closes its declaration, on the version read. */
export interface GiftWrites {
  readonly declaration: {
    readonly state: Declaration;
    readonly expectedVersion: number;
    readonly audit: AuditEntry;
  } | null;
}
export type GiftDecided = Decided<Gift, GiftWrites>;

const audit = (entity: string, action: string, beforeVersion: number | null, afterVersion: number) =>
  ({ entity, action, beforeVersion, afterVersion }) as const;

/** The gift's public texts must not name a private giver: the public view would publish them. */
function personalDataErrors(
  counterpart: GiftCounterpart,
  texts: { readonly occasion?: BilingualText | undefined; readonly description?: BilingualText | undefined },
): FieldError[] {
  if (counterpart.kind !== "person") return [];
  // Compared without case or spaces, so `Yamada Taro` is found in `YAMADA  Taro` and `山田 太郎` in `山田太郎`.
  const normal = (text: string) => text.toLowerCase().replace(/\s+/g, "");
  const personal = [counterpart.name, counterpart.affiliation]
    .flatMap((value) => (value === undefined ? [] : [normal(value)]))
    .filter((value) => value.length >= 2);
  return (["occasion", "description"] as const).flatMap((field) => {
    const text = texts[field];
    const leaks = text && [text.ja, text.en].some((t) => personal.some((p) => normal(t).includes(p)));
    return leaks ? [{ path: `body.${field}`, message: "must not name the private person: it is published" }] : [];
  });
}

export function registerGift(
  input: GiftInput,
  loaded: Declaration | undefined,
  stamp: Stamp,
  thresholdYen = DEFAULT_REGISTRATION_THRESHOLD_YEN,
): GiftDecided {
  // Only the declaration the input names counts: the store loads it by that id.
  const declaration = input.declarationId === undefined ? undefined : loaded;
  if (input.declarationId !== undefined && declaration?.id !== input.declarationId) {
    return refused(refuse.notFound(`Declaration ${input.declarationId}`));
  }
  if (declaration && declaration.status !== "pending") {
    return refused(
      refuse.conflict(`Declaration ${declaration.id} is registered already, as ${declaration.giftId}`, "registered"),
    );
  }
  const id = stamp.newId();
  const received = input.direction === "received";
  const errors: FieldError[] = [...personalDataErrors(input.counterpart, input)];
  if (input.date > stamp.today) errors.push({ path: "body.date", message: "must not be after today" });
  if (received !== (input.disposition !== undefined)) {
    const message = received ? "a received gift needs one" : "a gift given away has none";
    errors.push({ path: "body.disposition", message });
  }
  if (declaration) {
    if (!received) errors.push({ path: "body.direction", message: "a declaration is of a received gift" });
    // The declared date stands: a registration cannot move the receipt, and with it the deadline.
    if (input.date !== declaration.receivedOn) {
      errors.push({ path: "body.date", message: `the declaration says received on ${declaration.receivedOn}` });
    }
  }
  if (errors.length > 0) return refused(refuse.invalid(errors));
  const at = stamp.now.toISOString();
  const { declarationId, photoKey, disposition, ...facts } = input;
  const gift: Gift = {
    id,
    ...facts,
    photoKey: photoKey ?? null,
    disposition: disposition ?? null,
    dispositionChangedOn: disposition ? stamp.today : null,
    registeredOn: stamp.today,
    registeredLate: received && input.estimatedValueYen > thresholdYen && stamp.today > registrationDueOn(input.date),
    declarationId: declarationId ?? null,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  return decided({
    state: gift,
    expectedVersion: null,
    events: [],
    audit: audit(`gift#${id}`, gift.registeredLate ? "gift.registered-late" : "gift.registered", null, 1),
    declaration: declaration
      ? {
          state: { ...declaration, status: "registered", giftId: id, version: declaration.version + 1, updatedAt: at },
          expectedVersion: declaration.version,
          audit: declarationAudit(declaration.id, "registered", declaration.version, declaration.version + 1),
        }
      : null,
  });
}

const staleRefusal = (gift: Gift, expectedVersion: number | undefined) =>
  expectedVersion !== undefined && expectedVersion !== gift.version ? refuse.stale(gift.version) : undefined;

/** The gift's next version, written on the version read. */
function nextVersion(gift: Gift, changes: Partial<Gift>, action: string, stamp: Stamp): GiftDecided {
  const state: Gift = { ...gift, ...changes, version: gift.version + 1, updatedAt: stamp.now.toISOString() };
  const entry = audit(`gift#${gift.id}`, `gift.${action}`, gift.version, state.version);
  return decided({ state, expectedVersion: gift.version, events: [], audit: entry, declaration: null });
}

export function editGift(
  gift: Gift | undefined,
  command: { patch: GiftPatch; expectedVersion?: number | undefined },
  stamp: Stamp,
): GiftDecided {
  if (!gift) return refused(refuse.notFound("Gift"));
  const stale = staleRefusal(gift, command.expectedVersion);
  if (stale) return refused(stale);
  const { photoKey, ...texts } = command.patch;
  const errors = personalDataErrors(gift.counterpart, texts);
  if (errors.length > 0) return refused(refuse.invalid(errors));
  // Absent keeps a field; a null photoKey removes the photo.
  const changes = Object.fromEntries(Object.entries(texts).filter(([, value]) => value !== undefined));
  return nextVersion(gift, { ...changes, ...(photoKey !== undefined && { photoKey }) }, "edited", stamp);
}

/** On display and stored swap freely; either may go to a museum, which is final. */
export function changeDisposition(
  gift: Gift | undefined,
  command: { disposition: Disposition; expectedVersion?: number | undefined },
  stamp: Stamp,
): GiftDecided {
  if (!gift) return refused(refuse.notFound("Gift"));
  const stale = staleRefusal(gift, command.expectedVersion);
  if (stale) return refused(stale);
  if (gift.disposition === null) {
    return refused(refuse.invalid([{ path: "body.disposition", message: "a gift given away has none" }]));
  }
  if (gift.disposition === "transferred-to-museum") {
    return refused(refuse.conflict(`Gift ${gift.id} has been transferred to a museum`, gift.disposition));
  }
  if (gift.disposition === command.disposition) {
    return refused(refuse.conflict(`Gift ${gift.id} is ${gift.disposition} already`, gift.disposition));
  }
  const changes = { disposition: command.disposition, dispositionChangedOn: stamp.today };
  return nextVersion(gift, changes, "disposition-changed", stamp);
}

/**
 * The register as anyone may read it. A private person appears only as `個人 / Private individual`: no name,
 * no affiliation, and not the register's own label (which names them). The custodian, the declaration and
 * the version are the office's business and stay out too.
 */
export function publicGiftView(gift: Gift) {
  const isPerson = gift.counterpart.kind === "person";
  return {
    id: gift.id,
    direction: gift.direction,
    counterpart: isPerson ? { kind: "person" as const } : gift.counterpart,
    counterpartLabel: isPerson ? PRIVATE_INDIVIDUAL : gift.counterpartLabel,
    occasion: gift.occasion,
    date: gift.date,
    description: gift.description,
    estimatedValueYen: gift.estimatedValueYen,
    photoKey: gift.photoKey,
    disposition: gift.disposition,
    dispositionChangedOn: gift.dispositionChangedOn,
    registeredOn: gift.registeredOn,
    registeredLate: gift.registeredLate,
  };
}
export type PublicGift = ReturnType<typeof publicGiftView>;
