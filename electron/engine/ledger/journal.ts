// The journal of requests in flight (`requests_open`): an entry is written, through the same batched
// writer as rows, once a request's first attempt is sent; its finished row deletes it (a trigger). An
// entry whose process is gone was cut by a crash: it becomes an `interrupted` row, with its estimates.
import { randomUUID } from 'node:crypto';
import type Database from 'libsql';
import type { OpenEntry } from './types';

const OPEN_COLUMNS = [
  'id',
  'owner',
  'started_at',
  'source',
  'client',
  'route',
  'requested_model',
  'provider',
  'model',
  'attempts',
  'input_tokens',
  'cost_usd',
] as const;

export const INSERT_OPEN_SQL = `INSERT INTO requests_open (${OPEN_COLUMNS.join(', ')}) VALUES (${OPEN_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (id) DO NOTHING`;

export const INTERRUPTED_MESSAGE = 'Switchboard stopped (a crash or a kill) while this request was in flight; its figures are estimates';

/** No request runs this long (the longest total timeout is far shorter): its entry is stale whoever holds it (a reused pid). */
const STALE_AFTER_MS = 24 * 60 * 60_000;

/** This process's id and a tag per open ledger: an entry is stale when its owner is neither alive nor open here. */
const PID = String(process.pid);
const openOwners = new Set<string>();

export function newOwner(): string {
  const owner = `${PID}:${randomUUID()}`;
  openOwners.add(owner);
  return owner;
}

export function releaseOwner(owner: string): void {
  openOwners.delete(owner);
}

/** An entry's values in OPEN_COLUMNS order, ready for the writer thread. */
export function openValues(e: OpenEntry, owner: string): unknown[] {
  const cost = e.costUsd !== null && Number.isFinite(e.costUsd) ? e.costUsd : null;
  return [
    e.id,
    owner,
    e.startedAt,
    e.source,
    e.client,
    e.route,
    e.requestedModel,
    e.provider,
    e.model,
    JSON.stringify(e.attempts),
    Math.max(0, Math.round(e.inputTokens)),
    cost,
  ];
}

/** Whether the process that held `owner` is gone (and it is not one of this process's open ledgers). */
export function ownerGone(owner: string): boolean {
  if (openOwners.has(owner)) return false;
  const pid = Number(owner.slice(0, owner.indexOf(':')));
  // Our own pid with a tag we do not hold: an earlier process that had the same pid (a container restart).
  if (!Number.isInteger(pid) || pid <= 0 || String(pid) === PID) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH'; // EPERM: alive, someone else's
  }
}

/**
 * Turns stale entries (their process is gone; or `owner`'s own, at close) into `interrupted` rows.
 * A request whose row was written after all keeps that row (ON CONFLICT DO NOTHING). Returns how many.
 */
export function recoverInterrupted(db: Database.Database, owner?: string, now = Date.now()): number {
  const entries = db.prepare('SELECT id, owner, started_at FROM requests_open').all() as Array<{
    id: string;
    owner: string;
    started_at: number;
  }>;
  const stale = entries
    .filter((e) => (owner ? e.owner === owner : Number(e.started_at) < now - STALE_AFTER_MS || ownerGone(e.owner)))
    .map((e) => e.id);
  if (stale.length === 0) return 0;
  const settle = db.prepare(`INSERT INTO requests (id, started_at, source, client, route, provider, model, status, http_status,
      error_message, attempts, input_tokens, output_tokens, cost_usd, ttft_ms, duration_ms, cost_known, requested_model, usage_estimated)
    SELECT id, started_at, source, client, route, provider, model, 'interrupted', 0, ?, attempts, input_tokens, 0, cost_usd,
      NULL, 0, cost_usd IS NOT NULL, requested_model, 1
    FROM requests_open WHERE id = ? ON CONFLICT (id) DO NOTHING`);
  const close = db.prepare('DELETE FROM requests_open WHERE id = ?');
  let settled = 0;
  db.transaction(() => {
    for (const id of stale) {
      settled += Number(settle.run(INTERRUPTED_MESSAGE, id).changes);
      close.run(id);
    }
  }).immediate();
  return settled;
}
