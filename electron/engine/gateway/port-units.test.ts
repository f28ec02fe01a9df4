// Unit tests for the port's small pure parts: loopback detection, Origin allow-list, per-token
// allow-lists, body redaction and the request log's ring.
import { describe, expect, it } from 'vitest';
import { clientAccessFor, mayUse, requestedModels } from './client-access';
import { dialectOf } from './dialect-errors';
import type { PortRequestLogEntry } from '../../../shared/types';
import type { RequestRecord } from '../ledger/types';
import { redactBody, RequestLog } from './request-log';
import { exposureWarning, HostGuard, isLoopbackHost } from './security';

describe('security', () => {
  it('knows loopback from the rest and warns only for the rest', () => {
    for (const h of ['127.0.0.1', '127.8.9.10', 'localhost', '::1']) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '192.168.1.5', '::', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
    expect(exposureWarning('127.0.0.1')).toBeUndefined();
    expect(exposureWarning('0.0.0.0')).toMatch(/WARNING.*0\.0\.0\.0/);
  });

  it('allows only listed Origins, exactly, and none by default', () => {
    const g = new HostGuard('127.0.0.1', 4141);
    expect(g.originAllowListed('https://a.example')).toBe(false);
    g.allowOrigins(['https://A.example/', 'http://localhost:3000']);
    expect(g.originAllowListed('https://a.example')).toBe(true);
    expect(g.originAllowListed('http://localhost:3000')).toBe(true);
    expect(g.originAllowListed('https://a.example.evil')).toBe(false);
    expect(g.originAllowListed('null')).toBe(false);
    expect(g.originIsSelf('http://127.0.0.1:4141')).toBe(true);
    expect(g.originIsSelf('http://127.0.0.1:4142')).toBe(false);
  });

  it('names the dialect of a path', () => {
    expect(dialectOf('/v1/messages')).toBe('anthropic');
    expect(dialectOf('/v1/messages/count_tokens')).toBe('anthropic');
    expect(dialectOf('/api/chat')).toBe('ollama');
    expect(dialectOf('/v1/chat/completions')).toBe('openai');
  });
});

describe('client access', () => {
  const record = { name: 'c', hash: 'h', prefix: 'p', createdAt: '' };
  it('lets an unrestricted token use anything', () => {
    expect(mayUse(clientAccessFor(record), 'anything/at-all')).toBe(true);
  });

  it('matches routes, exact provider/model ids and provider/* wildcards', () => {
    const a = clientAccessFor({ ...record, allow: ['fast', 'openai/gpt-x', 'groq/*'] });
    expect(mayUse(a, 'fast')).toBe(true);
    expect(mayUse(a, 'openai/gpt-x')).toBe(true);
    expect(mayUse(a, 'openai/gpt-y')).toBe(false);
    expect(mayUse(a, 'groq/llama')).toBe(true);
    expect(mayUse(a, 'slow')).toBe(false);
  });

  it('reads model and an OpenRouter-style models list', () => {
    expect(requestedModels({ model: 'a', models: ['b', 3, 'c'] })).toEqual(['a', 'b', 'c']);
    expect(requestedModels(null)).toEqual([]);
  });
});

