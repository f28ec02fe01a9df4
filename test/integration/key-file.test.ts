// A provider whose key is a file (`{ "file": "/…/openai" }`, the server setup of README's team mode):
// a real engine serves a request through the port with the file's key, and a key file others could
// read is refused with the chmod to run, in the client's error and the providers list, never the key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

const KEY = 'sk-from-key-file-0123456789abcd';
const posix = process.platform !== 'win32';

let keysDir: string;
let good: string;
let loose: string;
let upstream: OpenAIFake;
let h: Harness;
let client: OpenAI;

beforeAll(async () => {
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-keys-'));
  good = path.join(keysDir, 'openai');
  loose = path.join(keysDir, 'loose');
  fs.writeFileSync(good, `${KEY}\n`, { mode: 0o600 });
  fs.writeFileSync(loose, `${KEY}\n`);
  fs.chmodSync(loose, 0o644);
  upstream = await startOpenAIFake({ apiKey: KEY, reply: 'hello from the file key', models: ['m1'] });
  h = await startHarness(
    {
      providers: [
        { id: 'filed', kind: 'openai-compatible', baseUrl: upstream.url, keys: [{ file: good }], models: [{ id: 'm1' }] },
        { id: 'loose', kind: 'openai-compatible', baseUrl: upstream.url, keys: [{ file: loose }], models: [{ id: 'm1' }] },
      ],
      routes: [],
    },
    {},
  );
  client = new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: h.token, maxRetries: 0 });
});

afterAll(async () => {
  await h?.close();
  await upstream?.close();
  if (keysDir) fs.rmSync(keysDir, { recursive: true, force: true });
});

describe('provider keys from files', () => {
  it('serves a request through the port with the key read from the file', async () => {
    const before = upstream.requests.length;
    const r = await client.chat.completions.create({ model: 'filed/m1', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.choices[0]!.message.content).toBe('hello from the file key');
    const sent = upstream.requests.slice(before).filter((q) => q.path.endsWith('/chat/completions'));
    expect(sent.map((q) => q.headers.authorization)).toEqual([`Bearer ${KEY}`]);
  });

  it('shows the key as from its file, masked, in the providers list', async () => {
    const providers = await h.app.services.providers.list();
    expect(providers.find((p) => p.id === 'filed')!.keys).toEqual([
      { label: good, source: 'file', filePath: good, present: true, masked: 'sk-…abcd' },
    ]);
    expect(JSON.stringify(providers)).not.toContain(KEY);
  });

  it.runIf(posix)('refuses a key file others can read: the client is told what to run, and the key is never sent or shown', async () => {
    const before = upstream.requests.length;
    const error = await client.chat.completions.create({ model: 'loose/m1', messages: [{ role: 'user', content: 'hi' }] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const e = error as InstanceType<typeof OpenAI.APIError>;
    expect(e.message).toContain(`key file ${loose} is open to group or others (mode 0644): run \`chmod 600 ${loose}\``);
    expect(JSON.stringify(e.error)).not.toContain(KEY);
    expect(upstream.requests.length).toBe(before);

    const [info] = (await h.app.services.providers.list()).find((p) => p.id === 'loose')!.keys;
    expect(info).toEqual({
      label: loose,
      source: 'file',
      filePath: loose,
      present: false,
      problem: `key file ${loose} is open to group or others (mode 0644): run \`chmod 600 ${loose}\``,
    });
    const [row] = await h.app.services.spend.requests({ limit: 1 });
    expect(row).toMatchObject({ provider: 'loose', status: 'error' });
    expect(JSON.stringify(row)).not.toContain(KEY);
  });
});
