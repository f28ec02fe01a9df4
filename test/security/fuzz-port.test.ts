// Property-based fuzzing of the local port (fast-check, fixed seeds, bounded runs): generated paths,
// methods, headers and bodies sent as raw bytes. After each one the port must have answered, a 4xx in the
// dialect's error shape or a 200, never a 5xx of its own; a refused request must not reach the upstream,
// and nothing may throw uncaught anywhere in the process (the engine runs in this one).
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';
import { rawRequest, type RawOutcome } from '../support/raw-exchange';

// ---- what a generated request is

type Framing = 'exact' | 'chunked' | 'none' | 'short' | 'long' | 'junk' | 'negative' | 'duplicate';

/** Placeholders filled in at send time: the port is not known when the arbitraries are built. */
const TOKEN = '{TOKEN}';
const PORT = '{PORT}';

interface Gen {
  method: string;
  /** The request-target as bytes in a latin1 string (raw UTF-8 appears as its bytes). */
  target: string;
  /** Sent in this order; `null` drops a header the builder would otherwise add. */
  headers: Array<[string, string]>;
  body: Buffer | null;
  framing: Framing;
  /** Set when the message is not valid HTTP/1.1, so Node's parser (not our handlers) must refuse it. */
  httpInvalid?: string;
}

/** Short, readable counterexamples: fast-check prints values through this. */
function describeGen(g: Gen): string {
  const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);
  const body = g.body === null ? 'none' : JSON.stringify(cut(g.body.toString('latin1'), 240));
  return `${g.method} ${JSON.stringify(cut(g.target, 160))} headers=${JSON.stringify(g.headers.map(([k, v]) => `${k}: ${cut(v, 60)}`))} framing=${g.framing} body=${body}${g.httpInvalid ? ` (not HTTP: ${g.httpInvalid})` : ''}`;
}

const withPrinter = (g: Gen): Gen => Object.assign(g, { [fc.toStringMethod]: () => describeGen(g) });

// ---- the engine under test

let up: OpenAIFake;
let h: Harness;
let port: number;
const uiDir = mkdtempSync(join(tmpdir(), 'switchboard-fuzz-ui-'));
writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>ui</title>');
const uncaught: string[] = [];
const onUncaught = (error: unknown) => uncaught.push(`uncaught: ${(error as Error)?.stack ?? String(error)}`);
const onRejection = (error: unknown) => uncaught.push(`unhandled rejection: ${(error as Error)?.stack ?? String(error)}`);

/** Per-request answer deadline: the slowest legitimate answer is a 408 after `bodyIdleMs`. */
const ANSWER_MS = 4000;
const BODY_IDLE_MS = 300;
const HEALTH_EVERY = 25;

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onRejection);
  up = await startOpenAIFake({ apiKey: 'k', models: ['m1'] });
  h = await startHarness(
    {
      providers: [{ id: 'up', kind: 'openai-compatible', baseUrl: up.url, keys: [{ env: 'UP_KEY' }], models: [{ id: 'm1' }] }],
      routes: [{ name: 'default', targets: [{ provider: 'up', model: 'm1' }] }],
    },
    { UP_KEY: 'k' },
    'fuzz-client',
    // Short body deadlines so a lying Content-Length costs a fraction of a second, and a UI so static paths are decoded.
    { portLimits: { bodyIdleMs: BODY_IDLE_MS, bodyTotalMs: 2000 }, rendererDir: uiDir },
  );
  port = h.app.gateway!.port;
  // One allow-listed Origin, so preflights and allowed browser calls are part of the space too.
  await h.app.services.port.updateSettings({ allowedOrigins: ['https://tool.example'] });
});

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onRejection);
  await h?.close();
  await up?.close();
  rmSync(uiDir, { recursive: true, force: true });
});

// ---- sending

