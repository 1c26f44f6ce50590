import { startRunCloud } from "./local-cloud-setup.ts";

/**
 * The fuzzing suite's cloud: no seed data (every case makes or names what it is about, and a route answers an
 * empty platform as it answers a full one: never a 5xx), and warnings only in its log (no test reads it). Both
 * spare the run what it does not check: the seed's events, and a log line per request.
 */
export default function setup(): Promise<() => Promise<void>> {
  return startRunCloud({ seed: false, logLevel: "WARN" });
}
