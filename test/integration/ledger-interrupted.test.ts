// Requests in flight survive a crash as rows: SIGKILL a real `switchboard serve` (the built CLI) while
// streams from a slow upstream are in flight, restart it on the same data dir, and every request that
// reached the upstream has a row: `ok` for those that finished, `interrupted` (with an input estimate)
// for those cut by the kill. The file passes `PRAGMA integrity_check` before and after the restart.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLUSH_DELAY_MS } from '../../electron/engine/ledger/ledger';
import { openSettings } from '../../electron/engine/settings/settings-store';
import { createClientToken } from '../../electron/engine/settings/tokens';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { assertBuilt, startServeProcess, type ServeProcess } from '../support/cli';

const REQUESTS = 40;
const WORKERS = 10;
/** A request that reached the upstream this long before the kill must have its journal entry on disk (a flush delay and its write). */
const GRACE_MS = FLUSH_DELAY_MS + 250;
/** Upper bound on waiting for the load to reach the state the kill needs. */
const LOAD_MS = 20_000;

let fake: OpenAIFake;
let dataDir: string;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  assertBuilt();
  fake = await startOpenAIFake({
    reply: 'a slow reply in ten short chunks of text',
    chunks: 10,
    apiKey: 'crash-key',
    models: ['m1'],
    record: false,
  });
  dataDir = mkdtempSync(join(tmpdir(), 'sb-interrupted-'));
}, 30_000);

afterAll(async () => {
  if (serve && serve.child.exitCode === null && serve.child.signalCode === null) serve.child.kill('SIGKILL');
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Row {
  requested_model: string;
  status: string;
  input_tokens: number;
  usage_estimated: number;
  provider: string | null;
  model: string | null;
}

function readLedger(): { integrity: unknown; rows: Row[]; open: number } {
  const db = new Database(join(dataDir, 'ledger.db'));
  try {
    return {
      integrity: db.prepare('PRAGMA integrity_check').all(),
      rows: db.prepare('SELECT requested_model, status, input_tokens, usage_estimated, provider, model FROM requests').all() as Row[],
      open: Number((db.prepare('SELECT COUNT(*) AS n FROM requests_open').get() as { n: number }).n),
    };
  } finally {
    db.close();
  }
}

/** Journal entries in the ledger now (read while the server writes: WAL lets a reader in). */
function journaled(): number {
  if (!existsSync(join(dataDir, 'ledger.db'))) return 0;
  const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM requests_open').get() as { n: number }).n);
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
}

describe('requests in flight at a crash', () => {
  it('are recorded as interrupted after a restart, next to the ones that finished', async () => {
    // One route per request, so each row names the request it belongs to (its requested model).
    const configFile = join(dataDir, 'config.json');
    writeFileSync(
      configFile,
      JSON.stringify({
        providers: [
          {
            id: 'acme',
            kind: 'openai-compatible',
            baseUrl: fake.url,
            keys: [{ env: 'CRASH_KEY' }],
            models: [{ id: 'm1', price: { input: 1, output: 2 } }],
          },
        ],
        routes: Array.from({ length: REQUESTS }, (_, i) => ({ name: `r${i}`, targets: [{ provider: 'acme', model: 'm1' }] })),
      }),
    );
    const { token, record } = createClientToken('loadgen');
    const settings = openSettings(dataDir);
    settings.addToken(record);
    settings.close();
    const args = ['--data-dir', dataDir, '--config', configFile];
    const env = { CRASH_KEY: 'crash-key' };

    // Every third request streams fast and finishes; the rest stream slowly and are in flight at the kill.
    const arrivedAt = new Map<number, number>();
    fake.faultBy((_n, body) => {
      const i = Number(/request (\d+)/.exec(String(body?.messages?.[0]?.content))?.[1]);
      arrivedAt.set(i, Date.now());
      return i % 3 === 0 ? null : { chunkDelayMs: 2_000 };
    });
    serve = await startServeProcess(args, env);
    const url = serve.url;
    const finished = new Set<number>();
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        try {
          const res = await fetch(`${url}/v1/chat/completions`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({
              model: `r${i}`,
              stream: true,
              messages: [{ role: 'user', content: `request ${i}: tell me something` }],
            }),
          });
          if (res.status === 200 && (await res.text()).includes('[DONE]')) finished.add(i);
        } catch {
          // cut by the kill
        }
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, worker));
    // Kill once every worker holds a slow stream and some fast ones have finished (bounded).
    const until = Date.now() + LOAD_MS;
    const slowInFlight = () => [...arrivedAt.keys()].filter((i) => i % 3 !== 0 && !finished.has(i)).length;
    while ((slowInFlight() < WORKERS || finished.size < 3) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, GRACE_MS));
    // The journal is written by the ledger's batch timer on the writer thread: on a loaded machine that
    // can take longer than the grace, so the kill waits (bounded) until the slow streams are journaled.
    while (journaled() < slowInFlight() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const killAt = Date.now();
    serve.child.kill('SIGKILL');
    await load;
    await new Promise<void>((resolve) =>
      serve!.child.exitCode !== null || serve!.child.signalCode !== null ? resolve() : serve!.child.once('exit', () => resolve()),
    );
    expect(serve.child.signalCode).toBe('SIGKILL');

    const mustHave = [...arrivedAt].filter(([, t]) => t < killAt - GRACE_MS).map(([i]) => i);
    const cut = mustHave.filter((i) => !finished.has(i));
    expect(cut.length).toBeGreaterThanOrEqual(WORKERS - 1); // the kill really caught streams in flight
    expect(finished.size).toBeGreaterThan(0);

    // As the kill left the file: intact, the cut requests journaled but not yet rows.
    const before = readLedger();
    expect(before.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(before.open).toBeGreaterThanOrEqual(cut.length);

    // The restart records them.
    serve = await startServeProcess(args, env);
    await serve.stop();
    const after = readLedger();
    expect(after.integrity).toEqual([{ integrity_check: 'ok' }]);
    expect(after.open).toBe(0);
    const byRequest = new Map(after.rows.map((r) => [Number(r.requested_model.slice(1)), r]));
    expect(after.rows.length).toBe(byRequest.size); // one row per request, never two
    for (const i of mustHave) {
      const row = byRequest.get(i);
      expect(row, `request ${i} has no row`).toBeDefined();
      if (finished.has(i)) expect(row).toMatchObject({ status: 'ok', usage_estimated: 0 });
      else expect(row).toMatchObject({ status: 'interrupted', usage_estimated: 1, provider: 'acme', model: 'm1' });
      if (!finished.has(i)) expect(row!.input_tokens).toBeGreaterThan(0);
    }
  }, 60_000);
});
