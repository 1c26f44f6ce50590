import type { Language, NationalDayGreetingDetail, PartnerContact } from "@cdp/contracts";
import { composeEmail, type RenderedEmail, type Section } from "./notice-email.ts";

/**
 * A mission's national-day greeting, as the protocol office wrote (and its reviewer approved) it: the subject and
 * the message in both languages, the contact's language first, addressed to the contact by name. Nothing is added
 * to the text but the salutation: the governor's office has reviewed the words.
 */
export function renderGreetingNotice(input: {
  readonly greeting: Pick<NationalDayGreetingDetail, "subject" | "message" | "nationalDay">;
  readonly contact: Pick<PartnerContact, "name" | "preferredLanguage">;
}): RenderedEmail {
  const { greeting, contact } = input;
  const sectionIn = (language: Language): Section => ({
    heading: greeting.subject[language],
    lines: [
      language === "ja" ? `${contact.name.ja} 様` : `Dear ${contact.name.en},`,
      ...greeting.message[language].split(/\r?\n/).filter((line) => line.trim() !== ""),
    ],
  });
  return composeEmail(
    contact.preferredLanguage,
    { ja: sectionIn("ja"), en: sectionIn("en") },
    { start: greeting.nationalDay, end: greeting.nationalDay },
  );
}
