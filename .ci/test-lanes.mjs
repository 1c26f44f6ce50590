// `npm test`'s turbo tasks in two lanes of about equal length, one task at a time in each, so the two cores stay busy
// to the end: turbo's own scheduling (two at a time, in its order) started the end-to-end suites minutes in and left
// one core idle at the end, for a minute more in all. Measured lengths: the e2e suites ~390 s and the ledger's tests
// ~195 s (lane 1); the fuzz suite ~240 s, lint, the type check and every other package's tests ~330 s (lane 2).
import { spawn } from "node:child_process";

const turbo = (...args) => ["turbo", "run", ...args, "--concurrency=1"];
const lanes = [
  [turbo("test", "--filter=@cdp/e2e", "--filter=@cdp/fund-ledger")],
  [turbo("test:fuzz", "lint", "typecheck"), turbo("test", "--filter=!@cdp/e2e", "--filter=!@cdp/fund-ledger")],
];

function run([command, ...args]) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/** A lane runs its commands in turn and stops at the first that fails; the run fails if either lane does. */
async function lane(commands) {
  for (const command of commands) {
    const code = await run(command);
    if (code !== 0) return code;
  }
  return 0;
}

const codes = await Promise.all(lanes.map(lane));
process.exit(codes.find((code) => code !== 0) ?? 0);
