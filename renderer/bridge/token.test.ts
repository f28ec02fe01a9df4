// The admin token is taken from the URL once, kept for the tab, and removed from the address bar.
import { describe, expect, it } from 'vitest';
import { takeAdminToken, type TokenEnv } from './token';

function env(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const replaced: string[] = [];
  const e: TokenEnv = {
    location: { href },
    history: { state: null, replaceState: (_s, _t, url) => void replaced.push(String(url)) },
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v) },
  };
  return { e, storage, replaced };
}

describe('takeAdminToken', () => {
  it('reads the token, stores it and strips it from the URL', () => {
    const { e, storage, replaced } = env('http://127.0.0.1:4000/?token=abc&x=1#chat');
    expect(takeAdminToken(e)).toBe('abc');
    expect([...storage.values()]).toEqual(['abc']);
    expect(replaced).toEqual(['/?x=1#chat']);
  });

  it('falls back to the stored token after a reload', () => {
    const { e, replaced } = env('http://127.0.0.1:4000/', { 'switchboard.adminToken': 'kept' });
    expect(takeAdminToken(e)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('returns null when there is none', () => {
    expect(takeAdminToken(env('http://127.0.0.1:4000/').e)).toBeNull();
  });
});