function serialize(g: Gen): Buffer {
  const fill = (s: string) => s.split(TOKEN).join(h.token).split(PORT).join(String(port));
  const lines = [`${g.method} ${fill(g.target)} HTTP/1.1`];
  for (const [name, value] of g.headers) lines.push(`${name}: ${fill(value)}`);
  const body = g.body ?? Buffer.alloc(0);
  let payload = body;
  switch (g.framing) {
    case 'exact':
      if (g.body !== null) lines.push(`Content-Length: ${body.length}`);
      break;
    case 'chunked': {
      lines.push('Transfer-Encoding: chunked');
      const parts: Buffer[] = [];
      for (let i = 0; i < body.length; i += 7001) {
        const piece = body.subarray(i, i + 7001);
        parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n'));
      }
      parts.push(Buffer.from('0\r\n\r\n'));
      payload = Buffer.concat(parts);
      break;
    }
    case 'none':
      break;
    case 'short':
      lines.push(`Content-Length: ${Math.max(0, body.length - 1 - (body.length % 5))}`);
      break;
    case 'long':
      lines.push(`Content-Length: ${body.length + 1 + (body.length % 50)}`);
      break;
    case 'junk':
      lines.push('Content-Length: abc');
      break;
    case 'negative':
      lines.push('Content-Length: -5');
      break;
    case 'duplicate':
      lines.push(`Content-Length: ${body.length}`, `Content-Length: ${body.length + 3}`);
      break;
  }
  lines.push('Connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}

const send = (g: Gen): Promise<RawOutcome> => rawRequest(port, serialize(g), g.method, ANSWER_MS);

const HOST_OK = `127.0.0.1:${PORT}`;
const validChat = (extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5, ...extra }));
const plainRequest = (method: string, target: string, body: Buffer | null, headers: Array<[string, string]> = []): Gen => ({
  method,
  target,
  headers: [['Host', HOST_OK], ['Authorization', `Bearer ${TOKEN}`], ['Content-Type', 'application/json'], ...headers],
  body,
  framing: 'exact',
});

// ---- what every answer must satisfy

type Dialect = 'openai' | 'anthropic' | 'ollama';

/** The dialect a target speaks, by its path (after a `/t/<token>` prefix): null for the UI, /app and the rest. */
function dialectFor(target: string): Dialect | null {
  let path = target.split('?')[0]!;
  const prefixed = /^\/t\/([^/]+)(\/.*)?$/.exec(path);
  if (prefixed) path = prefixed[2] ?? '/';
  if (path.startsWith('/api/')) return 'ollama';
  if (path === '/v1/messages' || path.startsWith('/v1/messages/')) return 'anthropic';
  if (path.startsWith('/v1/')) return 'openai';
  return null;
}

function shapeProblem(dialect: Dialect, json: any): string | null {
  if (dialect === 'openai')
    return typeof json?.error?.message === 'string' && typeof json?.error?.type === 'string' ? null : 'not OpenAI {error:{message,type}}';
  if (dialect === 'anthropic') {
    return json?.type === 'error' && typeof json?.error?.type === 'string' && typeof json?.error?.message === 'string'
      ? null
      : "not Anthropic {type:'error',error:{type,message}}";
  }
  return typeof json?.error === 'string' ? null : 'not Ollama {error:string}';
}

interface Tally {
  byStatus: Map<string, number>;
  runs: number;
}

/** Sends one generated request and returns what is wrong with the outcome, or null. */
async function probe(g: Gen, tally: Tally): Promise<string | null> {
  const crashesBefore = uncaught.length;
  const upstreamBefore = up.requests.length;
  const out = await send(g);
  // An exception thrown off the request's own path (a timer, a stream callback) surfaces a moment later.
  await new Promise((resolve) => setImmediate(resolve));
  const key = out.answered ? String(out.answer.status) : `no answer (${out.reason})`;
  tally.byStatus.set(key, (tally.byStatus.get(key) ?? 0) + 1);
  tally.runs++;
  if (uncaught.length > crashesBefore) return `the process had an uncaught error: ${uncaught.slice(crashesBefore).join('\n')}`;
  if (!out.answered) return `the port gave no answer (${out.reason}); got ${JSON.stringify(out.partial)}`;
  const { status, json, body } = out.answer;
  const text = body.subarray(0, 300).toString('utf8');
  if (g.httpInvalid) {
    if (![400, 408, 431].includes(status)) return `not valid HTTP (${g.httpInvalid}) but answered ${status}`;
  } else {
    if (status >= 500) return `answered ${status} (a 5xx from our own code: the upstream is healthy): ${text}`;
    const dialect = dialectFor(g.target);
    if (dialect !== null) {
      const okStatus = status === 200 || (status === 204 && g.method === 'OPTIONS') || (status >= 400 && status < 500);
      if (!okStatus) return `API answered ${status}, expected 200 or a 4xx: ${text}`;
      if (status >= 400 && g.method !== 'HEAD') {
        const problem = shapeProblem(dialect, json);
        if (problem) return `a ${status} on a ${dialect} path whose body is ${problem}: ${JSON.stringify(text)}`;
      }
    } else if (status >= 500) {
      return `answered ${status}`;
    }
  }
  if (status >= 400 && up.requests.length !== upstreamBefore) {
    return `refused with ${status} but the upstream received ${up.requests.length - upstreamBefore} request(s): ${JSON.stringify(up.requests.at(-1)?.body)?.slice(0, 200)}`;
  }
  return null;
}

