export * from "./arbitrary.ts";
