// Conversation store edits the chat screen needs: rename, truncate before a regenerate, search over
// titles and message text, and each reply's report joined from the request that produced it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from './ledger';
import type { Ledger } from './types';

const opened: Array<{ dir: string; ledger: Ledger }> = [];
function open(): Ledger {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-conv-'));
  const ledger = openLedger(dir);
  opened.push({ dir, ledger });
  return ledger;
}
afterEach(async () => {
  for (const { dir, ledger } of opened.splice(0)) {
    await ledger.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('conversation store edits', () => {
  it('renames, counts messages and refuses an empty title', () => {
    const { conversations } = open();
    const c = conversations.create('chat', 'First');
    conversations.append(c.id, [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b' }]);
    expect(conversations.rename(c.id, '  Better name  ')).toBe(true);
    expect(conversations.get(c.id)).toMatchObject({ title: 'Better name', messageCount: 2 });
    expect(conversations.list()[0]).toMatchObject({ id: c.id, messageCount: 2 });
    expect(conversations.rename('missing', 'x')).toBe(false);
    expect(() => conversations.rename(c.id, '   ')).toThrow(/non-empty title/);
  });

  it('truncates to the first messages and appends after them in order', () => {
    const { conversations } = open();
    const c = conversations.create('chat', 'T');
    conversations.append(c.id, [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(conversations.truncate(c.id, 2)).toBe(true);
    conversations.append(c.id, [{ role: 'user', content: 'q2 edited' }, { role: 'assistant', content: 'a2 again' }]);
    expect(conversations.get(c.id)!.messages.map((m) => m.content)).toEqual(['q1', 'a1', 'q2 edited', 'a2 again']);
    expect(conversations.truncate('missing', 0)).toBe(false);
    expect(() => conversations.truncate(c.id, -1)).toThrow(/whole number/);
  });

  it('searches titles and message text, taking % and _ literally', () => {
    const { conversations } = open();
    const a = conversations.create('chat', 'About SQLite');
    const b = conversations.create('chat', 'Other');
    conversations.append(b.id, [{ role: 'user', content: 'How does 100% WAL_mode work?' }]);
    conversations.create('chat', 'Nothing here');
    expect(conversations.search('sqlite').map((c) => c.id)).toEqual([a.id]);
    expect(conversations.search('wal_mode').map((c) => c.id)).toEqual([b.id]);
    expect(conversations.search('100%').map((c) => c.id)).toEqual([b.id]);
    expect(conversations.search('_')).toHaveLength(1);
    expect(conversations.search('  ')).toHaveLength(3);
  });

  it("joins each reply's report from its request in the ledger, including queued rows", () => {
    const ledger = open();
    const c = ledger.conversations.create('chat', 'R');
    ledger.record({
      id: 'req-x', startedAt: Date.now(), source: 'chat', client: null, route: 'fast', provider: 'acme', model: 'm1', status: 'ok', httpStatus: 200,
      attempts: [{ provider: 'down', model: 'm1', status: 503, durationMs: 5 }, { provider: 'acme', model: 'm1', status: 200, durationMs: 9 }],
      inputTokens: 12, outputTokens: 7, costUsd: 0.0002, ttftMs: 42, durationMs: 60,
    });
    ledger.conversations.append(c.id, [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', model: 'acme/m1', requestId: 'req-x' }]);
    const [user, reply] = ledger.conversations.get(c.id)!.messages;
    expect(user!.report).toBeUndefined();
    expect(reply!.report).toEqual({ provider: 'acme', model: 'm1', usage: { inputTokens: 12, outputTokens: 7 }, costUsd: 0.0002, ttftMs: 42, attempts: 2 });
  });
});
