import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { startLocalCloud } from "@cdp/local-cloud/cloud";
import { services } from "../services.ts";
import { benchManifest } from "./bench-manifest.ts";
import { type StartedProfile, startProfile } from "./load-profile.ts";
import type { CloudReply, CloudRequest, CloudWindow } from "./load-protocol.ts";

/**
 * The local cloud of the load part, in a process of its own as `npm start` runs it: every service of the platform
 * plus the bench's bare route, with the seed, on free ports, the dev issuer's key in `LOCAL_ISSUER_KEY_FILE`. The
 * benchmark (its parent, over IPC) marks the start and the end of each scenario; the answer to an end mark is what
 * this process saw in between: its CPU time, how busy its event loop was and how late its timers ran, and, when
 * asked, a CPU profile. Its stdout and stderr (the functions' log lines) go where the parent sent them.
 *
 * Run by `load-bench.ts` as `node --import tsx load-cloud.ts`.
 */

const send = (reply: CloudReply) => process.send?.(reply);

const keyFile = process.env.LOCAL_ISSUER_KEY_FILE;
if (!keyFile) throw new Error("LOCAL_ISSUER_KEY_FILE is not set");
const cloud = await startLocalCloud({
  services: [...services, benchManifest],
  ports: { api: 0, events: 0, dynamodb: 0, ses: 0, s3: 0 },
  seed: true,
  issuerKeyFile: keyFile,
});

let stopping: Promise<void> | undefined;
const stop = (code: number) => {
  stopping ??= cloud
    .stop()
    .catch((error: unknown) => console.error("[load-cloud] stop failed:", error))
    .finally(() => process.exit(code));
  return stopping;
};
process.once("SIGTERM", () => void stop(0)).once("SIGINT", () => void stop(0));
// The benchmark died or let go: nothing is left to serve.
process.once("disconnect", () => void stop(0));

try {
  await cloud.ready;
} catch (error) {
  send({ type: "failed", error: error instanceof Error ? error.message : String(error) });
  await stop(1);
}

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
let windowStart = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
let profile: StartedProfile | undefined;

/** What this process did since the last mark. */
function closeWindow(): CloudWindow {
  const elu = performance.eventLoopUtilization(windowStart.elu);
  const cpu = process.cpuUsage(windowStart.cpu);
  const window: CloudWindow = {
    seconds: (performance.now() - windowStart.at) / 1000,
    eventLoopUtilization: elu.utilization,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loopDelayMs: {
      p50: delay.percentile(50) / 1e6,
      p99: delay.percentile(99) / 1e6,
      max: delay.max / 1e6,
    },
  };
  delay.reset();
  windowStart = { elu: performance.eventLoopUtilization(), cpu: process.cpuUsage(), at: performance.now() };
  return window;
}

async function handle(request: CloudRequest): Promise<CloudReply> {
  switch (request.type) {
    case "mark": {
      const window = closeWindow();
      const hotspots = profile ? await profile.stop(request.profileFile) : undefined;
      profile = request.profile ? await startProfile() : undefined;
      // The window closed before the profile was handled: its figures are the scenario's alone.
      return { type: "window", id: request.id, window, ...(hotspots && { hotspots }) };
    }
    case "settle": {
      const started = performance.now();
      await cloud.settle();
      return { type: "settled", id: request.id, ms: performance.now() - started };
    }
  }
}

process.on("message", (message: CloudRequest) => {
  handle(message).then(send, (error: unknown) =>
    send({ type: "failed", id: message.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
send({ type: "ready", api: cloud.endpoints.api, pid: process.pid });
