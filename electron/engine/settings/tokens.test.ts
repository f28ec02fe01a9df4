// Client tokens: format, hashing, name rules and the lookup index the gateway uses.
import { describe, expect, it } from 'vitest';
import { checkTokenName, createClientToken, hashToken, TokenIndex } from './tokens';

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

  it('looks tokens up by hash, forgets revoked ones on update', () => {
    const a = createClientToken('cursor');
    const b = createClientToken('aider');
    const index = new TokenIndex([a.record, b.record]);
    expect(index.lookup(a.token)).toBe('cursor');
    expect(index.lookup(b.token)).toBe('aider');
    expect(index.lookup(a.record.hash)).toBeUndefined(); // the stored hash is not itself a credential
    expect(index.lookup('sbt_nope')).toBeUndefined();
    expect(index.lookup('')).toBeUndefined();
    index.update([b.record]);
    expect(index.lookup(a.token)).toBeUndefined();
    expect(index.lookup(b.token)).toBe('aider');
    expect(index.size).toBe(1);
  });
});
