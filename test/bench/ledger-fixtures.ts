// Ledger set-ups shared by the benches: a data dir's ledger seeded with request rows in SQL, and the
// engine's worker scripts placed where a bundled bench's engine code looks for them.
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'libsql';
import { openLedger } from '../../electron/engine/ledger/ledger';

const DAY = 86_400_000;

/**
 * Fills `<dir>/ledger.db` with `rows` requests over the last 365 days, in SQL (the rollup trigger runs
 * per row): far faster than recording them, and the schema is the engine's own (openLedger creates it).
 */
export async function seedLedger(dir: string, rows: number): Promise<void> {
  await openLedger(dir).close();
  const db = new Database(join(dir, 'ledger.db'));
  const now = Date.now();
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF');
  const insert = db.prepare(`
    WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n WHERE i < ?)
    INSERT INTO requests (id, started_at, source, client, route, provider, model, status, http_status, attempts,
      input_tokens, output_tokens, cost_usd, ttft_ms, duration_ms, cache_read_tokens, cache_write_tokens, reasoning_tokens, cost_known)
    SELECT 'r' || i, ? - (i * 31536) % (365 * ${DAY}), CASE i % 10 WHEN 0 THEN 'chat' WHEN 1 THEN 'compare' ELSE 'port' END,
      CASE i % 6 WHEN 0 THEN NULL ELSE 'client-' || (i % 5) END, CASE i % 4 WHEN 0 THEN NULL ELSE 'route-' || (i % 3) END,
      'provider-' || (i % 3), 'model-' || (i % 8), CASE WHEN i % 50 = 0 THEN 'error' ELSE 'ok' END, 200, '[]',
      100 + i % 900, 10 + i % 300, CASE WHEN i % 8 = 7 THEN NULL ELSE (i % 1000) / 1e5 END, 200, 900, i % 50, i % 7, i % 11,
      CASE WHEN i % 8 = 7 THEN 0 ELSE 1 END
    FROM n`);
  const chunk = 100_000;
  for (let start = 1; start <= rows; start += chunk) {
    db.transaction(() => insert.run(start, Math.min(rows, start + chunk - 1), now))();
  }
  db.exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE');
  db.close();
}

const WORKERS = ['ledger-writer.worker.cjs', 'ledger-estimator.worker.cjs'];

/**
 * The engine starts its worker threads from scripts beside its own bundle (electron/engine/worker-file.ts).
 * A bench bundled into .tmp/ carries engine code, so the built scripts (dist/, which `npm run bench` keeps
 * fresh) are copied beside the bench's bundle: the bench then runs the very writer `switchboard serve` runs.
 */
export function placeEngineWorkers(): void {
  // Run from source (not bundled), the engine compiles the workers itself.
  if (import.meta.url.endsWith('.ts')) return;
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of WORKERS) {
    const built = join(process.cwd(), 'dist', name);
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`node scripts/build.mjs\` first`);
    copyFileSync(built, join(here, name));
  }
}
