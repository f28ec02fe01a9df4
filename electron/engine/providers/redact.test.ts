// Redaction of keys from upstream text: the exact secret sent, every vendor's key shape, echoed bearer
// headers and named tokens, never more than the last four characters kept, and ordinary error text
// (model names, token counts, request ids) left alone.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UpstreamStreamError } from '../canonical/errors';
import { AttemptError } from '../router/failures';
import { streamFailure } from './open-canonical';
import { redactError, redactKeys, shortForm, sseScrubber, withRedactedErrors } from './redact';
import { readSse } from './sse';

const KEYS = {
  openai: 'sk-Xy7kQ2mN9pL4vR8tW1zB3cD5fG6hJ0aE2sU4iO8uY1',
  project: 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdEFGH',
  anthropic: 'sk-ant-api03-q1W2e3R4t5Y6u7I8o9P0a1S2d3F4g5H6j7K8l9Z0x1C2v3B4n5M6-abcdefghAA',
  openrouter: 'sk-or-v1-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  google: 'AIzaSyD-1234567890abcdefghijklmnopqrstu',
  groq: 'gsk_0123456789abcdefghijABCDEFGHIJ0123456789abcdefghij',
  xai: 'xai-0123456789abcdefghijABCDEFGHIJ0123456789abcdefghij0123456789abcdefghij',
};
// Azure-style: no prefix, nothing about it looks like a key but that we sent it.
const AZURE = '3f9c2b7a1e4d4c8b9a0f1e2d3c4b5a69';

/** The secret is gone, and so is every 5-character run of it but the last four. */
function expectGone(out: string, secret: string): void {
  expect(out).not.toContain(secret);
  const body = secret.replace(/^(sk-ant-|sk-or-|sk-proj-|sk-|gsk_|xai-|AIza)/, '');
  for (let i = 0; i + 5 <= body.length; i++) expect(out).not.toContain(body.slice(i, i + 5));
}

describe('redactKeys', () => {
  it('replaces every vendor key shape with its prefix and last four characters', () => {
    for (const key of Object.values(KEYS)) {
      const out = redactKeys(`Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com.`);
      expectGone(out, key);
      expect(out).toContain(`…${key.slice(-4)}.`);
    }
    expect(redactKeys(`bad key ${KEYS.project}`)).toBe(`bad key sk-proj-…EFGH`);
    expect(redactKeys(`x-api-key ${KEYS.anthropic} refused`)).toBe('x-api-key sk-ant-…ghAA refused');
  });

  it('replaces the exact secret it is given, whatever its shape', () => {
    const out = redactKeys(`unauthorized: ${AZURE} (twice: ${AZURE})`, [AZURE]);
    expect(out).toBe('unauthorized: …5a69 (twice: …5a69)');
    expect(redactKeys(`no such key ${AZURE}`)).toContain(AZURE); // no shape, not given: nothing to go on
    expect(shortForm('short-secret')).toBe('[redacted]');
    expect(redactKeys('the key short-secret was refused', ['short-secret'])).toBe('the key [redacted] was refused');
    // Placeholder "keys" of a few letters would take ordinary words with them.
    expect(redactKeys('ollama: model not found', ['ollama'])).toBe('ollama: model not found');
  });

  it('redacts echoed bearer headers and long tokens named as keys, tokens or secrets', () => {
    expect(redactKeys('got Authorization: Bearer abc.def-ghi_jkl123')).toBe('got Authorization: Bearer [redacted]');
    expect(redactKeys(`Incorrect API key provided: ${AZURE}`)).toBe('Incorrect API key provided: [redacted]');
    expect(redactKeys(`{"api_key":"${AZURE}","x":1}`)).toBe('{"api_key":"[redacted]","x":1}');
    expect(redactKeys(`x-goog-api-key=${AZURE}`)).toBe('x-goog-api-key=[redacted]');
  });

  it('leaves ordinary error text alone', () => {
    for (const text of [
      "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
      'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens for claude-3-5-sonnet-20241022',
      'Rate limit reached for gpt-4o in organization org-AbCdEfGhIjKlMnOp on tokens per min (TPM): Limit 30000, Used 29000.',
      'request_id: req_011CSHoEeqs5C35K2UUqR7Fy; model gemini-2.5-flash-preview-05-20 is overloaded',
      'The task-management-framework-service-endpoint refused; see https://status.example.com/incidents/abc',
      'Bearer token missing',
    ]) {
      expect(redactKeys(text)).toBe(text);
    }
  });

  it('is idempotent: a short form is not redacted again', () => {
    const once = redactKeys(`key ${KEYS.project} and ${AZURE}`, [AZURE]);
    expect(redactKeys(once, [AZURE])).toBe(once);
  });
});

