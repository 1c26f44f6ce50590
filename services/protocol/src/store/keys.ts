/**
 * Single-table layout of the protocol office.
 *
 * | item                         | pk                      | sk            | gsi1pk / gsi1sk                          |
 * |------------------------------|-------------------------|---------------|------------------------------------------|
 * | mission                      | MISSION#<id>            | MISSION       | MISSIONS / <country>#<id>                |
 * | courtesy call (public part)  | CALL#<id>               | CALL          | CALLS#<yyyy-mm> / <startsAt>#<id>        |
 * | its visitors (personal data) | CALL#<id>               | VISITORS      |                                          |
 * | the governor's calls, a day  | GOVERNOR#DAY#<date>     | CALLS         |                                          |
 * | the governor's days abroad   | GOVERNOR#ABROAD         | SPELLS        |                                          |
 * | hospitality record           | HOSPITALITY#<id>        | HOSPITALITY   | HOSPITALITY#<yyyy-mm> / <date>#<id>      |
 * | gift declaration             | DECLARATION#<id>        | DECLARATION   | DECLARATIONS#<status> / <receivedOn>#<id> |
 * | gift (the register)          | GIFT#<id>               | GIFT          | GIFTS#<yyyy> / <date>#<id>               |
 * | national-day greeting        | GREETING#<missionId-yr> | GREETING      | GREETINGS#<yyyy> / <nationalDay>#<id>    |
 *
 * Two locks keep the governor's time: a call on the governor writes each day it touches (`GOVERNOR#DAY#<date>`,
 * on the version read), and checks the days abroad (`GOVERNOR#ABROAD`, on the version read), which the visit
 * events change. Months and years partition the lists, so a period reads only its own partitions.
 */
export const missionKey = (id: string) => ({ pk: `MISSION#${id}`, sk: "MISSION" });
export const MISSIONS_INDEX = "MISSIONS";

export const callKey = (id: string) => ({ pk: `CALL#${id}`, sk: "CALL" });
export const callVisitorsKey = (id: string) => ({ pk: `CALL#${id}`, sk: "VISITORS" });
export const callsIndex = (yearMonth: string) => `CALLS#${yearMonth}`;

export const governorDayKey = (date: string) => ({ pk: `GOVERNOR#DAY#${date}`, sk: "CALLS" });
export const ABROAD_KEY = { pk: "GOVERNOR#ABROAD", sk: "SPELLS" } as const;

export const hospitalityKey = (id: string) => ({ pk: `HOSPITALITY#${id}`, sk: "HOSPITALITY" });
export const hospitalityIndex = (yearMonth: string) => `HOSPITALITY#${yearMonth}`;

export const declarationKey = (id: string) => ({ pk: `DECLARATION#${id}`, sk: "DECLARATION" });
export const declarationsIndex = (status: "pending" | "registered") => `DECLARATIONS#${status}`;

export const giftKey = (id: string) => ({ pk: `GIFT#${id}`, sk: "GIFT" });
export const giftsIndex = (year: string) => `GIFTS#${year}`;

export const greetingKey = (greetingId: string) => ({ pk: `GREETING#${greetingId}`, sk: "GREETING" });
export const greetingsIndex = (year: number | string) => `GREETINGS#${year}`;
