import { describe, expect, it } from "vitest";
import { parseMachineStat, parseProcessStat, parseSchedStat } from "./proc-stat.ts";

describe("/proc", () => {
  it("reads a process's parent and CPU ticks after its name, even one with spaces and parentheses", () => {
    const line =
      "4242 (my (odd) name) S 17 4242 4242 0 -1 4194560 1234 0 0 0 250 75 0 0 20 0 11 0 5000 1000000 2000 " +
      "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
    expect(parseProcessStat(line)).toEqual({ pid: 4242, comm: "my (odd) name", ppid: 17, cpuTicks: 325 });
  });

  it("counts the machine's busy ticks without idle and iowait", () => {
    const text = "cpu  100 5 50 1000 20 3 2 1 0 0\ncpu0 50 2 25 500 10 1 1 0 0 0\nintr 1\n";
    expect(parseMachineStat(text)).toEqual({ busyTicks: 161, totalTicks: 1181 });
  });

  it("reads a thread's time on a CPU and waiting for one", () => {
    expect(parseSchedStat("611186360 50818371 147\n")).toEqual({ runNs: 611186360, waitNs: 50818371 });
    expect(() => parseSchedStat("")).toThrow(/schedstat/);
  });

  it("refuses what is not a stat line", () => {
    expect(() => parseProcessStat("nonsense")).toThrow(/not a \/proc/);
  });
});