describe('redactError', () => {
  it('redacts message and stack in place, keeping the class and its fields', () => {
    const error = new AttemptError('auth', `refused ${AZURE}`, 401, 500);
    expect(redactError(error, [AZURE])).toBe(error);
    expect(error).toBeInstanceOf(AttemptError);
    expect(error).toMatchObject({ failureClass: 'auth', status: 401, retryAfterMs: 500, message: 'refused …5a69' });
    expect(error.stack).not.toContain(AZURE);
  });

  it('drops the text V8 quotes from what JSON.parse refused: ten characters can carry part of a key', () => {
    let error: unknown;
    try {
      JSON.parse(`${KEYS.google} garbled`);
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).toContain('AIzaSyD-12');
    redactError(error);
    expect(error).toBeInstanceOf(SyntaxError);
    expect((error as Error).message).not.toContain('SyD');
    expect((error as Error).message).toMatch(/not valid JSON/);
  });

  it('passes anything that is not an Error through', () => {
    expect(redactError('x')).toBe('x');
    expect(redactError(undefined)).toBe(undefined);
  });
});

describe('UpstreamStreamError and streamFailure', () => {
  it('is born without key-shaped strings, and loses the attempt key on the way out', () => {
    const e = new UpstreamStreamError(`overloaded_error: Overloaded for ${KEYS.anthropic} and ${AZURE}`);
    expect(e.message).not.toContain(KEYS.anthropic);
    const out = streamFailure(e, AZURE) as AttemptError;
    expect(out).toBeInstanceOf(AttemptError);
    expect(out.failureClass).toBe('overloaded');
    expect(out.message).toBe('upstream stream error: overloaded_error: Overloaded for sk-ant-…ghAA and …5a69');
  });

  it('keeps the classification: UNAVAILABLE is overloaded, the rest a server failure, bad data malformed', () => {
    expect(streamFailure(new UpstreamStreamError('UNAVAILABLE: try later'))).toMatchObject({ failureClass: 'overloaded', status: 200 });
    expect(streamFailure(new UpstreamStreamError('INTERNAL: boom'))).toMatchObject({ failureClass: 'server', status: 200 });
    expect(streamFailure(new SyntaxError('Unexpected token'))).toMatchObject({ failureClass: 'malformed' });
    // An error that merely says the words is not an upstream stream error.
    const plain = new Error('upstream stream error: spoofed');
    expect(streamFailure(plain)).toBe(plain);
  });
});

describe('stream redaction', () => {
  it('scrubs events that carry an error or the key, and passes every other event as it is', async () => {
    const frames = [
      'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\n',
      `data: {"error":{"message":"Incorrect API key provided: ${AZURE} ${KEYS.groq}"}}\n\n`,
      `data: garbled ${AZURE}\n\n`,
      `event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"${KEYS.anthropic}"}}\n\n`,
    ];
    const events = [];
    for await (const e of readSse(Readable.from(frames), sseScrubber(AZURE))) events.push(e);
    expect(events.map((e) => e.data)).toEqual([
      '{"choices":[{"delta":{"content":"Hi"}}]}',
      '{"error":{"message":"Incorrect API key provided: …5a69 gsk_…ghij"}}',
      'garbled …5a69',
      '{"type":"error","error":{"type":"overloaded_error","message":"sk-ant-…ghAA"}}',
    ]);
    expect(events[3]!.event).toBe('error');
  });

  it('redacts what a stream throws and passes what it yields', async () => {
    async function* upstream() {
      yield 1;
      throw new UpstreamStreamError(`after the first chunk: ${AZURE}`);
    }
    const seen: number[] = [];
    let thrown: unknown;
    try {
      for await (const n of withRedactedErrors(upstream(), AZURE)) seen.push(n);
    } catch (e) {
      thrown = e;
    }
    expect(seen).toEqual([1]);
    expect(thrown).toBeInstanceOf(UpstreamStreamError);
    expect((thrown as Error).message).toBe('upstream stream error: after the first chunk: …5a69');
  });
});
