export * from "./calendar.ts";
export * from "./catalogue.ts";
export * from "./envelope.ts";
export * from "./events.ts";
export * from "./fund-ledger.ts";
export * from "./staff-exchange.ts";
export * from "./values.ts";
