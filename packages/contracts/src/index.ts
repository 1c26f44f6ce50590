export * from "./envelope.ts";
export * from "./events.ts";
export * from "./values.ts";