describe('request log', () => {
  it('redacts key-named fields and key-shaped values, keeps token counts', () => {
    const text = redactBody({
      api_key: 'x',
      headers: { Authorization: 'Bearer abc' },
      max_tokens: 5,
      messages: [{ content: 'use sk-abcdefghijklmnop and sbt_abcdefghijkl' }],
    });
    expect(text).not.toMatch(/sk-abc|sbt_abc|"x"|Bearer abc/);
    expect(text).toContain('"max_tokens":5');
    expect(JSON.parse(text).api_key).toBe('[redacted]');
  });

  it('keeps the newest entries, newest first, bounded', () => {
    const log = new RequestLog();
    const entry = (i: number) => ({
      id: String(i),
      startedAt: i,
      client: null,
      route: null,
      provider: null,
      model: null,
      status: 'ok' as const,
      httpStatus: 200,
      attempts: [],
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      ttftMs: null,
      durationMs: 0,
    });
    for (let i = 0; i < 3; i++) log.add(entry(i));
    expect(log.list(2).map((e) => e.id)).toEqual(['2', '1']);
    for (let i = 3; i < 1200; i++) log.add(entry(i));
    const all = log.list(10_000);
    expect(all.length).toBe(500);
    expect(all[0]!.id).toBe('1199');
    expect(all.at(-1)!.id).toBe('700');
  });
  it('gives back each ledger row as its entry, to the list and to a listener, whatever it holds', () => {
    const row = (i: number): RequestRecord => ({
      id: `row-${i}`,
      startedAt: 1_764_000_000_000 + i,
      source: 'port',
      client: i % 3 ? 'cli' : null,
      route: i % 2 ? 'fast' : null,
      provider: i % 4 ? 'alpha' : null,
      model: i % 4 ? 'a-model-1' : null,
      // A fresh string each time, as parsed from a request body.
      requestedModel: i % 5 ? JSON.parse(`"fa${'st'}"`) : undefined,
      path: i % 6 ? '/v1/chat/completions' : undefined,
      usageEstimated: i % 7 === 0,
      status: i % 8 ? 'ok' : 'error',
      httpStatus: i % 8 ? 200 : 502,
      errorMessage: i % 8 ? undefined : `upstream failed ${i}`,
      attempts: Array.from({ length: i % 3 }, (_, k) => ({
        provider: k ? 'beta' : 'alpha',
        model: `m-${k}`,
        status: k ? 200 : null,
        errorClass: k ? undefined : 'timeout',
        durationMs: i + k + 0.5,
        ttftMs: 3,
      })),
      inputTokens: i * 10,
      outputTokens: i,
      costUsd: i % 9 ? i / 1000 : null,
      ttftMs: i % 2 ? i + 0.25 : null,
      durationMs: i + 0.75,
      notes: i % 10 === 1 ? ['dropped web_search'] : undefined,
    });
    const seen: PortRequestLogEntry[] = [];
    const heard = new RequestLog();
    heard.subscribe((e) => seen.push(e));
    const quiet = new RequestLog();
    for (let i = 0; i < 40; i++) {
      heard.addRow(row(i));
      quiet.addRow(row(i));
    }
    // The entry a row makes, field by field (an attempt shows five of its fields).
    const entryOf = (r: RequestRecord): PortRequestLogEntry => ({
      id: r.id,
      startedAt: r.startedAt,
      client: r.client,
      route: r.route,
      path: r.path,
      provider: r.provider,
      model: r.model,
      requestedModel: r.requestedModel ?? null,
      status: r.status,
      httpStatus: r.httpStatus,
      errorMessage: r.errorMessage,
      attempts: r.attempts.map((a) => ({
        provider: a.provider,
        model: a.model,
        status: a.status,
        errorClass: a.errorClass,
        durationMs: a.durationMs,
      })),
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      costUsd: r.costUsd,
      ttftMs: r.ttftMs,
      durationMs: r.durationMs,
      ...(r.notes?.length ? { notes: [...r.notes] } : {}),
      ...(r.usageEstimated ? { usageEstimated: true } : {}),
    });
    const expected = Array.from({ length: 40 }, (_, i) => entryOf(row(39 - i)));
    expect([...seen].reverse()).toEqual(expected);
    expect(heard.list(100)).toEqual(expected);
    expect(quiet.list(100)).toEqual(expected);
    // What the renderer gets is its own: changing it changes nothing kept.
    const first = quiet.list(1)[0]!;
    first.attempts.push({ provider: 'x', model: 'y', status: 1, durationMs: 1 });
    first.model = 'changed';
    expect(quiet.list(1)[0]).toEqual(expected[0]);
  });
});