/** The port still serves: cheap (no upstream) after every run, a full chat through the upstream every HEALTH_EVERY runs. */
async function stillServes(tally: Tally, full: boolean): Promise<string | null> {
  const version = await send(plainRequest('GET', '/api/version', null));
  if (!version.answered || version.answer.status !== 200) return `the port stopped answering GET /api/version: ${JSON.stringify(version)}`;
  if (!full) return null;
  const before = up.requests.length;
  const chat = await send(plainRequest('POST', '/v1/chat/completions', validChat()));
  if (!chat.answered || chat.answer.status !== 200)
    return `the port stopped serving a valid chat: ${chat.answered ? `${chat.answer.status} ${chat.answer.body.toString('utf8').slice(0, 200)}` : chat.reason}`;
  if (up.requests.length !== before + 1) return 'a valid chat did not reach the upstream';
  void tally;
  return null;
}

/**
 * `SWITCHBOARD_FUZZ_SURVEY=1` keeps going past failures and prints the first example of each kind of
 * failure (for whoever fixes them); `SWITCHBOARD_FUZZ_RUNS` scales the number of runs.
 */
const SURVEY = process.env.SWITCHBOARD_FUZZ_SURVEY === '1';
const RUNS_SCALE = Number(process.env.SWITCHBOARD_FUZZ_RUNS ?? '1') || 1;

async function runProperty(name: string, arb: fc.Arbitrary<Gen>, seed: number, numRuns: number, timeLimitMs: number): Promise<void> {
  const tally: Tally = { byStatus: new Map(), runs: 0 };
  const kinds = new Map<string, { count: number; example: string; problem: string }>();
  try {
    await fc.assert(
      fc.asyncProperty(arb, async (g) => {
        const problem = (await probe(g, tally)) ?? (await stillServes(tally, tally.runs % HEALTH_EVERY === 0));
        if (problem && SURVEY) {
          // One entry per endpoint and kind of failure (numbers and the quoted body left out).
          const kind = `${g.target.split('?')[0]!.slice(0, 40)} ${problem
            .replace(/\d+/g, 'N')
            .split(/: [{"[]/)[0]!
            .slice(0, 90)}`;
          const seen = kinds.get(kind);
          if (seen) seen.count++;
          else kinds.set(kind, { count: 1, example: describeGen(g), problem: problem.slice(0, 400) });
          return;
        }
        if (problem) throw new Error(problem);
      }),
      // Shrinking re-sends requests; the time limit keeps a failing run (and its shrinking) bounded.
      { seed, numRuns: Math.round(numRuns * RUNS_SCALE), plugins: [fc.interruptAfterTimeLimit(timeLimitMs * RUNS_SCALE)] },
    );
  } finally {
    console.log(
      `fuzz ${name}: ${tally.runs} requests (seed ${seed}); answers ${JSON.stringify(Object.fromEntries([...tally.byStatus].sort()))}`,
    );
    for (const [, k] of kinds) console.log(`fuzz ${name} FAILURE x${k.count}: ${k.problem}\n    first example: ${k.example}`);
  }
  expect(kinds.size, 'kinds of failure found (survey mode)').toBe(0);
  expect(await stillServes(tally, true)).toBeNull();
  expect(uncaught).toEqual([]);
}

// ---- generators

const ESCAPES = [
  '%ZZ',
  '%',
  '%E0%A4%A',
  '%00',
  '%2F',
  '%2f',
  '%2e%2e',
  '%C0%AF',
  '%FF',
  '%u0041',
  '%%',
  '%E2%82%AC',
  '%F0%9F%98%80',
  '%ED%A0%80',
  '%0D%0A',
  '%20',
  '%3F',
  '%23',
  '%5C',
  '%E0%A4',
];
/** Every byte of the string's UTF-8 percent-encoded (lone surrogates become U+FFFD first). */
const pct = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
const escape = fc.constantFrom(...ESCAPES);
const plainSegment = fc.stringMatching(/^[A-Za-z0-9._~!$&'()*+,;=:@-]{0,24}$/);
const unicodeSegment = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 })).map(pct);
const dots = fc.constantFrom('..', '.', '', '...', '..%2F', '%2e%2e%2f', '..;');
const segment = fc.oneof(
  { weight: 3, arbitrary: escape },
  { weight: 3, arbitrary: plainSegment },
  { weight: 2, arbitrary: unicodeSegment },
  { weight: 2, arbitrary: dots },
  { weight: 2, arbitrary: fc.array(fc.oneof(escape, plainSegment, unicodeSegment), { minLength: 2, maxLength: 4 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.integer({ min: 1000, max: 12_000 }).map((n) => 'a'.repeat(n)) },
);
const segments = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));

