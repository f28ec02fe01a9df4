// Reads ledger rows straight from SQLite, so tests check what was really written, not what we return.
import Database from 'libsql';
import { join } from 'node:path';

export interface RawRow {
  provider: string;
  model: string;
  client: string;
  route: string;
  status: string;
  attempts: string;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
}

export function openLedgerReader(dataDir: string) {
  return {
    latest(): RawRow {
      const db = new Database(join(dataDir, 'ledger.db'), { readonly: true });
      try {
        return db.prepare('SELECT * FROM requests ORDER BY started_at DESC, rowid DESC LIMIT 1').get() as RawRow;
      } finally {
        db.close();
      }
    },
  };
}
