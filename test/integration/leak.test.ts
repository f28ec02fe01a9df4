// The leak test: real keys in the real OS keychain (and one in an env var), a workload over every
// path that touches them (port, failover on a refused key, chat, every app-bridge call, key tests,
// CLI commands, exports), then a byte search for the raw keys in the data dir (settings, ledger with
// its WAL, exports), everything logged, CLI output and every payload the renderer received.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RPC_METHODS } from '../../shared/contract';
import { run as doctor } from '../../electron/commands/doctor';
import { run as key } from '../../electron/commands/key';
import { run as spend } from '../../electron/commands/spend';
import { captureIO } from '../../electron/commands/test-io.test-util';
import { createVault, keychainAccount } from '../../electron/engine/vault/vault';
import { openKeychain } from '../../electron/engine/vault/keychain';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const run = `${process.pid}-${Date.now().toString(36)}`;
const ids = { a: `leak-a-${run}`, b: `leak-b-${run}`, c: `leak-c-${run}`, d: `leak-d-${run}` };
const secret = (tag: string) => `sk-leak${tag}-${randomBytes(24).toString('hex')}`;
const keys = { a: secret('A'), b: secret('B'), c: secret('C'), d: secret('D') };
const allKeys = Object.values(keys);

let fakeA: OpenAIFake;
let fakeB: OpenAIFake;
let fakeC: OpenAIFake;
let h: Harness;
const logged: string[] = [];
const payloads: string[] = [];
const cliOutput: string[] = [];

/** Every byte sequence of every file under dir (the ledger's -wal and -shm included). */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  const out: Array<{ path: string; bytes: Buffer }> = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push({ path: p, bytes: readFileSync(p) });
  }
  return out;
}

/** Where each key shows up: raw, and in the hex and base64 forms a careless encoder might produce. */
function findKeys(haystack: Buffer, where: string): string[] {
  const found: string[] = [];
  for (const k of allKeys) {
    for (const form of [k, Buffer.from(k).toString('base64'), Buffer.from(k).toString('hex')]) {
      if (haystack.includes(Buffer.from(form))) found.push(`${where}: ${k.slice(0, 8)}… (${form === k ? 'raw' : 'encoded'})`);
    }
  }
  return found;
}

