// What the benches read from /proc (Linux): resident memory and CPU time of a process (all its threads)
// or of one thread. CPU time is what a busy machine distorts least, so per-request costs are read here.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second in /proc's utime/stime (USER_HZ: 100 on every Linux build the benches run on). */
const TICKS_PER_S = 100;

/** The fields of a /proc stat line after the command name (which may hold spaces): [0] is the state. */
const statFields = (text: string): string[] => text.slice(text.lastIndexOf(') ') + 2).split(' ');

/** utime + stime of a /proc stat line, in ms. */
function statCpuMs(text: string): number {
  const fields = statFields(text);
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** CPU time (user + system) of every thread of the process so far, in ms; NaN once it is gone. */
export function cpuMs(pid: number | 'self'): number {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
}

/** CPU time of one thread of this process, in ms (the main thread's id is the process id). */
export function threadCpuMs(tid: number): number {
  try {
    return statCpuMs(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
}

/** CPU time of one thread (`tid`) of another process `pid`, in ms; NaN once it is gone. */
export function taskCpuMs(pid: number, tid: number): number {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
}

/**
 * CPU time of a process and its children, in ms: its own, its exited children's (cutime + cstime,
 * added once it has reaped them) and its live children's. For a server that forks a process per
 * connection (PostgreSQL), where backends come and go between two readings.
 */
export function treeCpuMs(pid: number): number {
  let own: string[];
  try {
    own = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return NaN;
  }
  let ms = ((Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])) * 1000) / TICKS_PER_S;
  const parent = String(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile: its time is in the parent's cutime once reaped
    }
    if (statFields(text)[1] === parent) ms += statCpuMs(text);
  }
  return ms;
}

/** The nice value of one thread of this process (field 19 of its stat line); NaN once it is gone. */
export function threadNice(tid: number): number {
  try {
    return Number(statFields(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'))[16]);
  } catch {
    return NaN;
  }
}

/** The ids of this process's threads now. */
export function threadIds(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}

/** A process's resident memory (MB), and how much of it is file pages: its executable's and libraries' code and data. */
export interface Resident {
  rss: number;
  file: number;
}

export function residentMb(pid: number): Resident {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
    return { rss: kb('VmRSS'), file: kb('RssFile') };
  } catch {
    return { rss: NaN, file: NaN };
  }
}
