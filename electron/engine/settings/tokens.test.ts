// Client tokens: format, hashing, name rules and the lookup index the gateway uses.
import { describe, expect, it } from 'vitest';
import type { ClientTokenRecord } from './types';
import { checkTokenName, createClientToken, hashToken, TokenLookup } from './tokens';

describe('client tokens', () => {
  it('mints sbt_ tokens of 32 random bytes and keeps only their hash and prefix', () => {
    const { token, record } = createClientToken('cursor');
    expect(token).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(4), 'base64url')).toHaveLength(32);
    expect(record.name).toBe('cursor');
    expect(record.hash).toBe(hashToken(token));
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(record.prefix).toBe(token.slice(0, 8));
    expect(Date.parse(record.createdAt)).not.toBeNaN();
    expect(JSON.stringify(record)).not.toContain(token);
    expect(createClientToken('cursor').token).not.toBe(token);
  });

  it('hashes with sha256 hex', () => {
    expect(hashToken('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('accepts simple names and refuses the rest', () => {
    for (const good of ['cursor', 'claude-code', 'a', 'ci.build_2']) expect(() => checkTokenName(good)).not.toThrow();
    for (const bad of ['', '-x', '.x', 'has space', 'a/b', 'ünï']) {
      expect(() => createClientToken(bad), bad).toThrow(/invalid token name/);
    }
  });

  it('looks tokens up by hash; a new lookup (the token list changed) forgets revoked ones, remembered or not', () => {
    const a = createClientToken('cursor');
    const b = createClientToken('aider');
    const byName = (records: ClientTokenRecord[]) => new TokenLookup(records.map((r) => [r.hash, r.name] as const));
    let lookup = byName([a.record, b.record]);
    expect(lookup.get(a.token)).toBe('cursor');
    expect(lookup.get(a.token)).toBe('cursor'); // remembered
    expect(lookup.get(b.token)).toBe('aider');
    expect(lookup.get(a.record.hash)).toBeUndefined(); // the stored hash is not itself a credential
    expect(lookup.get('sbt_nope')).toBeUndefined();
    expect(lookup.get('')).toBeUndefined();
    lookup = byName([b.record]);
    expect(lookup.get(a.token)).toBeUndefined();
    expect(lookup.get(b.token)).toBe('aider');
  });

  it('remembers a bounded number of tokens and never an unknown one', () => {
    const records = Array.from({ length: 100 }, (_, i) => createClientToken(`tool-${i}`));
    const lookup = new TokenLookup(records.map(({ record }) => [record.hash, record.name] as const));
    for (let round = 0; round < 2; round++) for (const [i, { token }] of records.entries()) expect(lookup.get(token)).toBe(`tool-${i}`);
    for (let i = 0; i < 1000; i++) expect(lookup.get(`sbt_guess${i}`)).toBeUndefined();
  });
});
