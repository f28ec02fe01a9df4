// Keys an upstream echoes back ("Incorrect API key provided: sk-…"), through every dialect and provider
// kind, reach no client, ledger file, request log, routes.health, spend list, CSV or key test.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_MODES, startKeyEchoFake, type KeyEchoFake } from '../fakes/key-echo-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const keys = {
  oa: `sk-proj-${hex(24)}`,
  an: `sk-ant-api03-${randomBytes(45).toString('base64url')}`,
  gm: `AIza${randomBytes(27).toString('base64url').slice(0, 35)}`,
  // No known shape (Azure's keys look like this): only the exact-secret redaction can catch it.
  ol: hex(16),
};
// Other key-shaped strings the fake echoes beside the key it was sent: caught by their shape alone.
const decoys = [`sk-proj-${hex(20)}`, `gsk_${hex(20)}`, `xai-${hex(20)}`];
const KINDS = { oa: 'openai-compatible', an: 'anthropic', gm: 'gemini', ol: 'ollama' } as const;
type Kind = keyof typeof KINDS;

/** How a client reaches a provider: the dialect's path and body, per mode (the model name). */
const VARIANTS: Record<string, { path: string; body: (model: string) => object; kinds: Kind[] }> = {
  'chat-s': {
    path: '/v1/chat/completions',
    body: (model) => ({ model, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    kinds: ['oa', 'an', 'gm', 'ol'],
  },
  'chat-j': {
    path: '/v1/chat/completions',
    body: (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] }),
    kinds: ['oa', 'an', 'gm', 'ol'],
  },
  'msg-s': {
    path: '/v1/messages',
    body: (model) => ({ model, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    kinds: ['oa', 'an', 'gm', 'ol'],
  },
  'msg-j': {
    path: '/v1/messages',
    body: (model) => ({ model, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
    kinds: ['oa', 'an'],
  },
  'cmpl-s': { path: '/v1/completions', body: (model) => ({ model, prompt: 'hi', stream: true }), kinds: ['oa'] },
  'resp-s': { path: '/v1/responses', body: (model) => ({ model, input: 'hi', stream: true }), kinds: ['oa'] },
  emb: { path: '/v1/embeddings', body: (model) => ({ model, input: 'hi' }), kinds: ['oa'] },
  ollama: { path: '/api/chat', body: (model) => ({ model, messages: [{ role: 'user', content: 'hi' }] }), kinds: ['ol', 'oa'] },
};

let fake: KeyEchoFake;
let h: Harness;
/** Everything a client, the UI or an export received: status lines, headers and bodies. */
const seen: string[] = [];

function providers() {
  const out: object[] = [];
  const models = ECHO_MODES.map((id) => ({ id }));
  const baseUrl = (k: Kind) => (k === 'oa' ? `${fake.url}/v1` : k === 'gm' ? `${fake.url}/v1beta` : fake.url);
  for (const k of Object.keys(KINDS) as Kind[]) {
    const key = [{ env: `ECHO_${k.toUpperCase()}_KEY` }];
    // One provider per way in, so a key retired by one 401 leaves the other paths their own key.
    for (const [variant, v] of Object.entries(VARIANTS))
      if (v.kinds.includes(k)) out.push({ id: `${k}-${variant}`, kind: KINDS[k], baseUrl: baseUrl(k), keys: key, models });
    out.push({ id: `${k}-app`, kind: KINDS[k], baseUrl: baseUrl(k), keys: key, models });
    out.push({ id: `${k}-list`, kind: KINDS[k], baseUrl: baseUrl(k), keys: key, models });
  }
  return out;
}

async function call(
  path: string,
  body: object,
  auth: string,
  label = `${path} ${(body as { model?: string }).model ?? ''}`,
): Promise<string> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = `${label} ${res.status}\n${JSON.stringify([...res.headers.entries()])}\n${await res.text()}`;
  seen.push(text);
  return text;
}

async function rpc(service: string, method: string, params: unknown[] = []): Promise<string> {
  return call('/app/rpc', { service, method, params }, h.app.adminToken, `${service}.${method}`);
}

/** Every file under dir, the ledger's -wal and -shm included. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [{ path: p, bytes: readFileSync(p) }];
  });
}

/** Each secret raw and encoded, and pieces of it: what a short form keeps is its prefix and last 4 only. */
function forms(secret: string): string[] {
  const body = secret.replace(/^(sk-ant-api03-|sk-proj-|AIza|gsk_|xai-)/, '');
  // Eight characters: long enough that none turns up in the ledger's bytes by chance.
  return [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('hex'),
    body.slice(0, 8),
    body.slice(12, 20),
    body.slice(-12, -4),
  ];
}

function findSecrets(haystack: string, where: string): string[] {
  const found: string[] = [];
  for (const s of [...Object.values(keys), ...decoys]) {
    for (const [i, f] of forms(s).entries()) if (haystack.includes(f)) found.push(`${where}: ${s.slice(0, 6)}… (form ${i})`);
  }
  return found;
}

beforeAll(async () => {
  fake = await startKeyEchoFake(decoys);
  h = await startHarness(
    { providers: providers() },
    { ECHO_OA_KEY: keys.oa, ECHO_AN_KEY: keys.an, ECHO_GM_KEY: keys.gm, ECHO_OL_KEY: keys.ol },
    'echo-client',
  );
}, 30_000);

afterAll(async () => {
  await h?.close();
  await fake?.close();
});

describe('keys echoed by an upstream', () => {
  it('never reach a client, the ledger, the request log, health, spend, the CSV or the key test', async () => {
    // `auth` comes last: the 401 retires the provider's key, and the other modes need it.
    for (const [variant, v] of Object.entries(VARIANTS)) {
      for (const k of v.kinds) for (const mode of ECHO_MODES) await call(v.path, v.body(`${k}-${variant}/${mode}`), h.token);
    }
    for (const k of Object.keys(KINDS) as Kind[]) {
      for (const mode of ECHO_MODES) {
        await call(
          '/app/stream',
          { service: 'chat', method: 'stream', params: [{ model: `${k}-app/${mode}`, messages: [{ role: 'user', content: 'hi' }] }] },
          h.app.adminToken,
          `chat.stream ${k}-app/${mode}`,
        );
      }
      await rpc('providers', 'models', [`${k}-list`]);
      await rpc('keys', 'test', [`${k}-list`]);
    }

    const health = await rpc('routes', 'health');
    const log = await rpc('port', 'requests', [500]); // the UI's request log
    await rpc('spend', 'requests', [{ limit: 500 }]);
    await rpc('spend', 'exportCsv', [{}]);

    await h.app.close(); // flushes the ledger; its WAL stays on disk and is scanned too
    const files = filesUnder(h.dataDir);
    expect(files.map((f) => f.path).join('\n')).toMatch(/ledger\.db/);
    const findings = [
      ...seen.flatMap((text) => findSecrets(text, text.slice(0, text.indexOf('\n')))),
      ...files.flatMap((f) => findSecrets(f.bytes.toString('latin1'), f.path)),
    ];
    expect(findings).toEqual([]);

    // The fake really was sent every key, and its echo really came back: redacted, not dropped.
    expect([...fake.keysSeen].sort()).toEqual(Object.values(keys).sort());
    const clients = seen.join('\n');
    expect(clients).toContain(`Incorrect API key provided: sk-proj-…${keys.oa.slice(-4)}`);
    expect(clients).toContain(`sk-ant-…${keys.an.slice(-4)}`);
    expect(clients).toContain(`AIza…${keys.gm.slice(-4)}`);
    expect(clients).toContain(`…${keys.ol.slice(-4)}`);
    expect(clients).toMatch(/failed mid-stream: upstream stream error: [^\n]*sk-proj-…/);
    expect(log).toContain('Incorrect API key provided');
    expect(health).toContain('retired');
    expect(health).toContain('Incorrect API key provided');
    // The scanner itself finds what it looks for.
    expect(findSecrets(`x${keys.ol}y`, 'control').length).toBeGreaterThan(0);
    expect(findSecrets(`…${keys.an.slice(25, 33)}…`, 'control').length).toBeGreaterThan(0);
  }, 60_000);
});
