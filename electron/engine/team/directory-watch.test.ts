// The watcher every team instance runs, against a real PostgreSQL cluster: a revoke seen within 1 s, a
// burst ending complete, a cut connection and a database restart survived.
import { describe, expect, it } from 'vitest';
import { teamLab } from '../../../test/support/team-lab';
import { waitUntil } from '../../../test/support/wait';
import { watchTeamDirectory, type TeamWatch } from './directory-watch';
import { TeamDirectory, type TeamSnapshot } from './team-directory';

const lab = teamLab();
const directory = async (url?: string): Promise<TeamDirectory> =>
  lab.closeAfter(await TeamDirectory.open(url ?? (await lab.freshUrl()), { onError: () => {} }));

/** Polls `check` every 20 ms until it holds or `ms` pass; returns how long it took. */
const within = (ms: number, check: () => boolean): Promise<number> => waitUntil(check, ms, 20);

describe('watchTeamDirectory', () => {
  async function watcher(url: string, firstRetryMs = 100): Promise<{ watch: TeamWatch; seen: TeamSnapshot[]; errors: Error[] }> {
    const db = lab.pool(url, { max: 2 });
    const seen: TeamSnapshot[] = [];
    const errors: Error[] = [];
    const watch = lab.closeAfter(
      await watchTeamDirectory(db, {
        onChange: (s) => seen.push(s),
        onError: (e) => errors.push(e),
        retryMs: { first: firstRetryMs, max: 500 },
        heartbeatMs: 1_000,
      }),
    );
    return { watch, seen, errors };
  }
  const names = (w: TeamWatch) => w.current.tokens.map((t) => t.name);

  it('two instances see a token created and then revoked on a third within 1 s', async () => {
    const url = await lab.freshUrl();
    const dir = await directory(url);
    await dir.createToken('keep');
    const [a, b] = [await watcher(url), await watcher(url)];
    expect(a.seen).toHaveLength(1);
    expect(names(a.watch)).toEqual(['keep']);

    await dir.createToken('laptop');
    await within(1_000, () => names(a.watch).includes('laptop') && names(b.watch).includes('laptop'));
    await dir.revokeToken('laptop');
    const took = await within(1_000, () => !names(a.watch).includes('laptop') && !names(b.watch).includes('laptop'));
    expect(took).toBeLessThan(1_000);
    expect(names(b.watch)).toEqual(['keep']);
    expect(a.errors).toEqual([]);
  });

  it('ends a burst of changes with a snapshot that has every one of them', async () => {
    const url = await lab.freshUrl();
    const dir = await directory(url);
    const w = await watcher(url);
    const burst = Array.from({ length: 30 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    await Promise.all(burst.map((n) => dir.createToken(n)));
    await within(2_000, () => names(w.watch).length === burst.length);
    expect(names(w.watch)).toEqual(burst);
    // Bursts are coalesced: never more loads than changes (plus the first).
    expect(w.seen.length).toBeLessThanOrEqual(burst.length + 1);
  });

  it('keeps the last snapshot through a database restart, then reconnects and sees a change made after it', async () => {
    const url = await lab.freshUrl();
    const dir = await directory(url);
    await dir.createToken('before');
    const w = await watcher(url);
    expect(w.watch.connected).toBe(true);

    lab.cluster().pause();
    try {
      await within(5_000, () => !w.watch.connected);
      // The outage: the last snapshot stays in force.
      expect(names(w.watch)).toEqual(['before']);
      await new Promise((r) => setTimeout(r, 600));
      expect(names(w.watch)).toEqual(['before']);
    } finally {
      await lab.cluster().resume();
    }
    expect(w.errors.length).toBeGreaterThan(0);
    for (const e of w.errors) expect(e.message.length).toBeGreaterThan(0);

    // A new store: the old pool's connections died with the server.
    const after = await directory(url);
    await after.createToken('after');
    await after.revokeToken('before');
    await within(10_000, () => w.watch.connected && names(w.watch).join() === 'after');
  }, 30_000);

  it('reloads on reconnect: a change made while its connection was cut is seen', async () => {
    const url = await lab.freshUrl();
    const dir = await directory(url);
    await dir.createToken('before');
    const w = await watcher(url, 400);
    // Cut only the watcher's session and wait until it is gone, so the NOTIFY below cannot reach it.
    const { rows } = await dir.db.query(
      "SELECT pg_terminate_backend(pid, 5000) AS done FROM pg_stat_activity WHERE application_name = 'switchboard-directory' AND datname = current_database()",
    );
    expect(rows).toEqual([{ done: true }]);
    await dir.revokeToken('before');
    await dir.createToken('during');
    expect(names(w.watch)).toEqual(['before']);
    await within(5_000, () => names(w.watch).join() === 'during');
    expect(w.errors.length).toBeGreaterThan(0);
  });

  it('refuses to start when the database cannot be reached', async () => {
    const db = lab.pool('postgres://postgres@127.0.0.1:1/none', { connectTimeoutMs: 1_000 });
    await expect(watchTeamDirectory(db, { onChange: () => {} })).rejects.toThrow();
  });
});
