// Translation overhead on the port: the same streamed request, pass-through (OpenAI client to an
// OpenAI-protocol fake) against translated (OpenAI client to Anthropic, Gemini and Ollama fakes, and
// Anthropic client to an OpenAI fake). Sequential requests, bounded in count and time; prints a table.
import { encodeAnthropicRequest } from '../../electron/engine/providers/anthropic/anthropic-request';
import { AnthropicFrameEncoder } from '../../electron/engine/providers/anthropic/anthropic-stream';
import { decodeOpenAIRequest } from '../../electron/engine/providers/openai/openai-request';
import { OpenAIEventReader } from '../../electron/engine/providers/openai/openai-stream';
import { startAnthropicFake } from '../fakes/anthropic-fake';
import { startGeminiFake } from '../fakes/gemini-fake';
import { startOllamaFake } from '../fakes/ollama-fake';
import { startOpenAIFake } from '../fakes/openai-fake';
import { startHarness } from '../support/engine-harness';

const N = Number(process.env.BENCH_N ?? 200);
const BUDGET_MS = 60_000;

const [oa, an, gm, ol] = await Promise.all([
  startOpenAIFake({ scenario: true, models: ['m'] }),
  startAnthropicFake({ models: ['c'] }),
  startGeminiFake({ models: ['g'] }),
  startOllamaFake({ models: ['o'] }),
]);
const h = await startHarness(
  {
    providers: [
      { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K' }], models: [{ id: 'm' }] },
      { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K' }], models: [{ id: 'c' }] },
      { id: 'gm', kind: 'gemini', baseUrl: gm.url, keys: [{ env: 'K' }], models: [{ id: 'g' }] },
      { id: 'ol', kind: 'ollama', baseUrl: ol.url, models: [{ id: 'o' }] },
    ],
    routes: [],
  },
  { K: 'k' },
);

async function once(path: string, body: unknown): Promise<void> {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

const openaiBody = (model: string) => ({ model, stream: true, messages: [{ role: 'user', content: 'hello bench' }] });
const cases: Array<[string, string, unknown]> = [
  ['openai -> openai (pass-through)', '/v1/chat/completions', openaiBody('oa/m')],
  ['openai -> anthropic', '/v1/chat/completions', openaiBody('an/c')],
  ['openai -> gemini', '/v1/chat/completions', openaiBody('gm/g')],
  ['openai -> ollama', '/v1/chat/completions', openaiBody('ol/o')],
  [
    'anthropic -> anthropic (pass-through)',
    '/v1/messages',
    { model: 'an/c', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hello bench' }] },
  ],
  [
    'anthropic -> openai',
    '/v1/messages',
    { model: 'oa/m', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'hello bench' }] },
  ],
  ['ollama -> openai', '/api/chat', { model: 'oa/m', messages: [{ role: 'user', content: 'hello bench' }] }],
];

const rows: string[] = [];
const started = Date.now();
for (const [name, path, body] of cases) {
  for (let i = 0; i < 10; i++) await once(path, body); // warm-up
  const times: number[] = [];
  for (let i = 0; i < N && Date.now() - started < BUDGET_MS; i++) {
    const t0 = performance.now();
    await once(path, body);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2);
  rows.push(`${name.padEnd(40)} ${String(times.length).padStart(5)} ${q(0.5).padStart(8)} ${q(0.95).padStart(8)}`);
}
console.log(
  `${'pair (streamed, fakes split frames every 7-13 bytes)'.padEnd(40)} ${'n'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}`,
);
for (const r of rows) console.log(r);
// CPU cost of translation alone (no I/O): a 40-message conversation with tools, and stream chunks.
const convo = {
  model: 'm',
  tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } } }],
  messages: Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} `.repeat(40) })),
};
let t0 = performance.now();
const REQS = 2000;
for (let i = 0; i < REQS; i++) encodeAnthropicRequest(decodeOpenAIRequest(convo), 'c');
const perRequestUs = ((performance.now() - t0) * 1000) / REQS;
const chunk = { id: 'x', model: 'm', choices: [{ index: 0, delta: { content: 'hello there ' }, finish_reason: null }] };
const reader = new OpenAIEventReader();
const enc = new AnthropicFrameEncoder('m');
const CHUNKS = 100_000;
t0 = performance.now();
for (let i = 0; i < CHUNKS; i++) for (const e of reader.read(JSON.parse(JSON.stringify(chunk)))) enc.encode(e);
const perChunkUs = ((performance.now() - t0) * 1000) / CHUNKS;
console.log(`request translation OpenAI -> Anthropic (40 messages, 1 tool): ${perRequestUs.toFixed(1)} us per request`);
console.log(`stream translation OpenAI chunk -> Anthropic frame (incl. JSON parse): ${perChunkUs.toFixed(2)} us per chunk`);
await h.close();
await Promise.all([oa, an, gm, ol].map((f) => f.close()));
process.exit(0);
