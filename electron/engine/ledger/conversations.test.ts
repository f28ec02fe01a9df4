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
  it('renames, counts messages and refuses an empty title', async () => {
    const { conversations } = open();
    const c = conversations.create('chat', 'First');
    conversations.append(c.id, [
      { role: 'user', content: 'a' },
      { role: 'assistant', content: 'b' },
    ]);
    expect(conversations.has(c.id)).toBe(true);
    expect(conversations.has('no-such-conversation')).toBe(false);
    expect(conversations.rename(c.id, '  Better name  ')).toBe(true);
    expect(await conversations.get(c.id)).toMatchObject({ title: 'Better name', messageCount: 2 });
    expect(conversations.list()[0]).toMatchObject({ id: c.id, messageCount: 2 });
    expect(conversations.rename('missing', 'x')).toBe(false);
    expect(() => conversations.rename(c.id, '   ')).toThrow(/non-empty title/);
  });

  it('keeps the images a message carried, in order, and refuses anything but data: or https: images', async () => {
    const { conversations } = open();
    const c = conversations.create('chat', 'With a picture');
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    conversations.append(c.id, [
      { role: 'user', content: 'What is this?', images: [png, 'https://example.com/b.jpg'] },
      { role: 'assistant', content: 'A cat.' },
    ]);
    const got = (await conversations.get(c.id))!;
    expect(got.messages[0]).toMatchObject({ role: 'user', content: 'What is this?', images: [png, 'https://example.com/b.jpg'] });
    expect(got.messages[1]!.images).toBeUndefined();
    const put = conversations.put({ kind: 'chat', title: 'Put', messages: [{ role: 'user', content: '', images: [png] }] });
    expect((await conversations.get(put.id))!.messages[0]!.images).toEqual([png]);
    expect(() =>
      conversations.put({ kind: 'chat', title: 'Bad', messages: [{ role: 'user', content: 'x', images: ['file:///etc/passwd'] }] }),
    ).toThrow(/images must be data:image/);
  });

  it('truncates to the first messages and appends after them in order', async () => {
    const { conversations } = open();
    const c = conversations.create('chat', 'T');
    conversations.append(c.id, [
      { role: 'user', content: 'q1' },
      { role: 'assistant', content: 'a1' },
      { role: 'user', content: 'q2' },
      { role: 'assistant', content: 'a2' },
    ]);
    expect(conversations.truncate(c.id, 2)).toBe(true);
    conversations.append(c.id, [
      { role: 'user', content: 'q2 edited' },
      { role: 'assistant', content: 'a2 again' },
    ]);
    expect((await conversations.get(c.id))!.messages.map((m) => m.content)).toEqual(['q1', 'a1', 'q2 edited', 'a2 again']);
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

  it("joins each reply's report from its request in the ledger, including queued rows", async () => {
    const ledger = open();
    const c = ledger.conversations.create('chat', 'R');
    ledger.record({
      id: 'req-x',
      startedAt: Date.now(),
      source: 'chat',
      client: null,
      route: 'fast',
      provider: 'acme',
      model: 'm1',
      status: 'ok',
      httpStatus: 200,
      attempts: [
        { provider: 'down', model: 'm1', status: 503, durationMs: 5 },
        { provider: 'acme', model: 'm1', status: 200, durationMs: 9 },
      ],
      inputTokens: 12,
      outputTokens: 7,
      costUsd: 0.0002,
      ttftMs: 42,
      durationMs: 60,
    });
    ledger.conversations.append(c.id, [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a', model: 'acme/m1', requestId: 'req-x' },
    ]);
    const [user, reply] = (await ledger.conversations.get(c.id))!.messages;
    expect(user!.report).toBeUndefined();
    expect(reply!.report).toEqual({
      provider: 'acme',
      model: 'm1',
      usage: { inputTokens: 12, outputTokens: 7 },
      costUsd: 0.0002,
      ttftMs: 42,
      attempts: 2,
    });
  });
});

describe('spend drill-down requests', () => {
  it('pages single requests newest first with their attempts, filtered by route and model', async () => {
    const ledger = open();
    const base = Date.now() - 60_000;
    for (let i = 0; i < 5; i++) {
      ledger.record({
        id: `r${i}`,
        startedAt: base + i * 1000,
        source: i % 2 ? 'chat' : 'port',
        client: i % 2 ? null : 'cursor',
        route: i < 3 ? 'fast' : 'slow',
        provider: 'acme',
        model: i === 4 ? 'm2' : 'm1',
        status: i === 2 ? 'error' : 'ok',
        httpStatus: i === 2 ? 502 : 200,
        ...(i === 2 ? { errorMessage: 'all targets failed' } : {}),
        attempts: [{ provider: 'acme', model: 'm1', status: i === 2 ? 503 : 200, durationMs: 10 }],
        inputTokens: 10 + i,
        outputTokens: 5,
        costUsd: i === 3 ? null : 0.001,
        ttftMs: 20,
        durationMs: 30,
      });
    }
    const all = await ledger.requests({});
    expect(all.map((r) => r.id)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
    expect(all[2]).toMatchObject({
      status: 'error',
      httpStatus: 502,
      errorMessage: 'all targets failed',
      attempts: [{ provider: 'acme', status: 503 }],
    });
    expect(all[1]!.costUsd).toBeNull();
    expect((await ledger.requests({ route: 'fast' })).map((r) => r.id)).toEqual(['r2', 'r1', 'r0']);
    expect((await ledger.requests({ model: 'm2' })).map((r) => r.id)).toEqual(['r4']);
    expect((await ledger.requests({ client: 'cursor', limit: 1 })).map((r) => r.id)).toEqual(['r4']);
    expect((await ledger.requests({ limit: 2, before: base + 3000 })).map((r) => r.id)).toEqual(['r2', 'r1']);
    await expect(ledger.requests({ since: 'yesterday-ish' })).rejects.toThrow();
  });
});

describe('conversation put', () => {
  it('creates with a given id, then replaces title and messages in place', async () => {
    const { conversations } = open();
    const first = conversations.put({
      id: 'run-1',
      kind: 'compare',
      title: 'P',
      messages: [
        { role: 'user', content: 'p' },
        { role: 'assistant', content: 'a', model: 'x/y' },
      ],
    });
    expect(first).toMatchObject({ id: 'run-1', kind: 'compare', messageCount: 2 });
    conversations.put({
      id: 'run-1',
      kind: 'compare',
      title: 'P2',
      messages: [
        { role: 'user', content: 'p' },
        { role: 'assistant', content: 'b' },
        { role: 'system', content: 'facts' },
      ],
    });
    const got = (await conversations.get('run-1'))!;
    expect(got).toMatchObject({ title: 'P2', createdAt: first.createdAt, messageCount: 3 });
    expect(got.messages.map((m) => m.content)).toEqual(['p', 'b', 'facts']);
    expect(() => conversations.put({ id: 'bad id!', kind: 'compare', title: 't', messages: [] })).toThrow(/conversation id/);
    expect(() => conversations.put({ kind: 'compare', title: 't', messages: [{ role: 'tool' as 'user', content: 'x' }] })).toThrow(
      /messages must be/,
    );
    expect(conversations.list().map((c) => c.id)).toEqual(['run-1']);
  });
});
