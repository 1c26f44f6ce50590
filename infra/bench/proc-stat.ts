import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of processes and of the whole machine, from Linux's /proc: what the load part samples at the start
 * and the end of each scenario to say who used the CPU (the local cloud's process, DynamoDB Local's JVM, the
 * load generator, everything else on the machine).
 */

/** /proc's clock ticks a second (`getconf CLK_TCK`): 100 on every Linux Node supports. */
export const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcessStat {
  readonly pid: number;
  /** The executable's name, as the kernel keeps it (at most 15 characters). */
  readonly comm: string;
  readonly ppid: number;
  /** User plus system time, in clock ticks. */
  readonly cpuTicks: number;
}

/**
 * One line of /proc/<pid>/stat. The name is in parentheses and may hold spaces and parentheses itself: the
 * fields after it are counted from the last closing parenthesis.
 */
export function parseProcessStat(line: string): ProcessStat {
  const open = line.indexOf("(");
  const close = line.lastIndexOf(")");
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${line.slice(0, 80)}`);
  // After the name: state(3) ppid(4) pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
  const rest = line
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const field = (n: number) => Number(rest[n - 3]);
  return {
    pid: Number(line.slice(0, open).trim()),
    comm: line.slice(open + 1, close),
    ppid: field(4),
    cpuTicks: field(14) + field(15),
  };
}

/** The first line of /proc/stat: busy and total ticks of every CPU together. */
export function parseMachineStat(text: string): { busyTicks: number; totalTicks: number } {
  const cpu = text.split("\n").find((line) => line.startsWith("cpu "));
  if (!cpu) throw new Error("no cpu line in /proc/stat");
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user and nice.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1, 9).map(Number);
  const busyTicks = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busyTicks, totalTicks: busyTicks + (idle ?? 0) + (iowait ?? 0) };
}

/**
 * /proc/<pid>/schedstat, of the process's main thread (for Node, its event loop): nanoseconds on a CPU and
 * nanoseconds runnable but waiting for one.
 */
export function parseSchedStat(text: string): { runNs: number; waitNs: number } {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  if (run === undefined || wait === undefined || Number.isNaN(run) || Number.isNaN(wait)) {
    throw new Error(`not a schedstat line: ${text.slice(0, 80)}`);
  }
  return { runNs: run, waitNs: wait };
}

export function readSchedStat(pid: number): { runNs: number; waitNs: number } | undefined {
  try {
    return parseSchedStat(readFileSync(`/proc/${pid}/schedstat`, "utf8"));
  } catch {
    return undefined;
  }
}

export function readProcessStat(pid: number): ProcessStat | undefined {
  try {
    return parseProcessStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

export function readMachineStat(): { busyTicks: number; totalTicks: number } {
  return parseMachineStat(readFileSync("/proc/stat", "utf8"));
}

/** The children of a process named `comm` (e.g. the `java` of DynamoDB Local started by the cloud's process). */
export function childrenNamed(parentPid: number, comm: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcessStat(Number(entry));
    if (stat && stat.ppid === parentPid && stat.comm === comm) found.push(stat.pid);
  }
  return found;
}
