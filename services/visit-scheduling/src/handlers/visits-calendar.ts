import { httpHandler } from "@cdp/lambda-kit";
import { visitsCalendar } from "../api.ts";
import { visitsToICalendar } from "../domain/calendar.ts";
import { options, scheduling } from "./shared.ts";

export const handler = httpHandler(
  visitsCalendar,
  async ({ query }) => {
    const visits = await scheduling.visits.calendar(query);
    const content = visitsToICalendar(visits, {
      now: new Date(),
      uidDomain: "city-diplomacy.metro.tokyo.lg.jp",
      calendarName: "Tokyo city diplomacy — visits / 東京都 都市外交 訪問予定",
    });
    return {
      status: 200,
      text: { contentType: "text/calendar; charset=utf-8", content },
      headers: { "content-disposition": 'inline; filename="visits.ics"' },
    };
  },
  options,
);
