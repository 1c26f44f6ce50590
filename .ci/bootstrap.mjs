// Runs before `npm start` and `npm test` on whatever Node the machine has (20 or newer):
// checks Java, installs the pinned pnpm when missing, then installs the workspace.
// Everything after it runs on the Node the workspace pins (the `node` devDependency).
import { execSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const root = new URL("..", import.meta.url);
const { packageManager } = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const pnpmVersion = packageManager.replace(/^pnpm@/, "");

const java = spawnSync("java", ["-version"], { stdio: "ignore" });
if (java.error || java.status !== 0) {
  console.error(
    "Java 17 is required for DynamoDB Local and was not found: install it with `apt-get install -y openjdk-17-jre-headless`",
  );
  process.exit(1);
}

const pnpm = spawnSync("pnpm", ["--version"], { encoding: "utf8" });
if (pnpm.error || pnpm.stdout.trim() !== pnpmVersion) {
  console.log(`Installing pnpm ${pnpmVersion} (found ${pnpm.error ? "none" : pnpm.stdout.trim()})…`);
  execSync(`npm install --global pnpm@${pnpmVersion}`, { stdio: "inherit" });
}

const frozen = process.env.CI ? ["--frozen-lockfile"] : [];
const install = spawnSync("pnpm", ["install", ...frozen, "--reporter=append-only"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
});
if (install.status !== 0) process.exit(install.status ?? 1);

// Build-time assets the source needs before it runs or is tested: the report's Japanese font subset.
const fonts = spawnSync("pnpm", ["--filter", "@cdp/reports", "--silent", "run", "fonts"], {
  cwd: root,
  stdio: ["ignore", "inherit", "inherit"],
});
if (fonts.status !== 0) process.exit(fonts.status ?? 1);