async function rpc(service: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(`${h.baseUrl}/app/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.app.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service, method, params }),
  });
  const text = await res.text();
  payloads.push(text);
  return (JSON.parse(text) as { result?: unknown }).result;
}

beforeAll(async () => {
  for (const method of ['log', 'error', 'warn', 'info', 'debug'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original(...args);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return (original as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof stream.write);
  }
  fakeA = await startOpenAIFake({ apiKey: keys.a, models: ['m1'] });
  fakeB = await startOpenAIFake({ apiKey: keys.b, models: ['m1'] });
  fakeC = await startOpenAIFake({ apiKey: keys.c, models: ['m1'] });
  const vault = createVault({ env: {} });
  vault.setKeychainKey(ids.a, 'default', keys.a);
  vault.setKeychainKey(ids.b, 'work', keys.b);
  // d's key is real keychain material the upstream refuses (it expects a's): the 401 path.
  vault.setKeychainKey(ids.d, 'default', keys.d);
  const price = { input: 1, output: 2 };
  h = await startHarness(
    {
      providers: [
        { id: ids.a, kind: 'openai-compatible', baseUrl: fakeA.url, keys: [{ keychain: true }], models: [{ id: 'm1', price }] },
        {
          id: ids.b,
          kind: 'openai-compatible',
          baseUrl: fakeB.url,
          keys: [{ keychain: true, label: 'work' }],
          models: [{ id: 'm1', price }],
        },
        { id: ids.c, kind: 'openai-compatible', baseUrl: fakeC.url, keys: [{ env: 'LEAK_C_KEY' }], models: [{ id: 'm1' }] },
        { id: ids.d, kind: 'openai-compatible', baseUrl: fakeA.url, keys: [{ keychain: true }], models: [{ id: 'm1', price }] },
      ],
      routes: [
        {
          name: 'refused-first',
          targets: [
            { provider: ids.d, model: 'm1' },
            { provider: ids.a, model: 'm1' },
          ],
        },
      ],
    },
    { LEAK_C_KEY: keys.c },
    'leak-client',
  );
}, 30_000);

afterAll(async () => {
  await h?.close();
  await Promise.all([fakeA?.close(), fakeB?.close(), fakeC?.close()]);
  const keychain = openKeychain();
  for (const [id, label] of [
    [ids.a, 'default'],
    [ids.b, 'work'],
    [ids.d, 'default'],
  ] as const)
    keychain.delete(keychainAccount(id, label));
  vi.restoreAllMocks();
});

describe('no key material leaks', () => {
  it('runs a workload over every key path, then finds no key anywhere it looks', async () => {
    const sdk = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
    for (const id of [ids.a, ids.b, ids.c]) {
      await sdk.chat.completions.create({ model: `${id}/m1`, messages: [{ role: 'user', content: 'hello' }] });
      const stream = await sdk.chat.completions.create({ model: `${id}/m1`, messages: [{ role: 'user', content: 'hello' }], stream: true });
      for await (const chunk of stream) void chunk;
    }
    // Refused key on d, failover to a; then d alone, whose 401 reaches the client.
    await sdk.chat.completions.create({ model: 'refused-first', messages: [{ role: 'user', content: 'hello' }] });
    await expect(sdk.chat.completions.create({ model: `${ids.d}/m1`, messages: [{ role: 'user', content: 'hello' }] })).rejects.toThrow();
    // The upstreams really received the keys: the workload used them.
    expect(fakeA.requests.some((r) => r.headers.authorization === `Bearer ${keys.a}`)).toBe(true);
    expect(fakeA.requests.some((r) => r.headers.authorization === `Bearer ${keys.d}`)).toBe(true);
    expect(fakeB.requests.some((r) => r.headers.authorization === `Bearer ${keys.b}`)).toBe(true);
    expect(fakeC.requests.some((r) => r.headers.authorization === `Bearer ${keys.c}`)).toBe(true);

    // The renderer's side: a chat over the app bridge's stream, and every RPC method it may call.
    const streamed = await fetch(`${h.baseUrl}/app/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.app.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        service: 'chat',
        method: 'stream',
        params: [{ model: `${ids.b}/m1`, messages: [{ role: 'user', content: 'hi' }] }],
      }),
    });
    payloads.push(await streamed.text());
    await rpc('budgets', 'set', [[{ name: 'leak-soft', period: 'daily', mode: 'soft', usd: 0.000001 }]]);
    await sdk.chat.completions.create({ model: `${ids.a}/m1`, messages: [{ role: 'user', content: 'over budget' }] });
    const exported = (await rpc('settings', 'exportConfig')) as string;
    const params: Record<string, unknown[][]> = {
      'spend.summary': [[{ by: 'model' }], [{ by: 'client' }]],
      'spend.series': [[{ by: 'provider' }]],
      'spend.exportCsv': [[{}]],
      'budgets.set': [[[{ name: 'leak-soft', period: 'daily', mode: 'soft', usd: 0.000001 }]]],
      'keys.test': [[ids.a], [ids.b, 'work'], [ids.c], [ids.d]],
      'conversations.get': [['no-such-id']],
      'conversations.remove': [['no-such-id']],
      'settings.importConfig': [[exported]],
      'catalog.refresh': [], // would go to the public internet; not called
    };
    for (const [service, methods] of Object.entries(RPC_METHODS)) {
      for (const method of methods as readonly string[]) {
        for (const p of params[`${service}.${method}`] ?? [[]]) await rpc(service, method, p);
      }
    }
    const tested = payloads.filter((p) => p.includes('accepted the key') || p.includes('the key was refused'));
    expect(tested.length).toBeGreaterThanOrEqual(4);
    expect(payloads.join('\n')).toContain('sk-…'); // masked forms did reach the renderer

    // CLI commands on the same data dir, and exported files written where a user would keep them.
    const cli = captureIO({ dataDir: h.dataDir, env: { LEAK_C_KEY: keys.c } });
    await key(['list'], cli);
    await key(['test', ids.a], cli);
    await key(['test', ids.d], cli);
    await spend(['--csv'], cli);
    await spend(['--json', '--by', 'model'], cli);
    await doctor(['--port', String(new URL(h.baseUrl).port)], cli);
    cliOutput.push(...cli.out, ...cli.err);
    expect(cliOutput.join('\n')).toMatch(/accepted the key/);
    mkdirSync(join(h.dataDir, 'exports'), { recursive: true });
    writeFileSync(join(h.dataDir, 'exports', 'config.json'), exported);
    writeFileSync(join(h.dataDir, 'exports', 'spend.csv'), (await rpc('spend', 'exportCsv', [{}])) as string);

    await h.app.close(); // flush the ledger; the WAL stays on disk and is scanned too
    const files = filesUnder(h.dataDir);
    expect(files.map((f) => f.path).join('\n')).toMatch(/ledger\.db/);
    expect(files.map((f) => f.path).join('\n')).toMatch(/settings\.json/);
    const findings = [
      ...files.flatMap((f) => findKeys(f.bytes, f.path)),
      ...findKeys(Buffer.from(logged.join('\n')), 'logs'),
      ...findKeys(Buffer.from(payloads.join('\n')), 'renderer payloads'),
      ...findKeys(Buffer.from(cliOutput.join('\n')), 'CLI output'),
    ];
    expect(findings).toEqual([]);
    // The scanner itself works: planted key material is found.
    expect(findKeys(Buffer.from(`x${keys.b}y`), 'control')).toHaveLength(1);
    expect(findKeys(Buffer.from(Buffer.from(keys.c).toString('base64')), 'control')).toHaveLength(1);
  }, 60_000);
});
