// One private PostgreSQL cluster per test file, and what a team-mode test opens on it (databases, pools,
// temp dirs, stores), each closed or removed for it: after the test that made it, or after the file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openDatabase, type Database, type DatabaseOptions } from '../../electron/engine/team/database';
import { startPostgres, type PostgresCluster } from './postgres';

/** initdb and the first start take a few seconds on a busy machine; a stuck one fails the file instead of hanging it. */
const START_MS = 60_000;
/** Closing pools, stores and ledgers: bounded, so a close that waits on a dead server fails rather than hangs. */
const CLEANUP_MS = 30_000;

export interface TeamLab {
  /** The file's cluster (started before its first test). */
  cluster(): PostgresCluster;
  /** A fresh, empty database's URL. */
  freshUrl(): Promise<string>;
  /** A pool on `url` (pool errors dropped unless `options.onError` says otherwise), ended for you. */
  pool(url: string, options?: DatabaseOptions): Database;
  /** A pool on a fresh, empty database, ended for you. */
  freshPool(options?: DatabaseOptions): Promise<Database>;
  /** A temporary directory, removed for you. */
  tempDir(prefix: string): string;
  /** Runs `fn` when the test that called this ends (or the file, when called outside a test); last in, first run. */
  cleanup(fn: () => unknown): void;
  /** Closes `thing` as cleanup() would run it, and returns it. */
  closeAfter<T extends { close(): unknown }>(thing: T): T;
}

/** The cluster was asked for while the file was still being collected (before its beforeAll ran). */
export class TeamLabNotStartedError extends Error {
  constructor() {
    super('the team lab cluster has not started yet: use it inside a test or a hook');
    this.name = 'TeamLabNotStartedError';
  }
}

/**
 * Registers the file's hooks (call it once, at the top of the file): the cluster starts before the
 * first test and stops after the last.
 */
export function teamLab(): TeamLab {
  let cluster: PostgresCluster | undefined;
  // What a test opened goes when it ends; what a beforeAll opened (a suite's shared ledger) stays to the end.
  const perTest: Array<() => unknown> = [];
  const perFile: Array<() => unknown> = [];
  let inTest = false;

  beforeAll(async () => {
    cluster = await startPostgres();
  }, START_MS);
  beforeEach(() => {
    inTest = true;
  });
  afterEach(async () => {
    inTest = false;
    await runAll(perTest);
  }, CLEANUP_MS);
  afterAll(async () => {
    try {
      await runAll(perFile);
    } finally {
      cluster?.stop();
    }
  }, CLEANUP_MS);

  const lab: TeamLab = {
    cluster() {
      if (!cluster) throw new TeamLabNotStartedError();
      return cluster;
    },
    freshUrl: () => lab.cluster().createDatabase(),
    pool(url, options = {}) {
      const db = openDatabase(url, { onError: () => {}, ...options });
      lab.cleanup(() => db.end());
      return db;
    },
    freshPool: async (options) => lab.pool(await lab.freshUrl(), options),
    tempDir(prefix) {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      lab.cleanup(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    cleanup(fn) {
      (inTest ? perTest : perFile).push(fn);
    },
    closeAfter(thing) {
      lab.cleanup(() => thing.close());
      return thing;
    },
  };
  return lab;
}

/** Runs every cleanup, newest first, even when one fails; then throws the first failure. */
async function runAll(cleanups: Array<() => unknown>): Promise<void> {
  const failures: unknown[] = [];
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}
