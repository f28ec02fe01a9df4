// Helpers for the router's integration tests: ledger rows read straight from SQLite, bounded polling,
// and draining an SDK stream into text plus the error that ended it (if any).
import Database from 'libsql';
import { join } from 'node:path';
import type { Harness } from './engine-harness';

export interface LedgerRow {
  id: string;
  provider: string | null;
  model: string | null;
  client: string;
  route: string | null;
  status: string;
  http_status: number;
  error_message: string | null;
  attempts: Array<{
    provider: string;
    model: string;
    keyLabel?: string;
    status: number | null;
    errorClass?: string;
    retryAfterMs?: number;
    midStream?: boolean;
    ttftMs?: number;
    durationMs: number;
  }>;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
}

/** Every ledger row, oldest first, after flushing the queue. */
export async function ledgerRows(h: Harness): Promise<LedgerRow[]> {
  await h.app.services.spend.summary({}); // flushes queued rows
  const db = new Database(join(h.dataDir, 'ledger.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT * FROM requests ORDER BY started_at, rowid').all() as Array<Record<string, unknown>>;
    return rows.map((r) => ({ ...r, attempts: JSON.parse(r.attempts as string) }) as LedgerRow);
  } finally {
    db.close();
  }
}

export async function lastRow(h: Harness): Promise<LedgerRow> {
  // The row is written when the response ends; give a just-finished request a moment to record.
  let rows = await ledgerRows(h);
  for (let i = 0; i < 40 && rows.length === 0; i++) {
    await sleep(25);
    rows = await ledgerRows(h);
  }
  return rows.at(-1)!;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true or `ms` passes; returns the last result. */
export async function eventually(check: () => boolean, ms = 3000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(20);
  }
  return true;
}

/** Reads an `openai` SDK stream to its end; returns the text and the error that ended it, if any. */
export async function drain(
  stream: AsyncIterable<{ choices: Array<{ delta?: { content?: string | null } }> }>,
): Promise<{ text: string; error: Error | null }> {
  let text = '';
  try {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return { text, error: null };
  } catch (error) {
    return { text, error: error as Error };
  }
}

export const tried = (row: LedgerRow) => row.attempts.map((a) => [a.provider, a.keyLabel ?? null, a.status, a.errorClass ?? null]);
