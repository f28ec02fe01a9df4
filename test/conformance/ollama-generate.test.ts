// Ollama's POST /api/generate on the port, on the wire (the `ollama` client test covers the happy paths
// through the library): NDJSON framing, nothing-to-complete answered as a load, fill-in-the-middle
// refused in Ollama's words, and an upstream that dies after the first token reported as an `error` line.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startOllamaFake, type OllamaFake } from '../fakes/ollama-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { openLedgerReader } from './ledger-reader';

let ol: OllamaFake;
let h: Harness;

beforeAll(async () => {
  ol = await startOllamaFake({ models: ['llama3.2'] });
  h = await startHarness(
    {
      providers: [{ id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'llama3.2' }] }],
      routes: [{ name: 'local', targets: [{ provider: 'ol', model: 'llama3.2' }] }],
    },
    {},
    'ollama-client',
  );
});

afterEach(() => ol.fault(null));

afterAll(async () => {
  await h?.close();
  await ol?.close();
});

const generate = (body: unknown) =>
  fetch(`${h.baseUrl}/api/generate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token}` },
    body: JSON.stringify(body),
  });

describe('POST /api/generate', () => {
  it('streams NDJSON by default: response lines, then one done line with context and counters', async () => {
    const res = await generate({ model: 'local', prompt: 'Say hi' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const text = await res.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.response).join('')).toBe('Echo: Say hi');
    for (const l of lines.slice(0, -1)) expect(Object.keys(l).sort()).toEqual(['created_at', 'done', 'model', 'response']);
    expect(lines.at(-1)).toMatchObject({
      model: 'local',
      response: '',
      done: true,
      done_reason: 'stop',
      context: [],
      prompt_eval_count: 100,
      eval_count: 20,
    });
    expect(lines.some((l) => 'message' in l)).toBe(false);
  });

  it('answers in one object with stream: false, the system prompt and images on the one turn it asks', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==';
    const res = await generate({
      model: 'local',
      prompt: 'What is this?',
      system: 'Be brief.',
      images: [png],
      stream: false,
      options: { num_predict: 32 },
    });
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toMatchObject({
      model: 'local',
      response: 'I see a base64 image of 70 bytes.',
      done: true,
      done_reason: 'stop',
      context: [],
    });
    expect(body).not.toHaveProperty('message');
    expect(ol.requests.at(-1)!.body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is this?', images: [png] },
    ]);
  });

  it('answers a request with nothing to complete as a load, once the model resolves', async () => {
    const loaded = await generate({ model: 'local', stream: false });
    expect(await loaded.json()).toMatchObject({ model: 'local', response: '', done: true, done_reason: 'load' });
    const unknown = await generate({ model: 'nope', prompt: '' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toHaveProperty('error');
  });

  it("refuses fill-in-the-middle (`suffix`) and malformed fields in Ollama's error shape", async () => {
    const fim = await generate({ model: 'local', prompt: 'def f(', suffix: 'return x' });
    expect(fim.status).toBe(400);
    expect((await fim.json()).error).toMatch(/does not support insert/);
    const bad = await generate({ model: 'local', prompt: 42 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'prompt must be a string' });
  });

  it('reports an upstream that dies after the first token as an error line, never a clean done, and records an error row', async () => {
    ol.fault({ afterFrames: 1 });
    const res = await generate({ model: 'local', prompt: 'A long story' });
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.done === true)).toBe(false);
    expect(lines.at(-1).error).toMatch(/failed mid-stream/);
    await h.app.services.spend.summary({});
    expect(openLedgerReader(h.dataDir).latest()).toMatchObject({ status: 'error', http_status: 502 });
  });
});
