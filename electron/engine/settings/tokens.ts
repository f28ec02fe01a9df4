// Client tokens for the local port: minted once (`sbt_…`), stored only as sha256 hashes, looked up in O(1).
import { hash, randomBytes } from 'node:crypto';
import { APP_CLIENT } from '../ledger/types';
import type { ClientTokenRecord } from './types';

export const TOKEN_PREFIX = 'sbt_';
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws a clear Error when `name` cannot name a client token (it shows up in spend reports by client). */
export function checkTokenName(name: string): void {
  if (!namePattern.test(name)) {
    throw new Error(`invalid token name "${name}": start with a letter or digit, then letters, digits, ".", "_" or "-"`);
  }
}

export function hashToken(token: string): string {
  // One-shot hash: checked on every port request, a third of createHash's cost.
  return hash('sha256', token, 'hex');
}

/** A new token and the record to keep. The token itself is returned here once and stored nowhere. */
export function createClientToken(
  name: string,
  limits: { allow?: string[]; budgetUsd?: number; budgetAllowUnpriced?: boolean } = {},
): { token: string; record: ClientTokenRecord } {
  checkTokenName(name);
  // Spend by client would mix a tool's requests with the app's own chat and compare.
  if (name === APP_CLIENT)
    throw new Error(`invalid token name "${name}": the app's own chat and compare requests are recorded under it; choose another name`);
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const record: ClientTokenRecord = { name, hash: hashToken(token), prefix: token.slice(0, 8), createdAt: new Date().toISOString() };
  if (limits.allow && limits.allow.length > 0) record.allow = [...limits.allow];
  if (limits.budgetUsd !== undefined) record.budgetUsd = limits.budgetUsd;
  if (limits.budgetAllowUnpriced) record.budgetAllowUnpriced = true;
  return { token, record };
}

/**
 * Token hash -> client name, rebuilt whenever the token list changes. Lookups hash the presented token
 * and hit a Map: no per-token comparison loop, and nothing to time since the attacker cannot choose hashes.
 */
export class TokenIndex {
  #byHash = new Map<string, string>();

  constructor(records: readonly ClientTokenRecord[] = []) {
    this.update(records);
  }

  update(records: readonly ClientTokenRecord[]): void {
    this.#byHash = new Map(records.map((r) => [r.hash, r.name]));
  }

  /** The client name for a presented token, or undefined when the token is unknown or revoked. */
  lookup(token: string): string | undefined {
    if (!token) return undefined;
    return this.#byHash.get(hashToken(token));
  }

  get size(): number {
    return this.#byHash.size;
  }
}
