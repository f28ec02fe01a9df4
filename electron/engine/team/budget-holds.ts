// Hard budgets atomic across instances: a request's worst case is held in the team database
// (budget_holds) under an advisory lock per (scope, period), checked against every instance's spend
// and holds read in one snapshot, and swapped for the request's row by the team ledger's shipper.
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';
import { PeriodKeys } from '../budgets/buckets';
import { appliesTo, decide, scopeOf } from '../budgets/decide';
import type { BudgetConfig, SharedAdmitInput, SharedAdmitResult, SharedBudgetHolds, SpendTotal } from '../budgets/types';
import { redactDatabaseUrl, type Database } from './database';

/** The team database could not answer a budget check in time (unreachable, down, or too slow). */
export class BudgetDatabaseError extends Error {
  override readonly name = 'BudgetDatabaseError';
}

export interface TeamBudgetHoldsOptions {
  /** Longest one check may take, waiting for a connection and the locks included (ms). */
  timeoutMs?: number;
  /** How often expired holds (an instance died holding them) are deleted, at most (ms). */
  sweepEveryMs?: number;
}

/** Every scope's spend, and every live hold summed per scope, read in ONE statement (one snapshot). */
const READ_SQL = `
SELECT w.scope, w.period,
       COALESCE(t.usd, 0) AS usd, COALESCE(t.unknown_cost, 0) AS unknown, COALESCE(t.tokens, 0) AS tokens,
       COALESCE(h.usd, 0) AS held_usd, COALESCE(h.tokens, 0) AS held_tokens
FROM unnest($1::text[], $2::text[], $3::bigint[]) AS w (scope, period, since)
LEFT JOIN spend_totals t ON t.scope = w.scope AND t.period = w.period
LEFT JOIN LATERAL (
  SELECT sum(b.usd) AS usd, sum(b.tokens) AS tokens
  FROM budget_holds b LEFT JOIN client_tokens c ON c.name = b.client
  WHERE b.expires_at > $4 AND b.held_at >= w.since AND b.request_id <> $5
    AND (w.scope = '*' OR w.scope = 'client:' || b.client OR w.scope = 'member:' || c.member)
) h ON true`;

const HOLD_SQL = `
INSERT INTO budget_holds (request_id, client, usd, tokens, held_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (request_id) DO UPDATE SET client = excluded.client, usd = excluded.usd, tokens = excluded.tokens,
  held_at = excluded.held_at, expires_at = excluded.expires_at`;

type Read = { scope: string; period: string; usd: number; unknown: number; tokens: number; held_usd: number; held_tokens: number };

/** The advisory lock key of one (scope, period): 64 bits of its SHA-256, a signed bigint as PostgreSQL takes it. */
function lockKey(scope: string, period: string): bigint {
  return createHash('sha256').update(`switchboard budget\0${scope}\0${period}`).digest().readBigInt64BE(0);
}

/** Where a period's holds begin: a hold counts in the period it was taken in, as its request's row will. */
function periodStart(period: string): number {
  return Date.parse(period.length === 7 ? `${period}-01T00:00:00Z` : `${period}T00:00:00Z`);
}

/** Most requests remembered as holding in the database (settle); far above any port's concurrency. */
const MAX_TRACKED = 100_000;

export class TeamBudgetHolds implements SharedBudgetHolds {
  #periods = new PeriodKeys();
  #timeoutMs: number;
  #sweepEveryMs: number;
  #lastSweep = 0;
  /** While checks fail: said once when it starts and once when it ends, not per request. */
  #failing = false;
  /** Requests holding their worst case in the database, until their row is recorded here (settle). */
  #held = new Set<string>();

  constructor(
    private readonly db: Database,
    options: TeamBudgetHoldsOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#sweepEveryMs = options.sweepEveryMs ?? 60_000;
  }

