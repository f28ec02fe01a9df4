// Regression tests for the port's own boundary (hardening issue items 1, 3, 8 and 11): a malformed
// escape, absurd nesting, trickled bodies, slow-socket floods and small protocol slips each get a clear
// 4xx in the caller's shape and leave the port answering; nothing reaches the upstream for them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { sendRaw, type RawReply, type RawRequest } from '../support/raw-http';

let up: OpenAIFake;
let h: Harness;
let port: number;
let seenBefore = 0;
const uncaught: unknown[] = [];
const onUncaught = (e: unknown) => uncaught.push(e);

const send = (path: string, opts: RawRequest = {}): Promise<RawReply> => sendRaw(port, path, opts);
const auth = () => ({ authorization: `Bearer ${h.token}` });
const chat = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
const upstreamSawNothing = () => expect(up.requests.length).toBe(seenBefore);

async function stillAnswers(): Promise<void> {
  const r = await send('/v1/chat/completions', { headers: auth(), body: chat });
  expect(r.status).toBe(200);
  expect(uncaught).toEqual([]);
}

const MAX_CONNECTIONS = 40;

// A UI to serve (serve mode), so static paths are decoded as they are in production.
const uiDir = mkdtempSync(join(tmpdir(), 'switchboard-ui-'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  up = await startOpenAIFake({ apiKey: 'k', models: ['m1'] });
  h = await startHarness(
    {
      providers: [{ id: 'up', kind: 'openai-compatible', baseUrl: up.url, keys: [{ env: 'UP_KEY' }], models: [{ id: 'm1' }] }],
      routes: [
        { name: 'default', targets: [{ provider: 'up', model: 'm1' }] },
        { name: 'other', targets: [{ provider: 'up', model: 'm1' }] },
      ],
    },
    { UP_KEY: 'k' },
    'boundary-test',
    { portLimits: { bodyIdleMs: 1000, bodyTotalMs: 1500, headersTimeoutMs: 10_000, maxConnections: MAX_CONNECTIONS }, rendererDir: uiDir },
  );
  port = h.app.gateway!.port;
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await h?.close();
  await up?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

beforeEach(() => {
  seenBefore = up.requests.length;
});

describe('a malformed percent-escape never ends the process (item 1)', () => {
  it('GET /t/%ZZ with a good Host, a foreign Host and a hostile Origin: a 4xx, and the port still answers', async () => {
    const plain = await send('/t/%ZZ', { method: 'GET' });
    expect(plain.status).toBe(400);
    const api = await send('/t/%ZZ/api/chat', { body: '{}' });
    expect(api.status).toBe(400);
    expect(api.body).toEqual({ error: expect.stringContaining('percent-encoded') });
    const foreign = await send('/t/%ZZ', { method: 'GET', headers: { host: `evil.example:${port}` } });
    expect(foreign.status).toBe(421);
    const origin = await send('/t/%ZZ/v1/chat/completions', { headers: { origin: 'http://evil.example' }, body: chat });
    expect(origin.status).toBe(400);
    upstreamSawNothing();
    await stillAnswers();
  });

  it('bad escapes in a model id and in a UI path: 404 and 400, never a crash', async () => {
    const model = await send('/v1/models/%E0%A4%A', { method: 'GET', headers: auth() });
    expect(model.status).toBe(404);
    expect(model.body.error.message).toBeTruthy();
    const ui = await send('/assets/%ZZ.js', { method: 'GET' });
    expect(ui.status).toBe(400);
    expect((await send('/', { method: 'GET' })).status).toBe(200);
    await stillAnswers();
  });

  it('a malformed request line is answered 400 by the port, not dropped silently', async () => {
    const reply = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write('GET /\u0001bad HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    await stillAnswers();
  });
});

describe('absurd nesting is a 400 naming where, before anything walks it (item 3)', () => {
  it('100,000 levels in a message: 400 with the field path, upstream untouched, the target still healthy', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (let i = 0; i < 5; i++) {
      const r = await send('/v1/chat/completions', {
        headers: auth(),
        body: `{"model":"default","messages":[{"role":"user","content":${deep}}]}`,
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toContain('nested deeper than 128 levels at `messages.0.content.0.0');
    }
    const anthropic = await send('/v1/messages', {
      headers: auth(),
      body: `{"model":"default","max_tokens":5,"messages":[{"role":"user","content":"x"}],"tools":${deep}}`,
    });
    expect(anthropic.status).toBe(400);
    expect(anthropic.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: expect.stringContaining('`tools.0.0') },
    });
    upstreamSawNothing();
    await stillAnswers();
  });

  it('realistic nesting (a tool schema 30 levels deep) is accepted', async () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 30; i++) schema = { type: 'object', properties: { x: schema } };
    const r = await send('/v1/chat/completions', {
      headers: auth(),
      body: JSON.stringify({
        model: 'default',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [{ type: 'function', function: { name: 'f', parameters: schema } }],
      }),
    });
    expect(r.status).toBe(200);
  });
});

