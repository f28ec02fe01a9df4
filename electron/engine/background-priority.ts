// Lowers the scheduling priority of the calling thread (a worker doing background work: the ledger's
// writer, the token estimator), so that on a machine with few cores the thread that serves the port and
// the window wins the CPU whenever both want it. Linux only, where a thread has a priority of its own.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice 10: a CFS weight of 110 against a normal thread's 1,024. Still runs whenever a core is free. */
export const BACKGROUND_NICE = 10;

/** The calling thread's kernel id (Linux), or undefined elsewhere. */
export function currentThreadId(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Gives the calling thread a background priority. Best effort: on other systems, or when the kernel
 * refuses, the thread keeps its priority and works as before. Returns whether it was lowered.
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  const tid = currentThreadId();
  // On the main thread the tid is the pid, and setpriority would lower the whole process.
  if (tid === undefined || tid === process.pid) return false;
  try {
    // Linux's setpriority(PRIO_PROCESS, tid) applies to that one thread.
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
