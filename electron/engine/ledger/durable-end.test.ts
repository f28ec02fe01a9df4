// A response ends only once its row is on disk (Ledger.record's `logged`, RequestMeter.finish's `end`):
// a client that saw its answer complete finds the row even if the process is killed right after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestMeter } from '../accounting';
import { Catalog } from '../catalog/catalog';
import { openLedger } from './ledger';
import { orphanedRows } from './row-log';
import type { Ledger, RequestRecord } from './types';

const dirs: string[] = [];
const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function open(): { dir: string; ledger: Ledger } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-durable-end-'));
  dirs.push(dir);
  const ledger = openLedger(dir, { flushDelayMs: 60_000 });
  ledgers.push(ledger);
  return { dir, ledger };
}
/** Resolves after the ledger's end-of-turn row-log write (a setImmediate queued before this one). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Ids of the rows in the row log as the file stands now (what a restart after a kill would commit). */
const loggedIds = (dir: string) => orphanedRows(dir, () => true).rows.map((r) => r.id);

const target = {
  provider: { id: 'openai', kind: 'openai' as const, models: [{ id: 'gpt-4o-mini' }] },
  model: 'gpt-4o-mini',
} as unknown as Parameters<RequestMeter['attempted']>[0];
const usage = { inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
const ok = {
  status: 'ok' as const,
  httpStatus: 200,
  target,
  attempts: [{ provider: 'openai', model: 'gpt-4o-mini', status: 200, durationMs: 3 }],
  usage,
};

describe('a response ends after its row is on disk', () => {
  const meterOf = (ledger: Ledger) => new RequestMeter(ledger, new Catalog(), 'port', 'cursor', null);
  /** A request that has sent its first attempt, as every routed one has by the time it finishes. */
  const inFlight = (ledger: Ledger) => {
    const meter = meterOf(ledger);
    meter.attempted(target);
    return meter;
  };

  it('ends the only request in flight at once, its row already in the row log and its listeners told', () => {
    const { dir, ledger } = open();
    const order: string[] = [];
    ledger.onRecord((row: RequestRecord) => order.push(`listener ${row.id}`));
    const meter = inFlight(ledger);
    meter.finish(ok, () => {
      expect(loggedIds(dir)).toEqual([meter.id]);
      order.push('end');
    });
    // No other answer could join its write: nothing to wait for.
    expect(order).toEqual([`listener ${meter.id}`, 'end']);
  });

  it('with other requests in flight, ends a response at the end of the turn, once its row is in the row log', async () => {
    const { dir, ledger } = open();
    const order: string[] = [];
    ledger.onRecord((row: RequestRecord) => order.push(`listener ${row.id}`));
    const other = inFlight(ledger);
    const meter = inFlight(ledger);
    meter.finish(ok, () => {
      expect(loggedIds(dir)).toEqual([meter.id]);
      order.push('end');
    });
    expect(order).toEqual([`listener ${meter.id}`]); // the listeners hear at once; the end waits for the disk
    await nextTurn();
    expect(order).toEqual([`listener ${meter.id}`, 'end']);
    other.finish(ok); // the last one in flight: written at once
    expect(loggedIds(dir)).toEqual([meter.id, other.id]);
  });

  it('writes the rows of the requests finishing in one turn together, and ends each response after that write', async () => {
    const { dir, ledger } = open();
    const meters = Array.from({ length: 5 }, () => inFlight(ledger));
    const seenAtEnd: string[][] = [];
    // The last to finish is the only one left in flight: it writes the turn's rows, its own with them.
    for (const meter of meters) meter.finish(ok, () => seenAtEnd.push(loggedIds(dir)));
    const ids = meters.map((m) => m.id);
    expect(seenAtEnd).toEqual(ids.map(() => ids));
    await nextTurn();
    expect(seenAtEnd).toEqual(ids.map(() => ids));
  });

  it('ends exactly once: for a meter already recorded, and when recording throws', async () => {
    const { ledger } = open();
    const other = inFlight(ledger); // keeps the end at the turn's end
    const meter = inFlight(ledger);
    let ends = 0;
    meter.finish(ok, () => ends++);
    meter.finish({ status: 'cancelled', httpStatus: 499, attempts: [] }, () => ends++);
    expect(ends).toBe(1); // the second finish records nothing but still ends its response, at once
    await nextTurn();
    expect(ends).toBe(2);
    other.finish(ok);

    const broken = {
      ...ledger,
      record: () => {
        throw new Error('disk on fire');
      },
    } as Ledger;
    const failing = meterOf(broken);
    let failingEnds = 0;
    expect(() => failing.finish(ok, () => failingEnds++)).toThrow('disk on fire');
    expect(failingEnds).toBe(1);
    await nextTurn();
    expect(failingEnds).toBe(1);
  });

  it('does not hold a response for a row whose tokens are still being counted', () => {
    const { dir, ledger } = open();
    const meter = new RequestMeter(ledger, new Catalog(), 'port', 'cursor', null);
    meter.body = { model: 'm', messages: [{ role: 'user', content: 'count me' }] };
    meter.attempted(target);
    let ended = false;
    // No usage reported: the row waits for the tokenizer thread, the response does not.
    meter.finish({ ...ok, usage: null }, () => (ended = true));
    expect(ended).toBe(true);
    expect(loggedIds(dir)).toEqual([]);
  });
});
