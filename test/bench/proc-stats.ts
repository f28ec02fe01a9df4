// What the benches read from /proc (Linux): resident memory and CPU time of a process (all its threads)
// or of one thread. CPU time is what a busy machine distorts least, so per-request costs are read here.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second in /proc's utime/stime (USER_HZ: 100 on every Linux build the benches run on). */
const TICKS_PER_S = 100;

/** utime + stime of a /proc stat line, in ms (the fields after the command name, which may hold spaces). */
function statCpuMs(text: string): number {
  const fields = text.slice(text.lastIndexOf(') ') + 2).split(' ');
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

/** The ids of this process's threads now. */
export function threadIds(): number[] {
  return readdirSync('/proc/self/task').map(Number);
}

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}
