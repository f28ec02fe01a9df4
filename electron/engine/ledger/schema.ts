// Ledger schema migrations, applied in order; PRAGMA user_version records how many have run.
import type Database from 'libsql';

// The rollup trigger's parts from v4 on (spend_daily and spend_monthly differ only in their first column).
const ROLLUP_COLUMNS = `source, client, route, provider, model, requests, input_tokens, output_tokens, cache_read_tokens,
  cache_write_tokens, reasoning_tokens, cost_usd, unknown_cost, estimated`;
const ROLLUP_VALUES = `NEW.source, COALESCE(NEW.client, ''), COALESCE(NEW.route, ''), COALESCE(NEW.provider, ''),
  COALESCE(NEW.model, ''), 1, NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_tokens,
  NEW.reasoning_tokens, COALESCE(NEW.cost_usd, 0), NEW.cost_usd IS NULL, NEW.usage_estimated <> 0`;
const ROLLUP_ADD = `requests = requests + 1,
  input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
  cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
  cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
  reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
  cost_usd = cost_usd + excluded.cost_usd, unknown_cost = unknown_cost + excluded.unknown_cost,
  estimated = estimated + excluded.estimated`;

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
  // v2: token detail columns, cost-known flag, daily and monthly rollups kept by a trigger (so spend queries over
  // millions of rows read thousands), and conversations/messages for chat and compare.
  `ALTER TABLE requests ADD COLUMN cache_read_tokens INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN cache_write_tokens INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN cost_known INTEGER NOT NULL DEFAULT 1;
   UPDATE requests SET cost_known = (cost_usd IS NOT NULL);
   CREATE TABLE spend_daily (
     day TEXT NOT NULL,
     source TEXT NOT NULL,
     client TEXT NOT NULL,
     route TEXT NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     requests INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL,
     cache_write_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     cost_usd REAL NOT NULL,
     unknown_cost INTEGER NOT NULL,
     PRIMARY KEY (day, source, client, route, provider, model)
   ) WITHOUT ROWID;
   CREATE TABLE spend_monthly (
     month TEXT NOT NULL,
     source TEXT NOT NULL,
     client TEXT NOT NULL,
     route TEXT NOT NULL,
     provider TEXT NOT NULL,
     model TEXT NOT NULL,
     requests INTEGER NOT NULL,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cache_read_tokens INTEGER NOT NULL,
     cache_write_tokens INTEGER NOT NULL,
     reasoning_tokens INTEGER NOT NULL,
     cost_usd REAL NOT NULL,
     unknown_cost INTEGER NOT NULL,
     PRIMARY KEY (month, source, client, route, provider, model)
   ) WITHOUT ROWID;
   CREATE TRIGGER requests_rollup AFTER INSERT ON requests BEGIN
     INSERT INTO spend_daily VALUES (
       strftime('%Y-%m-%d', NEW.started_at / 1000, 'unixepoch'), NEW.source, COALESCE(NEW.client, ''),
       COALESCE(NEW.route, ''), COALESCE(NEW.provider, ''), COALESCE(NEW.model, ''), 1,
       NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_tokens, NEW.reasoning_tokens,
       COALESCE(NEW.cost_usd, 0), NEW.cost_usd IS NULL)
     ON CONFLICT DO UPDATE SET requests = requests + 1,
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
       cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
       cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
       reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
       cost_usd = cost_usd + excluded.cost_usd, unknown_cost = unknown_cost + excluded.unknown_cost;
     INSERT INTO spend_monthly VALUES (
       strftime('%Y-%m', NEW.started_at / 1000, 'unixepoch'), NEW.source, COALESCE(NEW.client, ''),
       COALESCE(NEW.route, ''), COALESCE(NEW.provider, ''), COALESCE(NEW.model, ''), 1,
       NEW.input_tokens, NEW.output_tokens, NEW.cache_read_tokens, NEW.cache_write_tokens, NEW.reasoning_tokens,
       COALESCE(NEW.cost_usd, 0), NEW.cost_usd IS NULL)
     ON CONFLICT DO UPDATE SET requests = requests + 1,
       input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens,
       cache_read_tokens = cache_read_tokens + excluded.cache_read_tokens,
       cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens,
       reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens,
       cost_usd = cost_usd + excluded.cost_usd, unknown_cost = unknown_cost + excluded.unknown_cost;
   END;
   INSERT INTO spend_daily
     SELECT strftime('%Y-%m-%d', started_at / 1000, 'unixepoch'), source, COALESCE(client, ''), COALESCE(route, ''),
       COALESCE(provider, ''), COALESCE(model, ''), COUNT(*), SUM(input_tokens), SUM(output_tokens), 0, 0, 0,
       COALESCE(SUM(cost_usd), 0), SUM(cost_usd IS NULL)
     FROM requests GROUP BY 1, 2, 3, 4, 5, 6;
   INSERT INTO spend_monthly
     SELECT substr(day, 1, 7), source, client, route, provider, model, SUM(requests), SUM(input_tokens), SUM(output_tokens),
       0, 0, 0, SUM(cost_usd), SUM(unknown_cost)
     FROM spend_daily GROUP BY 1, 2, 3, 4, 5, 6;
   CREATE TABLE conversations (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE INDEX conversations_updated_at ON conversations (updated_at);
   CREATE TABLE messages (
     id TEXT PRIMARY KEY,
     conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     role TEXT NOT NULL,
     content TEXT NOT NULL,
     model TEXT,
     request_id TEXT,
     created_at INTEGER NOT NULL
   );
   CREATE INDEX messages_conversation ON messages (conversation_id, seq);`,
  // v3: the images a message carried (a JSON array of data: or https: URLs), so a chat reopens with them.
  `ALTER TABLE messages ADD COLUMN images TEXT;`,
  // v4: the model a request asked for (a route, a provider/model), whether its token figures are estimates
  // (counted per rollup row), and the journal of requests in flight: an entry left by a process that is gone
  // was cut by a crash and becomes an `interrupted` request (journal.ts). Inserting the finished row closes
  // its entry in the same transaction. The rollup trigger is rebuilt with column names, as the rollups grow a column.
  `ALTER TABLE requests ADD COLUMN requested_model TEXT;
   ALTER TABLE requests ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE spend_daily ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE spend_monthly ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE requests_open (
     id TEXT PRIMARY KEY,
     owner TEXT NOT NULL,
     started_at INTEGER NOT NULL,
     source TEXT NOT NULL,
     client TEXT,
     route TEXT,
     requested_model TEXT,
     provider TEXT,
     model TEXT,
     attempts TEXT NOT NULL,
     input_tokens INTEGER NOT NULL,
     cost_usd REAL
   );
   CREATE TRIGGER requests_close_open AFTER INSERT ON requests BEGIN
     DELETE FROM requests_open WHERE id = NEW.id;
   END;
   DROP TRIGGER requests_rollup;
   CREATE TRIGGER requests_rollup AFTER INSERT ON requests BEGIN
     INSERT INTO spend_daily (day, ${ROLLUP_COLUMNS}) VALUES (
       strftime('%Y-%m-%d', NEW.started_at / 1000, 'unixepoch'), ${ROLLUP_VALUES})
     ON CONFLICT DO UPDATE SET ${ROLLUP_ADD};
     INSERT INTO spend_monthly (month, ${ROLLUP_COLUMNS}) VALUES (
       strftime('%Y-%m', NEW.started_at / 1000, 'unixepoch'), ${ROLLUP_VALUES})
     ON CONFLICT DO UPDATE SET ${ROLLUP_ADD};
   END;`,
  // v5: a conversation's own settings (the route or model it talks to, its system prompt and temperature),
  // so reopening it does not switch to whoever answered last; and replies that did not finish (stopped, or
  // failed with their error) and the tool calls a reply made, so a reopened chat shows what happened.
  `ALTER TABLE conversations ADD COLUMN model TEXT;
   ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
   ALTER TABLE conversations ADD COLUMN temperature REAL;
   ALTER TABLE messages ADD COLUMN status TEXT;
   ALTER TABLE messages ADD COLUMN error TEXT;
   ALTER TABLE messages ADD COLUMN tool_calls TEXT;`,
  // v6: the writer thread inserts a batch with multi-row INSERTs and adds its rollups once per group
  // (batch-insert.ts): a trigger per row cost more than the insert itself. Its rows say `batched = 1` and
  // the triggers skip them; any other insert (crash recovery, a hand-made row) is still rolled up and
  // closes its journal entry through them.
  `ALTER TABLE requests ADD COLUMN batched INTEGER NOT NULL DEFAULT 0;
   DROP TRIGGER requests_rollup;
   CREATE TRIGGER requests_rollup AFTER INSERT ON requests WHEN NEW.batched = 0 BEGIN
     INSERT INTO spend_daily (day, ${ROLLUP_COLUMNS}) VALUES (
       strftime('%Y-%m-%d', NEW.started_at / 1000, 'unixepoch'), ${ROLLUP_VALUES})
     ON CONFLICT DO UPDATE SET ${ROLLUP_ADD};
     INSERT INTO spend_monthly (month, ${ROLLUP_COLUMNS}) VALUES (
       strftime('%Y-%m', NEW.started_at / 1000, 'unixepoch'), ${ROLLUP_VALUES})
     ON CONFLICT DO UPDATE SET ${ROLLUP_ADD};
   END;
   DROP TRIGGER requests_close_open;
   CREATE TRIGGER requests_close_open AFTER INSERT ON requests WHEN NEW.batched = 0 BEGIN
     DELETE FROM requests_open WHERE id = NEW.id;
   END;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function migrate(db: Database.Database, file: string): void {
  const current = readUserVersion(db);
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `${file} has schema version ${current}, newer than this Switchboard understands (${SCHEMA_VERSION}); update Switchboard`,
    );
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
