// The relay's backpressure on every dialect (and the app bridge): an upstream that streams ~48 MB as
// fast as it can, a client that reads nothing for a while and then reads to the end. While the client
// reads nothing, the port must stop reading the upstream (the upstream's writes wait and its reply is
// not drained to the end: the port is not buffering it), and the client still gets the whole answer
// with its terminal event. A relay that buffered without limit would drain the upstream at once.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFirehose, type Firehose } from '../fakes/firehose-upstream';
import { startHarness, type Harness } from '../support/engine-harness';

// 48 MB: the kernel's loopback socket buffers alone held up to ~16 MB of a paused stream on this machine
// (receive buffers grow to net.ipv4.tcp_rmem's max, 32 MB here); at 20 MB the upstream sometimes
// finished with the port holding nothing back.
const FRAMES = 768;
const FRAME_CHARS = 64 * 1024;
const PAUSE_MS = 1500;

let fire: Firehose;
let h: Harness;

beforeAll(async () => {
  fire = await startFirehose({ frames: FRAMES, frameChars: FRAME_CHARS });
  h = await startHarness(
    {
      providers: [
        { id: 'oa', kind: 'openai-compatible', baseUrl: `${fire.url}/v1`, keys: [{ env: 'FIRE_KEY' }], models: [{ id: 'firehose' }] },
        { id: 'an', kind: 'anthropic', baseUrl: fire.url, keys: [{ env: 'FIRE_KEY' }], models: [{ id: 'firehose' }] },
      ],
      routes: [
        { name: 'oa-route', targets: [{ provider: 'oa', model: 'firehose' }] },
        { name: 'an-route', targets: [{ provider: 'an', model: 'firehose' }] },
      ],
    },
    { FIRE_KEY: 'sk-firehose-test-key-000000000000' },
    'slow-reader',
  );
}, 30_000);

afterAll(async () => {
  await h?.close();
  await fire?.close();
});

interface Case {
  dialect: string;
  path: string;
  body: unknown;
  /** Something only the dialect's clean end carries. */
  terminal: string;
  admin?: boolean;
}

const user = [{ role: 'user', content: 'firehose please' }];
const CASES: Case[] = [
  {
    dialect: 'OpenAI chat (pass-through)',
    path: '/v1/chat/completions',
    body: { model: 'oa-route', messages: user, stream: true },
    terminal: 'data: [DONE]',
  },
  {
    dialect: 'OpenAI Responses (translated)',
    path: '/v1/responses',
    body: { model: 'oa-route', input: 'firehose please', stream: true },
    terminal: 'response.completed',
  },
  {
    dialect: 'Anthropic messages (pass-through)',
    path: '/v1/messages',
    body: { model: 'an-route', max_tokens: 100, messages: user, stream: true },
    terminal: 'message_stop',
  },
  {
    dialect: 'Anthropic messages (translated)',
    path: '/v1/messages',
    body: { model: 'oa-route', max_tokens: 100, messages: user, stream: true },
    terminal: 'message_stop',
  },
  { dialect: 'Ollama chat', path: '/api/chat', body: { model: 'oa-route', messages: user, stream: true }, terminal: '"done":true' },
  {
    dialect: 'Ollama generate',
    path: '/api/generate',
    body: { model: 'oa-route', prompt: 'firehose please', stream: true },
    terminal: '"done":true',
  },
  {
    dialect: 'Gemini streamGenerateContent',
    path: '/v1beta/models/oa-route:streamGenerateContent?alt=sse',
    body: { contents: [{ role: 'user', parts: [{ text: 'firehose please' }] }] },
    terminal: '"finishReason"',
  },
  {
    dialect: 'app bridge chat stream',
    path: '/app/stream',
    body: { service: 'chat', method: 'stream', params: [{ model: 'oa-route', messages: user, ephemeral: true }] },
    terminal: '"type":"done"',
    admin: true,
  },
];

/** Sends the request, reads nothing for PAUSE_MS (reporting what the upstream did meanwhile), then reads to the end. */
function pausedRead(c: Case): Promise<{ status: number; text: string; drainedWhilePaused: boolean; stallsWhilePaused: number }> {
  const port = h.app.gateway!.port;
  const payload = JSON.stringify(c.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: c.path,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${c.admin ? h.app.adminToken : h.token}`,
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.pause();
        setTimeout(() => {
          const drainedWhilePaused = fire.finished.at(-1) === true;
          const stallsWhilePaused = fire.stalls.at(-1) ?? 0;
          const chunks: Buffer[] = [];
          res.on('data', (d: Buffer) => chunks.push(d));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), drainedWhilePaused, stallsWhilePaused }),
          );
          res.on('error', reject);
          res.resume();
        }, PAUSE_MS);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const count = (text: string, ch: string) => {
  let n = 0;
  for (let i = text.indexOf(ch); i !== -1; i = text.indexOf(ch, i + 1)) n++;
  return n;
};

describe('a slow reader on every dialect: the port waits for it instead of buffering the upstream', () => {
  for (const c of CASES) {
    it(`${c.dialect}: the upstream is held back while the client reads nothing, and the whole answer arrives`, async () => {
      const r = await pausedRead(c);
      expect(r.status).toBe(200);
      // Backpressure reached the upstream: its writes waited, and it could not finish while the client read nothing.
      expect(r.drainedWhilePaused).toBe(false);
      expect(r.stallsWhilePaused).toBeGreaterThan(0);
      // Then everything arrived, cleanly ended.
      expect(count(r.text, '~')).toBeGreaterThanOrEqual(FRAMES * FRAME_CHARS);
      expect(r.text).toContain(c.terminal);
      expect(fire.finished.at(-1)).toBe(true);
    }, 60_000);
  }
});
