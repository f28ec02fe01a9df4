// Hostile input on the port: each is refused with the right status in the caller's dialect's error shape,
// and the fake upstream sees nothing. Raw HTTP (node:http, node:net) so Host, Origin and pacing are ours to set.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { sendRaw, type RawReply, type RawRequest } from '../support/raw-http';

let up: OpenAIFake;
let h: Harness;
let port: number;
let seenBefore = 0;
let limitedToken = '';

type Reply = RawReply;
const send = (path: string, opts: RawRequest = {}): Promise<Reply> => sendRaw(port, path, opts);

const chat = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }] });
const auth = () => ({ authorization: `Bearer ${h.token}` });
const openAIError = (r: Reply, status: number) => {
  expect(r.status).toBe(status);
  expect(r.body).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } });
  expect(r.body.error.message.length).toBeGreaterThan(10);
};

beforeAll(async () => {
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
    'hostile-test',
    { portLimits: { maxBodyBytes: 64 * 1024, bodyIdleMs: 1000, headersTimeoutMs: 1500, maxHeaderBytes: 8 * 1024 } },
  );
  port = h.app.gateway!.port;
  limitedToken = (await h.app.services.tokens.create({ name: 'limited', allow: ['other'] })).token;
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

beforeEach(() => {
  seenBefore = up.requests.length;
});

const upstreamSawNothing = () => expect(up.requests.length).toBe(seenBefore);

describe('the port refuses hostile input before anything reaches an upstream', () => {
  it('a sane request does reach the upstream (the control)', async () => {
    const r = await send('/v1/chat/completions', { headers: auth(), body: chat });
    expect(r.status).toBe(200);
    expect(up.requests.length).toBe(seenBefore + 1);
  });

  it('missing token: 401 in OpenAI, Anthropic and Ollama shapes', async () => {
    openAIError(await send('/v1/chat/completions', { body: chat }), 401);
    const a = await send('/v1/messages', { body: JSON.stringify({ model: 'default', max_tokens: 5, messages: [] }) });
    expect(a.status).toBe(401);
    expect(a.body).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error', message: expect.stringContaining('missing client token') },
    });
    const o = await send('/api/show', { body: JSON.stringify({ model: 'default' }) });
    expect(o.status).toBe(401);
    expect(o.body).toEqual({ error: expect.stringContaining('missing client token') });
    upstreamSawNothing();
  });

  it('wrong token (Bearer and x-api-key): 401', async () => {
    const r = await send('/v1/chat/completions', { headers: { authorization: 'Bearer sbt_not-a-real-token' }, body: chat });
    openAIError(r, 401);
    expect(r.body.error.code).toBe('invalid_api_key');
    expect(r.text).not.toContain('sbt_not-a-real-token');
    openAIError(await send('/v1/chat/completions', { headers: { 'x-api-key': 'wrong' }, body: chat }), 401);
    upstreamSawNothing();
  });

  it('a token in the path (for Ollama clients that send no key) works; a wrong one is 401 in Ollama shape', async () => {
    const ok = await send(`/t/${h.token}/api/version`, { method: 'GET' });
    expect(ok.status).toBe(200);
    expect(ok.body.version).toMatch(/^\d+\.\d+\.\d+$/);
    const show = await send(`/t/${h.token}/api/show`, { body: JSON.stringify({ model: 'default' }) });
    expect(show.status).toBe(200);
    expect(show.body.details.format).toBe('remote');
    const bad = await send('/t/sbt_wrong/api/version', { method: 'GET' });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: expect.stringContaining('invalid client token') });
    expect(bad.text).not.toContain('sbt_wrong');
    upstreamSawNothing();
  });

  it('wrong Host (DNS rebinding): 421', async () => {
    const r = await send('/v1/chat/completions', { headers: { ...auth(), host: `evil.example:${port}` }, body: chat });
    openAIError(r, 421);
    expect(r.body.error.code).toBe('host_not_allowed');
    upstreamSawNothing();
  });

  it('a browser Origin: 403 unless allow-listed; allow-listed gets CORS and a preflight', async () => {
    const r = await send('/v1/chat/completions', { headers: { ...auth(), origin: 'https://evil.example' }, body: chat });
    openAIError(r, 403);
    expect(r.body.error.code).toBe('origin_not_allowed');
    upstreamSawNothing();
    await h.app.services.port.updateSettings({ allowedOrigins: ['https://tool.example'] });
    const pre = await send('/v1/chat/completions', {
      method: 'OPTIONS',
      headers: { origin: 'https://tool.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('https://tool.example');
    const ok = await send('/v1/chat/completions', { headers: { ...auth(), origin: 'https://tool.example' }, body: chat });
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://tool.example');
    expect(ok.headers['access-control-expose-headers']).toContain('x-request-id');
    openAIError(await send('/v1/chat/completions', { headers: { ...auth(), origin: 'https://evil.example' }, body: chat }), 403);
    await h.app.services.port.updateSettings({ allowedOrigins: [] });
  });

  it('malformed JSON: 400', async () => {
    const r = await send('/v1/chat/completions', { headers: auth(), body: '{"model": "default", "messages": [' });
    openAIError(r, 400);
    expect(r.body.error.message).toContain('not valid JSON');
    upstreamSawNothing();
  });

  it('wrong types: 400 naming the field', async () => {
    for (const [body, field] of [
      [{ model: 42, messages: [{ role: 'user', content: 'x' }] }, '`model`'],
      [{ model: 'default', messages: 'hello' }, '`messages`'],
      [{ model: 'default', messages: [{ role: 'user', content: 'x' }], stream: 'yes' }, '`stream`'],
      [[1, 2, 3], 'JSON object'],
    ] as const) {
      const r = await send('/v1/chat/completions', { headers: auth(), body: JSON.stringify(body) });
      openAIError(r, 400);
      expect(r.body.error.message).toContain(field);
    }
    const resp = await send('/v1/responses', { headers: auth(), body: JSON.stringify({ model: 'default', input: 7 }) });
    openAIError(resp, 400);
    const emb = await send('/v1/embeddings', { headers: auth(), body: JSON.stringify({ model: 'default', input: { a: 1 } }) });
    openAIError(emb, 400);
    upstreamSawNothing();
  });

  it('oversized body: 413, declared or streamed without a length', async () => {
    const big = JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    openAIError(await send('/v1/chat/completions', { headers: auth(), body: big }), 413);
    openAIError(await send('/v1/chat/completions', { headers: { ...auth(), 'transfer-encoding': 'chunked' }, body: big }), 413);
    upstreamSawNothing();
  });

  it('oversized headers: 431', async () => {
    const r = await send('/v1/chat/completions', { headers: { ...auth(), 'x-junk': 'j'.repeat(10 * 1024) }, body: chat });
    expect(r.status).toBe(431);
    upstreamSawNothing();
  });

  it('unknown model: 404 model_not_found', async () => {
    const r = await send('/v1/chat/completions', {
      headers: auth(),
      body: JSON.stringify({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    });
    openAIError(r, 404);
    expect(r.body.error.code).toBe('model_not_found');
    upstreamSawNothing();
  });

  it('a token limited to some routes: 403 for the others', async () => {
    const r = await send('/v1/chat/completions', { headers: { authorization: `Bearer ${limitedToken}` }, body: chat });
    openAIError(r, 403);
    expect(r.body.error.code).toBe('model_not_allowed');
    upstreamSawNothing();
    const ok = await send('/v1/chat/completions', {
      headers: { authorization: `Bearer ${limitedToken}` },
      body: JSON.stringify({ model: 'other', messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(ok.status).toBe(200);
  });

  it('a client that stalls mid-body: 408 and the connection closes', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${h.token}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"model":"default",`,
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 5000).unref();
    });
    expect(raw).toMatch(/^HTTP\/1\.1 408/);
    expect(raw).toContain('stalled');
    upstreamSawNothing();
  });

  it('a client that stalls mid-headers is cut off', async () => {
    const started = Date.now();
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`));
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (d) => (text += d));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 5000).unref();
    });
    expect(raw).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
    upstreamSawNothing();
  });

  it('refused requests show up in the request log, without the token', async () => {
    const log = await h.app.services.port.requests(200);
    const refused = log.filter((e) => e.status === 'refused');
    expect(refused.map((e) => e.httpStatus)).toEqual(expect.arrayContaining([401, 403, 421, 400, 413, 404]));
    expect(JSON.stringify(log)).not.toContain(h.token);
    expect(log).toContainEqual(
      expect.objectContaining({
        status: 'refused',
        httpStatus: 404,
        model: 'nope',
        client: 'hostile-test',
        errorMessage: expect.stringContaining('does not exist'),
      }),
    );
    expect(log).toContainEqual(expect.objectContaining({ status: 'refused', httpStatus: 403, model: 'default', client: 'limited' }));
  });
});