/** [method, path, whether it takes a JSON body]. */
const ENDPOINTS: Array<[string, string, boolean]> = [
  ['POST', '/v1/chat/completions', true],
  ['GET', '/v1/models', false],
  ['GET', '/v1/models/default', false],
  ['GET', '/v1/models/up/m1', false],
  ['POST', '/v1/responses', true],
  ['POST', '/v1/completions', true],
  ['POST', '/v1/embeddings', true],
  ['POST', '/v1/messages', true],
  ['POST', '/v1/messages/count_tokens', true],
  ['POST', '/api/chat', true],
  ['GET', '/api/tags', false],
  ['POST', '/api/show', true],
  ['GET', '/api/version', false],
  ['POST', '/api/generate', true],
  ['POST', '/api/embed', true],
  ['GET', '/api/ps', false],
  ['GET', '/', false],
  ['GET', '/index.html', false],
  ['POST', '/app/rpc', true],
  ['POST', '/v1beta/models/default:generateContent', true],
];
const API_PATHS = ENDPOINTS.map(([, p]) => p).filter((p) => p.startsWith('/v1/') || p.startsWith('/api/'));
const endpoint = fc.constantFrom(...ENDPOINTS);
const apiPath = fc.constantFrom(...API_PATHS);

const pathArb: fc.Arbitrary<{ target: string; httpInvalid?: string }> = fc
  .oneof(
    { weight: 2, arbitrary: endpoint.map(([, p]) => ({ target: p })) },
    { weight: 3, arbitrary: fc.tuple(apiPath, segments).map(([p, s]) => ({ target: `${p}/${s}` })) },
    { weight: 3, arbitrary: segments.map((s) => ({ target: `/${s}` })) },
    { weight: 3, arbitrary: fc.tuple(segment, apiPath).map(([junk, p]) => ({ target: `/t/${junk}${p}` })) },
    { weight: 2, arbitrary: segment.map((junk) => ({ target: `/t/${junk}` })) },
    { weight: 1, arbitrary: apiPath.map((p) => ({ target: `/t/${TOKEN}${p}` })) },
    { weight: 2, arbitrary: segments.map((s) => ({ target: `/v1/models/${s}` })) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.constantFrom('/v1/', '/api/', '/app/', '/assets/', '/v1/messages/'), segments)
        .map(([pre, s]) => ({ target: `${pre}${s}` })),
    },
    // A segment spliced into a real path (`/v1/%ZZ/chat/completions`).
    {
      weight: 2,
      arbitrary: fc.tuple(apiPath, segment, fc.nat()).map(([p, s, n]) => {
        const parts = p.split('/');
        parts.splice(1 + (n % (parts.length - 1)), 0, s);
        return { target: parts.join('/') };
      }),
    },
    // Raw (unescaped) UTF-8, spaces and control bytes are not HTTP: Node's parser must refuse them.
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          apiPath,
          fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).filter((s) => /[^\x21-\x7e]/.test(s)),
        )
        .map(([p, s]) => ({
          target: `${p}/${Buffer.from(s, 'utf8').toString('latin1')}`,
          httpInvalid: 'raw non-ASCII, space or control byte in the request-target',
        })),
    },
    // Past the 32 KiB header limit: 431 from the parser.
    {
      weight: 1,
      arbitrary: fc
        .tuple(apiPath, fc.integer({ min: 40_000, max: 70_000 }))
        .map(([p, n]) => ({ target: `${p}/${'b'.repeat(n)}`, httpInvalid: 'request head larger than the header limit' })),
    },
  )
  .chain((p) =>
    fc
      .option(
        fc.array(fc.oneof(escape, plainSegment, unicodeSegment), { maxLength: 4 }).map((q) => q.join('&')),
        { freq: 4 },
      )
      .map((q) => ({ ...p, target: q === null ? p.target : `${p.target}?${q}` })),
  );

const method = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('GET', 'POST') },
  { weight: 2, arbitrary: fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD') },
);

