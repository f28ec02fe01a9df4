// The team ledger: the Ledger interface over PostgreSQL. Rows are recorded by the local SQLite ledger
// (the hot path, crash journal and conversations stay as they are), which doubles as a durable outbox
// that a shipper copies to PostgreSQL; reads answer from PostgreSQL, once this process's rows are in.
import { openLedger, type LedgerOptions } from '../../ledger/ledger';
import type { Ledger } from '../../ledger/types';
import { redactDatabaseUrl, type Database } from '../database';
import { migrateTeamSchema } from '../schema';
import { LocalOutbox, outboxKey } from './outbox';
import { teamReads, urlOf, type TeamReads } from './reader';
import { Shipper, type ShipStatus } from './shipper';

export { TeamLedgerUnavailableError } from './errors';

export interface TeamLedgerOptions {
  dataDir: string;
  /** The team database (the caller owns the pool: close() leaves it open). */
  db: Database;
  /** This instance's name, stored with each row it ships. */
  instance: string;
  /** Where shipping failures (once per outage) and local write failures go. Defaults to stderr. */
  onError?: (error: Error) => void;
  /** The URL the pool was opened with, when the pool does not carry it (it does when built by openDatabase). */
  url?: string;
  /** How long a read waits for this process's rows to reach the database (ms). */
  readWaitMs?: number;
  /** How long close() tries to ship what is left (ms); the rest ships at the next start. */
  closeShipMs?: number;
  /** Shipper timings (tests shorten them). */
  shipDelayMs?: number;
  batchSize?: number;
  /** The local ledger's options. */
  local?: LedgerOptions;
}

export interface TeamLedger extends Ledger, TeamReads {
  /** Rows waiting in the local outbox, and how shipping goes (for doctor and the UI). */
  outbox(): ShipStatus;
  /** Resolves once every row recorded before the call is in PostgreSQL; rejects with TeamLedgerUnavailableError after `timeoutMs`. */
  shipped(timeoutMs?: number): Promise<void>;
}

const READ_WAIT_MS = 5_000;
const CLOSE_SHIP_MS = 2_000;

export async function openTeamLedger(options: TeamLedgerOptions): Promise<TeamLedger> {
  const { db, dataDir } = options;
  const onError = options.onError ?? ((error: Error) => console.error(`switchboard team ledger: ${error.message}`));
  const url = urlOf(db, options.url);
  const database = redactDatabaseUrl(url);
  await migrateTeamSchema(db);
  const local = openLedger(dataDir, { onError, ...options.local });
  let outbox: LocalOutbox;
  try {
    outbox = new LocalOutbox(dataDir, outboxKey(url));
  } catch (error) {
    await local.close();
    throw error;
  }
  const shipper = new Shipper({
    db,
    outbox,
    instance: options.instance,
    url,
    database,
    flushLocal: () => local.flush(),
    onError,
    delayMs: options.shipDelayMs,
    batchSize: options.batchSize,
  });
  const stopListening = local.onRecord(() => shipper.soon());
  // Rows an earlier run left unshipped, and requests a crash cut (recovered as `interrupted` just now).
  shipper.soon();
  const readWaitMs = options.readWaitMs ?? READ_WAIT_MS;
  let closing: Promise<void> | undefined;

  const reads = teamReads(db, url, () => shipper.drain(readWaitMs));

  return {
    record: (row, estimate, logged) => local.record(row, estimate, logged),
    open: (request) => local.open(request),
    onRecord: (listener) => local.onRecord(listener),
    whenSettled: (reader) => local.whenSettled(reader),
    get conversations() {
      return local.conversations;
    },
    async flush() {
      await local.flush();
      await shipper.pass();
    },
    ...reads,
    outbox: () => shipper.status(),
    shipped: (timeoutMs = readWaitMs) => shipper.drain(timeoutMs),
    close() {
      closing ??= (async () => {
        stopListening();
        shipper.stop();
        // The local ledger writes what is queued and marks requests still in flight interrupted; then
        // one bounded try ships it all. What is left waits on disk for the next start.
        await local.close();
        await shipper.final(options.closeShipMs ?? CLOSE_SHIP_MS);
        outbox.close();
      })();
      return closing;
    },
  };
}