describe('slow clients cannot hold the port (item 8)', () => {
  it('a body trickled a byte at a time is cut at the total body limit even though it never pauses long', async () => {
    const started = Date.now();
    const reply = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.write(
          `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: application/json\r\nContent-Length: ${chat.length}\r\n\r\n`,
        );
        let i = 0;
        const tick = setInterval(() => {
          if (s.destroyed || i >= chat.length - 1) return clearInterval(tick);
          s.write(chat[i++]!);
        }, 300);
        s.on('close', () => clearInterval(tick));
      });
      let text = '';
      s.on('data', (d) => (text += d));
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect(reply).toContain('took longer than 1500 ms');
    // The total limit (1.5 s), not the idle one (never reached) nor Node's own request timeout.
    expect(Date.now() - started).toBeLessThan(6000);
    upstreamSawNothing();
  });

  it('a flood of idle sockets past the connection cap does not lock a real client out', async () => {
    const sockets: Socket[] = [];
    try {
      for (let i = 0; i < MAX_CONNECTIONS * 2; i++) {
        const s = connect(port, '127.0.0.1');
        s.on('error', () => {});
        // Half a request line, then nothing: the slowloris shape.
        s.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
        sockets.push(s);
      }
      await new Promise((r) => setTimeout(r, 300));
      const r = await send('/v1/chat/completions', { headers: auth(), body: chat });
      expect(r.status).toBe(200);
      const closed = sockets.filter((s) => s.destroyed || s.readableEnded).length;
      expect(closed).toBeGreaterThanOrEqual(MAX_CONNECTIONS);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });
});

describe('small slips get the right answer (item 11)', () => {
  it('403, 404 and 421 carry the security headers the UI pages have', async () => {
    const answers = [
      await send('/v1/chat/completions', { headers: { ...auth(), origin: 'http://evil.example' }, body: chat }),
      await send('/v1/nothing-here', { method: 'GET', headers: auth() }),
      await send('/v1/chat/completions', { headers: { ...auth(), host: `evil.example:${port}` }, body: chat }),
      await send('/nothing.js', { method: 'GET' }),
      await send('/', { method: 'GET', headers: { host: 'evil.example' } }),
    ];
    expect(answers.map((a) => a.status)).toEqual([403, 404, 421, 404, 421]);
    for (const a of answers) {
      expect(a.headers['x-content-type-options']).toBe('nosniff');
      expect(a.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(a.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('a UTF-8 byte order mark before the JSON is accepted', async () => {
    const r = await send('/v1/chat/completions', {
      headers: auth(),
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chat)]),
    });
    expect(r.status).toBe(200);
  });

  it('Anthropic max_tokens of -1 or 0 is told what is wrong, not "Field required"', async () => {
    for (const max of [-1, 0, 1.5]) {
      const r = await send('/v1/messages', {
        headers: auth(),
        body: JSON.stringify({ model: 'default', max_tokens: max, messages: [{ role: 'user', content: 'x' }] }),
      });
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe('max_tokens: Input should be an integer greater than or equal to 1');
    }
    const missing = await send('/v1/messages', {
      headers: auth(),
      body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(missing.body.error.message).toBe('max_tokens: Field required');
    upstreamSawNothing();
  });

  it('/api/show keeps a model a token may not use to itself, whether it is named in `model` or `name`', async () => {
    const limited = (await h.app.services.tokens.create({ name: 'show-limited', allow: ['other'] })).token;
    const headers = { authorization: `Bearer ${limited}` };
    expect((await send('/api/show', { headers, body: JSON.stringify({ model: 'other' }) })).status).toBe(200);
    const byModel = await send('/api/show', { headers, body: JSON.stringify({ model: 'default' }) });
    const byName = await send('/api/show', { headers, body: JSON.stringify({ name: 'default' }) });
    for (const r of [byModel, byName]) {
      expect(r.status).toBe(403);
      expect(r.body).toEqual({ error: expect.stringContaining('may not use') });
      expect(r.text).not.toContain('context_length');
    }
  });
});