// Header values: visible ASCII plus Latin-1 (obs-text), never CR/LF (that would be framing, not a value).
const headerText = fc.string({
  unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)),
  maxLength: 40,
});

type HostChoice = { value: string | null; httpInvalid?: string };
const hostArb: fc.Arbitrary<HostChoice> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.constantFrom(HOST_OK, `localhost:${PORT}`, `LocalHost:${PORT}`, `[::1]:${PORT}`).map((value) => ({ value })),
  },
  {
    weight: 4,
    arbitrary: fc
      .constantFrom(
        'evil.example',
        `evil.example:${PORT}`,
        '127.0.0.1',
        '127.0.0.1:1',
        `127.0.0.1.evil.example:${PORT}`,
        '',
        `localhost.:${PORT}`,
        `0.0.0.0:${PORT}`,
        `127.0.0.2:${PORT}`,
        `user@127.0.0.1:${PORT}`,
        `127.0.0.1:${PORT}/x`,
      )
      .map((value) => ({ value })),
  },
  { weight: 1, arbitrary: headerText.map((value) => ({ value })) },
  { weight: 1, arbitrary: fc.constant({ value: null, httpInvalid: 'no Host header in HTTP/1.1' }) },
);
const originArb = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'http://evil.example',
      'null',
      '',
      'https://tool.example',
      'https://TOOL.example',
      'https://tool.example/',
      `http://127.0.0.1:${PORT}`,
      `http://localhost:${PORT}`,
      'file://',
      'chrome-extension://abc',
    ),
  },
  { weight: 1, arbitrary: headerText },
);
const authArb: fc.Arbitrary<Array<[string, string]>> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Array<[string, string]>>([['Authorization', `Bearer ${TOKEN}`]]) },
  { weight: 2, arbitrary: fc.constant<Array<[string, string]>>([['x-api-key', TOKEN]]) },
  {
    weight: 4,
    arbitrary: fc.constantFrom<Array<[string, string]>>(
      [],
      [['Authorization', 'Bearer sbt_not-a-real-token']],
      [['Authorization', 'Bearer']],
      [['Authorization', 'Bearer ']],
      [['Authorization', `bearer ${TOKEN}`]],
      [['Authorization', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`]],
      [['Authorization', `Bearer ${TOKEN}x`]],
      [['Authorization', `Bearer  ${TOKEN}  `]],
      [['x-api-key', '']],
      [['x-api-key', 'wrong']],
      [
        ['Authorization', 'Bearer wrong'],
        ['x-api-key', TOKEN],
      ],
      [
        ['Authorization', `Bearer ${TOKEN}`],
        ['x-api-key', 'wrong'],
      ],
      [['Authorization', `Bearer ${'z'.repeat(3000)}`]],
    ),
  },
  { weight: 1, arbitrary: headerText.map((t): Array<[string, string]> => [['Authorization', `Bearer ${t}`]]) },
);
const contentTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | null>('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom<string | null>(
      null,
      'text/plain',
      'application/json; charset=utf-16',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '',
      'application/json;;;',
    ),
  },
  { weight: 1, arbitrary: headerText },
);
const framingArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Framing>('exact') },
  { weight: 2, arbitrary: fc.constant<Framing>('chunked') },
  { weight: 3, arbitrary: fc.constantFrom<Framing>('none', 'short', 'long') },
  { weight: 1, arbitrary: fc.constantFrom<Framing>('junk', 'negative', 'duplicate') },
);
const extraHeaders = fc.array(
  fc.oneof(
    fc.constantFrom<[string, string]>(
      ['anthropic-version', '2023-06-01'],
      ['anthropic-beta', 'x'],
      ['accept', 'text/event-stream'],
      ['accept-encoding', 'gzip, br'],
      ['expect', 'nothing-expected'],
      ['x-request-id', 'client-chosen'],
      ['openai-organization', 'org'],
      ['cookie', 'a=b'],
    ),
    fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), headerText),
  ),
  { maxLength: 4 },
);

/** Does Node's parser refuse this framing outright? */
const framingInvalid = (f: Framing): string | undefined =>
  f === 'junk' || f === 'negative' || f === 'duplicate' ? `Content-Length framing "${f}"` : undefined;

// ---- bodies

const VALID_BODIES: Record<string, Record<string, unknown>> = {
  '/v1/chat/completions': { model: 'default', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 },
  '/v1/responses': { model: 'default', input: 'hi' },
  '/v1/completions': { model: 'default', prompt: 'hi', max_tokens: 5 },
  '/v1/embeddings': { model: 'default', input: 'hi' },
  '/v1/messages': { model: 'default', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
  '/v1/messages/count_tokens': { model: 'default', messages: [{ role: 'user', content: 'hi' }] },
  '/api/chat': { model: 'default', messages: [{ role: 'user', content: 'hi' }], stream: false },
  '/api/show': { model: 'default' },
  '/api/generate': { model: 'default', prompt: 'hi' },
  '/api/embed': { model: 'default', input: 'hi' },
  '/app/rpc': { method: 'models.list', params: [] },
  '/v1beta/models/default:generateContent': { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
};

/** Field paths worth breaking, per endpoint (on top of the valid body's own keys). */
const FIELDS: Record<string, Array<Array<string | number>>> = {
  '/v1/chat/completions': [
    ['model'],
    ['messages'],
    ['messages', 0],
    ['messages', 0, 'role'],
    ['messages', 0, 'content'],
    ['messages', 0, 'content', 0],
    ['max_tokens'],
    ['stream'],
    ['stream_options'],
    ['temperature'],
    ['tools'],
    ['tool_choice'],
    ['n'],
    ['models'],
    ['provider'],
    ['response_format'],
    ['max_completion_tokens'],
    ['reasoning_effort'],
    ['stop'],
  ],
  '/v1/responses': [['model'], ['input'], ['input', 0], ['instructions'], ['stream'], ['tools'], ['max_output_tokens'], ['reasoning']],
  '/v1/completions': [['model'], ['prompt'], ['max_tokens'], ['stream'], ['n'], ['suffix']],
  '/v1/embeddings': [['model'], ['input'], ['input', 0], ['encoding_format'], ['dimensions']],
  '/v1/messages': [
    ['model'],
    ['messages'],
    ['messages', 0],
    ['messages', 0, 'role'],
    ['messages', 0, 'content'],
    ['messages', 0, 'content', 0],
    ['max_tokens'],
    ['system'],
    ['stream'],
    ['tools'],
    ['tool_choice'],
    ['thinking'],
    ['metadata'],
    ['stop_sequences'],
    ['temperature'],
  ],
  '/v1/messages/count_tokens': [['model'], ['messages'], ['messages', 0, 'content'], ['system'], ['tools']],
  '/api/chat': [
    ['model'],
    ['messages'],
    ['messages', 0],
    ['messages', 0, 'content'],
    ['messages', 0, 'images'],
    ['stream'],
    ['options'],
    ['options', 'num_predict'],
    ['format'],
    ['tools'],
    ['keep_alive'],
    ['think'],
  ],
  '/api/show': [['model'], ['name'], ['verbose']],
};

const DEEP = /"@@DEEP_(\d+)_(arr|obj)@@"/g;
const deepText = (depth: number, kind: string) =>
  kind === 'arr' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
/** A marker JSON.stringify leaves alone and the serializer swaps for nesting too deep to build as objects. */
const deepMarker = fc
  .tuple(fc.oneof(fc.integer({ min: 2, max: 300 }), fc.constantFrom(1_000, 10_000, 100_000)), fc.constantFrom('arr', 'obj'))
  .map(([d, k]) => `@@DEEP_${d}_${k}@@`);

// A model name the port must resolve itself. Ad-hoc `up/<anything>` names go upstream by design and
// are answered there, so they are left out (a relayed upstream 404 is not the port refusing).
const modelName = fc
  .oneof(
    fc.constantFrom('default', 'up/m1', 'nope', '', 'gpt-4o', 'claude-3-opus', 'default ', 'DEFAULT', '../default', 'up/', '/m1', 'up'),
    fc.string({ maxLength: 20 }),
  )
  .filter((m) => !(m.startsWith('up/') && m !== 'up/m1' && m !== 'up/'));

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom<unknown>(
      -1,
      0,
      'x',
      '',
      null,
      true,
      false,
      [],
      {},
      1e308,
      -1e308,
      2 ** 53 + 1,
      0.5,
      -0,
      5e-324,
      '\u0000',
      'default',
      [null],
      [{}],
      [[]],
      { role: 'user' },
      [{ type: 'text' }],
      [{ type: 'text', text: 5 }],
      [{ type: 'image', source: {} }],
      [{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }],
      [{ type: 'tool_use' }],
      [{ type: 'tool_result', content: 5 }],
      'x'.repeat(10_000),
      [1, 'a', {}],
      { type: 'function' },
      [{ type: 'function', function: { name: 5 } }],
    ),
  },
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.string() },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 2, arbitrary: deepMarker },
  { weight: 1, arbitrary: modelName },
);

type Mutation =
  | { op: 'set'; field: Array<string | number>; value: unknown }
  | { op: 'delete'; field: Array<string | number> }
  | { op: 'add'; key: string; value: unknown };

function applyMutation(body: unknown, m: Mutation): unknown {
  if (m.op === 'add') {
    if (body && typeof body === 'object' && !Array.isArray(body)) (body as Record<string, unknown>)[m.key] = m.value;
    return body;
  }
  if (m.field.length === 0) return m.op === 'set' ? m.value : undefined;
  let parent: any = body;
  for (let i = 0; i < m.field.length - 1; i++) {
    if (parent === null || typeof parent !== 'object') return body;
    const step = m.field[i]!;
    if (parent[step] === null || typeof parent[step] !== 'object') parent[step] = typeof m.field[i + 1] === 'number' ? [] : {};
    parent = parent[step];
  }
  if (parent === null || typeof parent !== 'object') return body;
  const last = m.field.at(-1)!;
  if (m.op === 'set') parent[last] = m.value;
  else delete parent[last];
  return body;
}

function mutationFor(path: string): fc.Arbitrary<Mutation> {
  const fields = FIELDS[path] ?? [['model']];
  const field = fc.constantFrom(...fields);
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), field, value: wrongValue }) },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('set' as const), field: fc.constant<Array<string | number>>(['model']), value: modelName }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), field }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('add' as const),
        key: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'stream', 'models')),
        value: wrongValue,
      }),
    },
  );
}

/** JSON text with deep markers expanded. JSON.stringify cannot build 100,000 levels itself. */
const toJson = (value: unknown): string =>
  (JSON.stringify(value) ?? 'null').replace(DEEP, (_m, depth: string, kind: string) => deepText(Number(depth), kind));

/** Endpoints that can answer as a stream: their mutated bodies start from either form. */
const STREAMS = new Set(['/v1/chat/completions', '/v1/responses', '/v1/completions', '/v1/messages', '/api/chat']);

function bodyFor(path: string): fc.Arbitrary<Buffer> {
  const valid = VALID_BODIES[path] ?? { model: 'default' };
  const validText = JSON.stringify(valid);
  const base = STREAMS.has(path) ? fc.boolean().map((stream) => ({ ...valid, stream })) : fc.constant(valid);
  const mutated = fc
    .tuple(base, fc.array(mutationFor(path), { minLength: 1, maxLength: 3 }))
    .map(([b, ms]) => Buffer.from(toJson(ms.reduce<unknown>((acc, m) => applyMutation(acc, m), structuredClone(b)))));
  return fc.oneof(
    { weight: 8, arbitrary: mutated },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }).map((t) => Buffer.from(t)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(toJson(v))) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.oneof(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(10_000, 50_000, 100_000)), fc.constantFrom('arr', 'obj'))
        .map(([d, k]) => Buffer.from(deepText(d, k))),
    },
    // A UTF-8 byte order mark before valid JSON (Windows tools write one).
    { weight: 1, arbitrary: fc.constant(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(validText)])) },
    // Invalid UTF-8 bytes somewhere in valid JSON (inside a string or between tokens).
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.nat(validText.length),
          fc.constantFrom([0xc3, 0x28], [0xff], [0xe0, 0xa4], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80]),
        )
        .map(([at, bytes]) => {
          const t = Buffer.from(validText);
          return Buffer.concat([t.subarray(0, at), Buffer.from(bytes), t.subarray(at)]);
        }),
    },
    // Valid JSON cut short.
    { weight: 2, arbitrary: fc.nat(validText.length - 1).map((n) => Buffer.from(validText.slice(0, n))) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '',
          ' ',
          'null',
          '""',
          '[]',
          '0',
          'NaN',
          'true',
          '{}',
          `${validText}garbage`,
          `${validText}${validText}`,
          validText.replace('{', '{"model":"x",'),
          '\u0000',
        )
        .map((t) => Buffer.from(t)),
    },
    { weight: 1, arbitrary: fc.constant(Buffer.from(validText, 'utf16le')) },
  );
}

const bodyPaths = ENDPOINTS.filter(([, , takesBody]) => takesBody);

// ---- the three properties

/** Paths and methods vary; headers are a valid client's, the body a valid chat's where one is sent. */
const pathRequests: fc.Arbitrary<Gen> = fc
  .tuple(pathArb, method, fc.boolean())
  .map(([p, m, withBody]) =>
    withPrinter({ ...plainRequest(m, p.target, m === 'POST' || withBody ? validChat() : null), httpInvalid: p.httpInvalid }),
  );

/** Headers vary on real endpoints, with each endpoint's valid body. */
const headerRequests: fc.Arbitrary<Gen> = fc
  .record({
    ep: endpoint,
    method: fc.option(method, { freq: 5 }),
    host: hostArb,
    origin: originArb,
    auth: authArb,
    contentType: contentTypeArb,
    framing: framingArb,
    extra: extraHeaders,
    stream: fc.boolean(),
  })
  .map(({ ep: [m, path, takesBody], method: otherMethod, host, origin, auth, contentType, framing, extra, stream }) => {
    const headers: Array<[string, string]> = [];
    if (host.value !== null) headers.push(['Host', host.value]);
    if (origin !== null) headers.push(['Origin', origin]);
    headers.push(...auth);
    if (contentType !== null) headers.push(['Content-Type', contentType]);
    headers.push(...extra);
    const valid = VALID_BODIES[path];
    const body = takesBody && valid ? Buffer.from(JSON.stringify(path === '/api/show' ? valid : { ...valid, stream })) : null;
    return withPrinter({
      method: otherMethod ?? m,
      target: path,
      headers,
      body,
      framing: body === null && framing !== 'exact' ? 'exact' : framing,
      httpInvalid: host.httpInvalid ?? (body !== null ? framingInvalid(framing) : undefined),
    });
  });

/** Bodies vary on every endpoint that takes one; the rest of the request is a valid client's. */
const bodyRequests: fc.Arbitrary<Gen> = fc
  .constantFrom(...bodyPaths)
  .chain(([m, path]) =>
    fc.tuple(fc.constant(m), fc.constant(path), bodyFor(path), fc.constantFrom<Framing>('exact', 'exact', 'exact', 'chunked')),
  )
  .map(([m, path, body, framing]) => withPrinter({ ...plainRequest(m, path, body), framing }));

describe('hand-listed: a malformed percent-escape never ends the process', () => {
  const cases: Array<[string, Gen]> = [
    ['GET /t/%ZZ', plainRequest('GET', '/t/%ZZ', null)],
    [
      'GET /t/%ZZ with a foreign Host',
      {
        ...plainRequest('GET', '/t/%ZZ', null),
        headers: [
          ['Host', 'evil.example'],
          ['Authorization', `Bearer ${TOKEN}`],
        ],
      },
    ],
    ['GET /t/%ZZ with Origin: http://evil.example', plainRequest('GET', '/t/%ZZ', null, [['Origin', 'http://evil.example']])],
    ['POST /t/%E0%A4%A/api/chat', plainRequest('POST', '/t/%E0%A4%A/api/chat', validChat())],
    [
      'POST /t/%ZZ/api/chat with a foreign Host',
      {
        ...plainRequest('POST', '/t/%ZZ/api/chat', validChat()),
        headers: [
          ['Host', `evil.example:${PORT}`],
          ['Content-Type', 'application/json'],
        ],
      },
    ],
    ['GET /v1/models/%ZZ', plainRequest('GET', '/v1/models/%ZZ', null)],
    ['GET /t/%/api/tags', plainRequest('GET', '/t/%/api/tags', null)],
    ['GET /assets/%ZZ.js', plainRequest('GET', '/assets/%ZZ.js', null)],
  ];
  it.each(cases)('%s: answered with a 4xx in its shape, and the port still serves', async (_name, g) => {
    const tally: Tally = { byStatus: new Map(), runs: 0 };
    expect(await probe(withPrinter(g), tally)).toBeNull();
    expect(await stillServes(tally, true)).toBeNull();
  });
});

describe('generated hostile requests (fast-check, fixed seeds)', () => {
  it(
    'paths and methods',
    async () => {
      await runProperty('paths', pathRequests, 0x5eed01, 1000, 10_000);
    },
    40_000 * RUNS_SCALE,
  );

  it(
    'headers: Host, Origin, auth, content type and Content-Length framing',
    async () => {
      await runProperty('headers', headerRequests, 0x5eed02, 1000, 10_000);
    },
    40_000 * RUNS_SCALE,
  );

  it(
    'bodies: arbitrary JSON, absurd nesting, wrong-typed fields, BOM, invalid UTF-8, truncation',
    async () => {
      await runProperty('bodies', bodyRequests, 0x5eed03, 1000, 10_000);
    },
    40_000 * RUNS_SCALE,
  );
});
