/**
 * Calendar arithmetic on `YYYY-MM-DD` strings: a visit's dates are calendar days, not instants. Shared by every
 * service that plans in days (@cdp/contracts).
 */
export { addDays, daysBetween, eachDay } from "@cdp/contracts";
