// Ledger schema migrations, applied in order; PRAGMA user_version records how many have run.
import type Database from 'libsql';

/** Each entry moves the schema up one version. Append only: never edit a migration that shipped. */
const MIGRATIONS: string[] = [
  `CREATE TABLE requests (
     id TEXT PRIMARY KEY,
     started_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     client TEXT,
     route TEXT,
     provider TEXT,
     model TEXT,
     status TEXT NOT NULL,
     http_status INTEGER NOT NULL,
     error_message TEXT,
     attempts TEXT NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost_usd REAL,
     ttft_ms INTEGER,
     duration_ms INTEGER NOT NULL
   );
   CREATE INDEX requests_started_at ON requests (started_at);`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database, file: string): void {
  const current = readUserVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(`${file} has schema version ${current}, newer than this Switchboard understands (${SCHEMA_VERSION}); update Switchboard`);
  }
  // Each step re-reads the version inside an IMMEDIATE transaction: the CLI and a running server may
  // open a fresh ledger at the same moment, and only one of them may apply a step.
  const step = db.transaction((): boolean => {
    const version = readUserVersion(db);
    if (version >= SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[version]!);
    db.exec(`PRAGMA user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    /* next step */
  }
}

function readUserVersion(db: Database.Database): number {
  // libsql's pragma({ simple: true }) does not pluck, so read the named column.
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return Number(row.user_version);
}