  /**
   * Checks the request against the hard budgets that apply to its client and member, with every
   * instance's spend and holds, and holds its worst case when it fits. Budgets without a hard limit
   * never reach the database. Rejects with BudgetDatabaseError when the database cannot decide.
   */
  async admit(input: SharedAdmitInput): Promise<SharedAdmitResult> {
    const hard = input.budgets.filter((b) => b.mode === 'hard' && appliesTo(b, input.client, input.member));
    if (hard.length === 0) return {};
    const wanted = this.#wanted(hard, input.now);
    const result = await this.#transaction(async (client) => {
      // Locks in one fixed order (sorted keys), so two instances needing the same ones never deadlock.
      // Each is its own statement: the keys are our own integers, never text from a request.
      const keys = [...new Set(wanted.map((w) => lockKey(w.scope, w.period)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      await client.query(keys.map((k) => `SELECT pg_advisory_xact_lock(${k.toString()});`).join(' '));
      // After the locks, in a fresh snapshot: a hold committed by whoever held them before is seen, and
      // a row the shipper swapped for its hold is seen as one or the other, never both or neither.
      const { rows } = await client.query<Read>(READ_SQL, [
        wanted.map((w) => w.scope),
        wanted.map((w) => w.period),
        wanted.map((w) => w.since),
        input.now,
        input.requestId,
      ]);
      const refused = this.#judge(hard, rows, input);
      if (refused) return { refused };
      await client.query(HOLD_SQL, [
        input.requestId,
        input.client,
        input.estimateUsd ?? 0,
        input.estimateTokens,
        input.now,
        input.now + input.holdMs,
      ]);
      return {};
    }).catch((error: unknown) => {
      if (!this.#failing)
        console.error(`switchboard budgets: cannot check hard budgets in the team database (${(error as Error).message})`);
      this.#failing = true;
      throw error;
    });
    if (this.#failing) console.error('switchboard budgets: the team database answers budget checks again');
    this.#failing = false;
    this.#maybeSweep(input.now);
    if (!result.refused) {
      // Bounded: a request that never records (none should) is forgotten rather than kept forever.
      if (this.#held.size >= MAX_TRACKED) this.#held.clear();
      this.#held.add(input.requestId);
    }
    return result;
  }

  /**
   * A request's row was recorded here: its hold in the database shrinks from the worst case to what the
   * request cost, at once, so a client's next request is not refused for a finished one's worst case
   * while the row waits to ship (the shipper then swaps the hold for the row). An unknown cost keeps
   * the worst case. Off the request's path: nothing waits for it, and a failure only leaves the worst
   * case held a little longer.
   */
  settle(requestId: string, usd: number | null, tokens: number): void {
    if (!this.#held.delete(requestId) || usd === null) return;
    this.db
      .query('UPDATE budget_holds SET usd = LEAST(usd, $2), tokens = LEAST(tokens, $3) WHERE request_id = $1', [requestId, usd, tokens])
      .catch(() => {});
  }

  /**
   * Gives a hold back before its expiry. Every admitted request records a row (the meter writes one
   * whatever the ending, and the shipper deletes the hold with it), so this is a safety for a caller
   * that admits without a meter; it never rejects.
   */
  async release(requestId: string): Promise<void> {
    await this.db.query('DELETE FROM budget_holds WHERE request_id = $1', [requestId]).catch((e: unknown) => {
      console.error(`switchboard budgets: could not release a hold in the team database (${reason(e)}); it expires on its own`);
    });
  }

  /** Every scope's spend for a day and a month: Budgets' totals in team mode (its TotalsSource). */
  async spendTotals(periods: { day: string; month: string }): Promise<SpendTotal[]> {
    const { rows } = await this.db.query<SpendTotal>(
      'SELECT scope, period, usd, unknown_cost AS unknown, tokens FROM spend_totals WHERE period = ANY($1::text[])',
      [[periods.day, periods.month]],
    );
    return rows;
  }

  /** The (scope, period) of each hard budget, and where that period's holds begin. */
  #wanted(hard: BudgetConfig[], now: number): Array<{ scope: string; period: string; since: number }> {
    const seen = new Map<string, { scope: string; period: string; since: number }>();
    for (const b of hard) {
      const period = b.period === 'daily' ? this.#periods.day(now) : this.#periods.month(now);
      const scope = scopeOf(b);
      seen.set(`${scope}\0${period}`, { scope, period, since: periodStart(period) });
    }
    return [...seen.values()];
  }

  /** The same rule and message as the in-memory check (budgets/decide.ts); the first hard budget listed speaks. */
  #judge(hard: BudgetConfig[], rows: Read[], input: SharedAdmitInput): SharedAdmitResult['refused'] {
    const check = { client: input.client, estimateUsd: input.estimateUsd, estimateTokens: input.estimateTokens, unpriced: input.unpriced };
    for (const b of hard) {
      const period = b.period === 'daily' ? this.#periods.day(input.now) : this.#periods.month(input.now);
      const scope = scopeOf(b);
      const r = rows.find((x) => x.scope === scope && x.period === period);
      const used = { usd: r?.usd ?? 0, reservedUsd: r?.held_usd ?? 0, tokens: r?.tokens ?? 0, reservedTokens: r?.held_tokens ?? 0 };
      const verdict = decide(b, used, check);
      if (verdict) return verdict;
    }
    return undefined;
  }

  /**
   * Runs `work` in one READ COMMITTED transaction (not REPEATABLE READ: its snapshot would predate the
   * lock wait), bounded by the timeout. Past it the connection is dropped (the server rolls back), and a
   * connection the pool hands over late is given straight back: nothing is held after we said no.
   */
  async #transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    let gaveUp = false;
    let drop: ((error?: Error) => void) | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        drop?.(new BudgetDatabaseError('timed out'));
        reject(new BudgetDatabaseError(`the team database did not answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
    });
    const run = (async () => {
      const client = await this.db.connect();
      // A server going away mid-check also fails the query in flight (that is what we act on); unheard,
      // the client's own error event would end the process.
      const ignore = () => {};
      client.on('error', ignore);
      let released = false;
      drop = (error) => {
        if (released) return;
        released = true;
        client.removeListener('error', ignore);
        client.release(error);
      };
      if (gaveUp) {
        drop();
        throw new BudgetDatabaseError('gave up before a connection was free');
      }
      try {
        await client.query(`BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = ${Math.max(1, Math.floor(this.#timeoutMs))}`);
        const value = await work(client);
        await client.query('COMMIT');
        drop();
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        // A connection that failed mid-transaction is not handed back to the pool.
        drop(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    })();
    run.catch(() => {}); // past the timeout nobody awaits it
    try {
      return await Promise.race([run, expired]);
    } catch (error) {
      throw error instanceof BudgetDatabaseError ? error : new BudgetDatabaseError(reason(error));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Deletes holds whose instance died before recording their rows: now and then, not on every request. */
  #maybeSweep(now: number): void {
    if (now - this.#lastSweep < this.#sweepEveryMs) return;
    this.#lastSweep = now;
    this.db.query('DELETE FROM budget_holds WHERE expires_at <= $1', [now]).catch((e: unknown) => {
      console.error(`switchboard budgets: could not delete expired holds (${reason(e)})`);
    });
  }
}

/** A database error's message with any connection URL in it redacted (a URL may carry a password). */
function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(?:ql)?:\/\/\S+/gi, (url) => redactDatabaseUrl(url));
}
