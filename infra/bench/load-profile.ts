import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";

/**
 * Where a process spends its CPU, from a V8 CPU profile of it: self time by origin (an npm package, a workspace
 * package or service, Node's internals, V8's garbage collector) and the functions with the most self time. The
 * load part asks its local cloud for one per scenario when `BENCH_LOAD_PROFILE` is set; profiling slows the
 * process, so those runs' figures are not the headline ones.
 */

/** The parts of V8's `Profiler.Profile` read here. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
    readonly hitCount?: number;
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface Hotspot {
  readonly name: string;
  readonly ms: number;
  /** Of the busy time (idle left out). */
  readonly share: number;
}

export interface Hotspots {
  readonly profiledMs: number;
  readonly idleMs: number;
  /** Self time by the code that asked for it: the nearest caller in a package or service of its own. */
  readonly origins: readonly Hotspot[];
  /** Self time by function, each with the origin it is counted under. */
  readonly functions: readonly Hotspot[];
}

const V8_BUILTINS = "V8 built-ins";
const NODE_INTERNALS = "node internals";

/** `@aws-sdk/client-dynamodb`, `@cdp/lambda-kit`, `service visit-scheduling`, `node internals`, … */
export function originOf(url: string, functionName: string): string {
  if (functionName === "(garbage collector)") return "V8 garbage collector";
  if (functionName === "(program)") return "V8 (program)";
  if (functionName === "(idle)") return "(idle)";
  if (url === "") return V8_BUILTINS;
  if (url.startsWith("node:")) return NODE_INTERNALS;
  const inModules = url.lastIndexOf("/node_modules/");
  if (inModules >= 0) {
    const [first, second] = url.slice(inModules + "/node_modules/".length).split("/");
    return first?.startsWith("@") ? `${first}/${second}` : (first ?? url);
  }
  const workspace = /\/(packages|services|infra|test)\/([^/]+)\//.exec(url);
  if (workspace?.[1] === "packages") return `@cdp/${workspace[2]}`;
  if (workspace?.[1] === "services") return `service ${workspace[2]}`;
  if (workspace?.[1] === "infra") return "infra";
  return url;
}

function shortPlace(url: string, line: number): string {
  if (url === "") return "(native)";
  const inModules = url.lastIndexOf("/node_modules/");
  const tail =
    inModules >= 0
      ? url.slice(inModules + "/node_modules/".length)
      : url.replace(/^file:\/\/.*?\/(packages|services|infra)\//, "$1/");
  return `${tail}:${line + 1}`;
}

/**
 * Self time by origin and by function, from each node's hit count spread over the profile's duration. V8's
 * built-ins and Node's internals do work for a caller (a socket write for the gateway, a JSON.parse for the SDK):
 * their time is counted under the nearest caller that is neither.
 */
export function summarizeProfile(profile: CpuProfile, top = 12): Hotspots {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const attributed = new Map<number, string>();
  const attributedOrigin = (id: number): string => {
    const known = attributed.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const own = node ? originOf(node.callFrame.url, node.callFrame.functionName) : NODE_INTERNALS;
    const parent = parentOf.get(id);
    const parentNode = parent === undefined ? undefined : byId.get(parent);
    const passesOn =
      (own === V8_BUILTINS || own === NODE_INTERNALS) && parentNode && parentNode.callFrame.functionName !== "(root)";
    const origin = passesOn && parent !== undefined ? attributedOrigin(parent) : own;
    attributed.set(id, origin);
    return origin;
  };

  const hits = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
  const profiledMs = (profile.endTime - profile.startTime) / 1000;
  const msPerHit = hits > 0 ? profiledMs / hits : 0;
  const origins = new Map<string, number>();
  const functions = new Map<string, number>();
  let idleMs = 0;
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * msPerHit;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const origin = attributedOrigin(node.id);
    if (origin === "(idle)") {
      idleMs += ms;
      continue;
    }
    origins.set(origin, (origins.get(origin) ?? 0) + ms);
    const name = `${functionName || "(anonymous)"} ${shortPlace(url, lineNumber)} [${origin}]`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
  }
  const busyMs = profiledMs - idleMs;
  const ranked = (entries: Map<string, number>) =>
    [...entries]
      .map(([name, ms]) => ({ name, ms, share: busyMs > 0 ? ms / busyMs : 0 }))
      .sort((a, b) => b.ms - a.ms || (a.name < b.name ? -1 : 1))
      .slice(0, top);
  return { profiledMs, idleMs, origins: ranked(origins), functions: ranked(functions) };
}

export interface StartedProfile {
  /** Stops profiling; writes the whole profile to `file` when given (open it in Chrome's DevTools). */
  stop(file?: string): Promise<Hotspots>;
}

/** Profiles this process's main thread from now on, sampling every 1 ms. */
export async function startProfile(): Promise<StartedProfile> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 1000 });
  await session.post("Profiler.start");
  return {
    stop: async (file) => {
      const { profile } = await session.post("Profiler.stop");
      session.disconnect();
      if (file) writeFileSync(file, JSON.stringify(profile));
      return summarizeProfile(profile as CpuProfile);
    },
  };
}
