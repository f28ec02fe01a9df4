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

/** How many presented tokens the port remembers: a few tools share a port; past this it starts over. */
const REMEMBERED_TOKENS = 64;

/**
 * Tokens as the port checks them on every request: by hash, with the valid tokens presented lately
 * remembered as presented, so a tool's later requests skip the hashing. Built anew whenever the token
 * list changes, memo included, so a revoked token is refused from that moment. Unknown tokens are never
 * remembered: guessing cannot grow it.
 */
export class TokenLookup<T> {
  readonly #byHash: Map<string, T>;
  readonly #seen = new Map<string, T>();

  constructor(entries: Iterable<readonly [hash: string, value: T]>) {
    this.#byHash = new Map(entries);
  }

  get(token: string): T | undefined {
    const seen = this.#seen.get(token);
    if (seen !== undefined) return seen;
    const found = this.#byHash.get(hashToken(token));
    if (found === undefined) return undefined;
    if (this.#seen.size >= REMEMBERED_TOKENS) this.#seen.clear();
    this.#seen.set(token, found);
    return found;
  }
}
