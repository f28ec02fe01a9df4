// Keys the router has retired (401/402/403), read back from the ledger's attempts, so `doctor` (a
// separate process without the router's memory) can say which keys to replace and when the router
// will next try each one.
import type { RequestRecord } from '../ledger/types';
import { retiredProbeDelay } from './key-health';

export interface RetiredKey {
  provider: string;
  label: string;
  status: number | null;
  /** When the latest refusal happened (its request's start). */
  at: number;
  /** Refusals in a row, the latest included: the first retired the key, the others were failed re-checks. */
  refusals: number;
  /**
   * When the router tries the key again with one request, at the latest: its backoff (1 min after the
   * first refusal, doubling per failed re-check, up to 30 min) counted from the latest refusal. A
   * restarted engine has forgotten the retirement and tries it sooner.
   */
  nextCheckAt: number;
}

/** From rows newest first: keys whose latest attempt was an auth failure. */
export function retiredKeysFromLedger(rows: RequestRecord[]): RetiredKey[] {
  const seen = new Set<string>();
  const retired: RetiredKey[] = [];
  /** Retired keys whose refusals in a row (going back in time) are still being counted. */
  const counting = new Map<string, RetiredKey>();
  for (const row of rows) {
    for (let i = row.attempts.length - 1; i >= 0; i--) {
      const a = row.attempts[i]!;
      if (!a.keyLabel) continue;
      const id = `${a.provider}/${a.keyLabel}`;
      if (!seen.has(id)) {
        seen.add(id);
        if (a.errorClass !== 'auth') continue;
        const k: RetiredKey = { provider: a.provider, label: a.keyLabel, status: a.status, at: row.startedAt, refusals: 1, nextCheckAt: 0 };
        retired.push(k);
        counting.set(id, k);
        continue;
      }
      const k = counting.get(id);
      if (!k) continue;
      if (a.errorClass === 'auth') k.refusals++;
      else counting.delete(id); // it answered before these refusals: the streak starts after that
    }
  }
  for (const k of retired) k.nextCheckAt = k.at + retiredProbeDelay(k.refusals - 1);
  return retired;
}
