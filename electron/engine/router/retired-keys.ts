// Keys the router has retired (401/402/403), read back from the ledger's attempts, so `doctor` (a
// separate process without the router's memory) can say which keys to replace.
import type { RequestRecord } from '../ledger/types';

export interface RetiredKey {
  provider: string;
  label: string;
  status: number | null;
  at: number;
}

/** From rows newest first: keys whose latest attempt was an auth failure. */
export function retiredKeysFromLedger(rows: RequestRecord[]): RetiredKey[] {
  const seen = new Set<string>();
  const retired: RetiredKey[] = [];
  for (const row of rows) {
    for (let i = row.attempts.length - 1; i >= 0; i--) {
      const a = row.attempts[i]!;
      if (!a.keyLabel) continue;
      const id = `${a.provider}/${a.keyLabel}`;
      if (seen.has(id)) continue;
      seen.add(id);
      if (a.errorClass === 'auth') retired.push({ provider: a.provider, label: a.keyLabel, status: a.status, at: row.startedAt });
    }
  }
  return retired;
}
