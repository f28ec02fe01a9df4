// The tokens and port services of the contract against a real engine: a token created there works on
// the port at once, its spend shows in the list, revoking it locks it out; the request log shows routed
// requests (bodies only while capture is on, with keys redacted); setup guides name real config keys.
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let up: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  up = await startOpenAIFake({ apiKey: 'k', models: ['m1'], reply: 'logged reply' });
  h = await startHarness(
    {
      providers: [
        {
          id: 'up',
          kind: 'openai-compatible',
          baseUrl: up.url,
          keys: [{ env: 'UP_KEY' }],
          models: [{ id: 'm1', price: { input: 1000, output: 1000 } }],
        },
      ],
      routes: [{ name: 'default', targets: [{ provider: 'up', model: 'm1' }] }],
    },
    { UP_KEY: 'k' },
  );
});

afterAll(async () => {
  await h?.close();
  await up?.close();
});

const sdk = (token: string) => new OpenAI({ baseURL: `${h.baseUrl}/v1`, apiKey: token, maxRetries: 0 });

describe('tokens service', () => {
  it('creates a token shown once, lists it with spend, and revokes it', async () => {
    const { token, info } = await h.app.services.tokens.create({ name: 'cline', allow: ['default'], budgetUsd: 5 });
    expect(token).toMatch(/^sbt_/);
    expect(info).toMatchObject({ name: 'cline', allow: ['default'], budgetUsd: 5, spendUsd: 0 });
    expect(JSON.stringify(await h.app.services.tokens.list())).not.toContain(token);

    // A hard budget holds each request's worst case: with no max_tokens that is the model's whole output limit.
    const r = await sdk(token).chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: 'count me' }],
      max_tokens: 16,
    });
    expect(r.choices[0]!.message.content).toBe('logged reply');
    const listed = (await h.app.services.tokens.list()).find((t) => t.name === 'cline')!;
    expect(listed.requests).toBe(1);
    expect(listed.spendUsd).toBeGreaterThan(0);

    expect(await h.app.services.tokens.revoke('cline')).toBe(true);
    await expect(
      sdk(token).chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toMatchObject({ status: 401 });
    expect(await h.app.services.tokens.revoke('cline')).toBe(false);
  });

  it('refuses a bad name or allow-list with a clear error', async () => {
    await expect(h.app.services.tokens.create({ name: 'bad name!' })).rejects.toThrow(/invalid token name/);
    await expect(h.app.services.tokens.create({ name: 'ok', allow: [''] as string[] })).rejects.toThrow(/allow/);
  });
});

describe('port service', () => {
  it('logs routed requests with client, route, attempts, tokens, cost and timings, and no body by default', async () => {
    await sdk(h.token).chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'no body please' }] });
    const [entry] = await h.app.services.port.requests(1);
    expect(entry).toMatchObject({ client: 'test-client', route: 'default', provider: 'up', model: 'm1', status: 'ok', httpStatus: 200 });
    expect(entry!.attempts).toEqual([expect.objectContaining({ provider: 'up', model: 'm1', status: 200 })]);
    expect(entry!.inputTokens).toBeGreaterThan(0);
    expect(entry!.outputTokens).toBeGreaterThan(0);
    expect(entry!.costUsd).toBeGreaterThan(0);
    expect(entry!.durationMs).toBeGreaterThanOrEqual(entry!.ttftMs!);
    expect(entry!.requestBody).toBeUndefined();
  });

  it('captures bodies only when switched on, with keys redacted', async () => {
    const settings = await h.app.services.port.updateSettings({ captureBodies: true });
    expect(settings.captureBodies).toBe(true);
    const secret = 'sk-live-abcdefghijklmnop1234';
    await sdk(h.token).chat.completions.create({
      model: 'default',
      messages: [{ role: 'user', content: `my key is ${secret}` }],
      user: 'u1',
      metadata: { api_key: 'hunter2' },
    } as never);
    const [entry] = await h.app.services.port.requests(1);
    expect(entry!.requestBody).toContain('my key is [redacted]');
    expect(entry!.requestBody).not.toContain(secret);
    expect(entry!.requestBody).not.toContain('hunter2');
    expect(entry!.requestBody).not.toContain(h.token);
    await h.app.services.port.updateSettings({ captureBodies: false });
    await sdk(h.token).chat.completions.create({ model: 'default', messages: [{ role: 'user', content: 'off again' }] });
    expect((await h.app.services.port.requests(1))[0]!.requestBody).toBeUndefined();
  });

  it('reports where it listens and refuses a malformed origin', async () => {
    const info = await h.app.services.port.info();
    expect(info).toMatchObject({ url: h.baseUrl, host: '127.0.0.1', exposed: false });
    await expect(h.app.services.port.updateSettings({ allowedOrigins: ['not an origin'] })).rejects.toThrow(/origin/);
  });

  it('offers setup guides for every tool the issue names, with the real config keys', async () => {
    const guides = await h.app.services.port.setupGuides();
    const text = JSON.stringify(guides);
    for (const id of [
      'continue',
      'cline',
      'claude-code',
      'codex',
      'gemini-cli',
      'aider',
      'copilot',
      'openai-sdk',
      'anthropic-sdk',
      'langchain',
      'ai-sdk',
    ])
      expect(guides.map((g) => g.id)).toContain(id);
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const g of guides) expect(readme, `README documents ${g.name}`).toContain(`**${g.name}**`);
    for (const key of [
      'ANTHROPIC_BASE_URL',
      'ANTHROPIC_AUTH_TOKEN',
      'apiBase',
      'wire_api',
      'GOOGLE_GEMINI_BASE_URL',
      'GEMINI_API_KEY',
      'OPENAI_API_BASE',
      'COPILOT_PROVIDER_BASE_URL',
      'createOpenAICompatible',
    ])
      expect(text).toContain(key);
  });
});

describe('port switch', () => {
  it('closes the port and opens it again at the same address; a serve-mode engine refuses', async () => {
    const port = h.app.services.port;
    const before = await port.info();
    expect(before.url).toBe(h.baseUrl);
    expect(before.toggleBlockedBecause).toBeNull();

    const off = await port.setEnabled(false);
    expect(off.url).toBeNull();
    await expect(fetch(`${h.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${h.token}` } })).rejects.toThrow();

    const on = await port.setEnabled(true);
    expect(on.url).toBe(h.baseUrl);
    const models = await fetch(`${h.baseUrl}/v1/models`, { headers: { authorization: `Bearer ${h.token}` } });
    expect(models.status).toBe(200);
    await expect(port.setEnabled('yes' as unknown as boolean)).rejects.toThrow(/expected true/);

    // Under `serve` the UI lives on the port: closing it would cut the UI off.
    const served = await startHarness({ providers: [], routes: [] }, {}, 'serve-mode', { rendererDir: h.dataDir });
    try {
      const info = await served.app.services.port.info();
      expect(info.toggleBlockedBecause).toMatch(/UI is served from this port/);
      await expect(served.app.services.port.setEnabled(false)).rejects.toThrow(/stop serve/);
      expect((await served.app.services.port.info()).url).toBe(served.baseUrl);
    } finally {
      await served.close();
    }
  });
});
