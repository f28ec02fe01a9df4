// Keeps a running instance's team snapshot (tokens, members, budgets) fresh: LISTEN on the change
// channel, reload on every NOTIFY (bursts coalesced), reconnect with backoff after the database goes away.
//
// The LISTEN runs on its own pg.Client built from the pool's settings, not on a client borrowed from the
// pool: it is held for the process's life and must reconnect at once when the database returns, which is
// exactly when the port's queued writes fill the pool; and LISTEN belongs to a session, which a pooled
// client would carry back into the pool. The snapshot is read over the same connection for the same reason.
//
// While the database is down the last snapshot stays in force: tokens keep working and a revoke made
// meanwhile (impossible without the database anyway) is seen on reconnect, when the snapshot is reloaded.
// The trade-off is deliberate: refusing every token during an outage would stop the team's tools, while
// the database being down already stops anyone from changing who may use the gateway.
import pg from 'pg';
import type { Database } from './database';
import { TEAM_CHANGES_CHANNEL } from './schema';
import { describeDatabaseError, loadTeamSnapshot, type TeamSnapshot } from './team-directory';

export interface TeamWatchOptions {
  /** Called with every snapshot loaded, the first one included; the latest is in force. */
  onChange(snapshot: TeamSnapshot): void;
  /** A lost connection or a failed reload (the watcher retries by itself). */
  onError?(error: Error): void;
  /** First and longest wait between reconnect attempts (ms); default 250 doubling to 5000. */
  retryMs?: { first: number; max: number };
  /** How often an idle connection is checked (ms), so a silently dead one is noticed; default 10000. */
  heartbeatMs?: number;
}

export interface TeamWatch {
  /** The snapshot in force: the last one loaded. */
  readonly current: TeamSnapshot;
  /** Whether the LISTEN connection is up right now. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Error reported when the listening connection ends without an error of its own. */
export class DirectoryConnectionLost extends Error {
  override readonly name = 'DirectoryConnectionLost';
}

/**
 * Loads the first snapshot (rejecting when the database cannot be reached: the instance cannot start
 * without knowing its tokens), then keeps it fresh until close().
 */
export async function watchTeamDirectory(db: Database, options: TeamWatchOptions): Promise<TeamWatch> {
  const watch = new DirectoryWatch(db, options);
  await watch.start();
  return watch;
}

class DirectoryWatch implements TeamWatch {
  current!: TeamSnapshot;
  #client: pg.Client | null = null;
  /** LISTEN is in place on #client: NOTIFYs will reach us, so a load now cannot miss a change. */
  #listening = false;
  #closed = false;
  #loading: Promise<void> | null = null;
  /** A change arrived while a load ran (or before LISTEN was up): load again after it. */
  #dirty = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #retryDelay: number;
  readonly #retry: { first: number; max: number };

  constructor(
    private readonly db: Database,
    private readonly options: TeamWatchOptions,
  ) {
    this.#retry = options.retryMs ?? { first: 250, max: 5_000 };
    this.#retryDelay = this.#retry.first;
  }

  get connected(): boolean {
    return this.#listening;
  }

  async start(): Promise<void> {
    try {
      const client = await this.#open();
      this.current = await loadTeamSnapshot(client);
      this.options.onChange(this.current);
    } catch (error) {
      await this.close();
      throw error;
    }
    if (this.#dirty) this.#reload();
    const every = this.options.heartbeatMs ?? 10_000;
    this.#heartbeat = setInterval(() => this.#beat(), every);
    this.#heartbeat.unref();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#heartbeat);
    const client = this.#client;
    this.#client = null;
    this.#listening = false;
    await client?.end().catch(() => {});
    await this.#loading?.catch(() => {});
  }

  /** Connects a new listening client and makes it current; throws (and forgets it) when that fails. */
  async #open(): Promise<pg.Client> {
    const { password } = this.db.options; // kept off the pool's enumerable options, so not in the spread
    const client = new pg.Client({
      ...this.db.options,
      password,
      application_name: 'switchboard-directory',
      // A statement on this connection (a reload, a heartbeat) that gets no answer means it is dead.
      query_timeout: 10_000,
    });
    client.on('error', (error) => this.#lost(client, error));
    client.on('end', () => this.#lost(client, new DirectoryConnectionLost('the team database connection ended')));
    client.on('notification', (message) => {
      if (client === this.#client && message.channel === TEAM_CHANGES_CHANNEL) this.#reload();
    });
    this.#client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${TEAM_CHANGES_CHANNEL}`);
    } catch (error) {
      this.#lost(client, error as Error, false);
      throw error;
    }
    if (this.#closed || client !== this.#client) throw new DirectoryConnectionLost('the team directory watch was closed');
    this.#listening = true;
    return client;
  }

  /** The current connection failed: drop it and, unless closed or still starting, reconnect after a backoff. */
  #lost(client: pg.Client, error: Error, report = true): void {
    if (client !== this.#client) return;
    this.#client = null;
    this.#listening = false;
    client.end().catch(() => {});
    if (this.#closed || this.current === undefined) return;
    if (report) this.#report(error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#retryTimer !== undefined) return;
    const delay = this.#retryDelay;
    this.#retryDelay = Math.min(this.#retryDelay * 2, this.#retry.max);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#open().then(
        () => {
          this.#retryDelay = this.#retry.first;
          // Anything may have changed while we were away.
          this.#reload();
        },
        (error: Error) => {
          if (this.#closed) return;
          this.#report(error);
          this.#scheduleReconnect();
        },
      );
    }, delay);
    this.#retryTimer.unref();
  }

  /** Loads a new snapshot now, or once more after the load in flight (any number of NOTIFYs meanwhile: one load). */
  #reload(): void {
    this.#dirty = true;
    if (this.#loading || !this.#listening || this.#closed) return;
    this.#loading = this.#loadWhileDirty().finally(() => {
      this.#loading = null;
      // A reconnect asked for a load while the previous connection's load was failing.
      if (this.#dirty && this.#listening && !this.#closed) this.#reload();
    });
  }

  async #loadWhileDirty(): Promise<void> {
    while (this.#dirty && !this.#closed) {
      const client = this.#client;
      if (!client || !this.#listening) return;
      this.#dirty = false;
      let snapshot: TeamSnapshot;
      try {
        snapshot = await loadTeamSnapshot(client);
      } catch (error) {
        // Treated as a lost connection: the reconnect reloads, so nothing is missed.
        this.#dirty = true;
        this.#lost(client, error as Error);
        return;
      }
      if (client !== this.#client || this.#closed) return;
      this.current = snapshot;
      try {
        this.options.onChange(snapshot);
      } catch (error) {
        this.#report(error as Error);
      }
    }
  }

  #beat(): void {
    const client = this.#client;
    if (!client || !this.#listening || this.#loading) return;
    client.query('SELECT 1').catch((error: Error) => this.#lost(client, error));
  }

  #report(error: Error): void {
    if (!this.options.onError) return;
    const reported = error.message ? error : new DirectoryConnectionLost(describeDatabaseError(error));
    this.options.onError(reported);
  }
}
