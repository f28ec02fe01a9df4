// Background threads at a lower priority (Linux): the ledger's writer thread runs at nice 10 once it
// starts, while the main thread, which serves the port, keeps its priority.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { threadIds, threadNice } from '../../test/bench/proc-stats';
import { requestRow } from '../../test/support/request-rows';
import { BACKGROUND_NICE, currentThreadId, lowerThreadPriority } from './background-priority';
import { openLedger } from './ledger/ledger';
import type { Ledger } from './ledger/types';

const linux = process.platform === 'linux';
if (!linux) console.log('background-priority.test.ts: thread priorities are Linux only; skipped here');

/** Each thread of this process with its nice value. */
const threadNices = (): Map<number, number> => new Map(threadIds().map((tid) => [tid, threadNice(tid)]));

const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const ledger of ledgers.splice(0)) await ledger.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!linux)('background thread priority', () => {
  it('knows the main thread by its id, and never lowers it (that would lower the whole process)', () => {
    expect(currentThreadId()).toBe(process.pid);
    const before = os.getPriority(process.pid);
    expect(lowerThreadPriority()).toBe(false);
    expect(os.getPriority(process.pid)).toBe(before);
  });

  it("runs the ledger's writer thread at a background priority, and leaves the main thread's alone", async () => {
    const before = threadNices();
    const mainNice = before.get(process.pid);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-priority-'));
    dirs.push(dir);
    const ledger = openLedger(dir);
    ledgers.push(ledger);
    ledger.record(requestRow());
    await ledger.flush(); // the writer thread starts with the first batch

    const started = [...threadNices()].filter(([tid]) => !before.has(tid));
    expect(started.length).toBeGreaterThan(0);
    expect(started.map(([, nice]) => nice)).toContain(BACKGROUND_NICE);
    expect(threadNices().get(process.pid)).toBe(mainNice);
  });
});
