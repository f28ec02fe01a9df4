// The `switchboard` command as users run it: config errors, a keychain key used by `serve`, client
// tokens, and `spend --json` accounting for every request made through the port.
import OpenAI from 'openai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { assertBuilt, runCli, startServeProcess } from '../support/cli';

const KEY = `sk-test-${process.pid}-${Date.now()}-keychain-secret`;
let fake: OpenAIFake;
let dataDir: string;
const providerId = `kc${process.pid}${Date.now() % 100000}`;

const config = (baseUrl: string) => ({
  providers: [{ id: providerId, kind: 'openai-compatible', baseUrl, models: [{ id: 'm1', price: { input: 1.0, output: 2.0 } }] }],
  routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: providerId, model: 'm1' }] }],
});

beforeAll(async () => {
  assertBuilt();
  fake = await startOpenAIFake({ apiKey: KEY, chunks: 4 });
  dataDir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
});

afterAll(async () => {
  await runCli(['key', 'delete', providerId, '--data-dir', dataDir]);
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('switchboard CLI', () => {
  it('rejects a bad config naming the field, exits non-zero and leaves existing data alone', async () => {
    const good = join(dataDir, 'good.json');
    writeFileSync(good, JSON.stringify(config(fake.url)));
    // Seed once with a good config so there is data to protect.
    const seeded = await startServeProcess(['--data-dir', dataDir, '--config', good]);
    await seeded.stop();
    const settingsFile = join(dataDir, 'settings.json');
    const before = readFileSync(settingsFile, 'utf8');

    const bad = join(dataDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ providers: [{ id: 'x', kind: 'openai-compatible', baseUrl: 'not a url', keys: [] }] }));
    const result = await runCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', bad]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('providers[0].baseUrl');
    expect(readFileSync(settingsFile, 'utf8')).toBe(before);

    const unknownKind = join(dataDir, 'kind.json');
    writeFileSync(unknownKind, JSON.stringify({ providers: [{ id: 'x', kind: 'cohere' }] }));
    const kindResult = await runCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', unknownKind]);
    expect(kindResult.code).not.toBe(0);
    expect(kindResult.stderr).toContain('providers[0].kind');

    const notJson = join(dataDir, 'broken.json');
    writeFileSync(notJson, '{ "providers": [');
    const jsonResult = await runCli(['serve', '--port', '0', '--data-dir', dataDir, '--config', notJson]);
    expect(jsonResult.code).not.toBe(0);
    expect(jsonResult.stderr).toContain('not valid JSON');
  });

  it('serves with a key from the OS keychain and accounts for every request in spend --json', async () => {
    const set = await runCli(['key', 'set', providerId, '--data-dir', dataDir], { stdin: `${KEY}\n` });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).not.toContain(KEY);

    const created = await runCli(['token', 'create', 'cli-test', '--data-dir', dataDir]);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim().split('\n').at(-1)!;
    expect(token).toMatch(/^sbt_/);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain(token);

    const serve = await startServeProcess(['--data-dir', dataDir, '--log']);
    try {
      const client = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: token, maxRetries: 0 });
      for (let i = 0; i < 3; i++) {
        const stream = await client.chat.completions.create({
          model: 'default',
          messages: [{ role: 'user', content: `request ${i}` }],
          stream: true,
        });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
        expect(text.length).toBeGreaterThan(0);
      }
      await client.chat.completions.create({ model: `${providerId}/m1`, messages: [{ role: 'user', content: 'plain' }] });
      expect(fake.requests.at(-1)?.headers.authorization).toBe(`Bearer ${KEY}`);
      // `--log`: a line per request, and a refused one says why (no silence for a tool that only gets errors).
      const refused = await fetch(`${serve.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(401);
      await new Promise((r) => setTimeout(r, 200));
      const requestLines = serve.lines.filter((l) => /^\d{4}-\d\d-\d\dT/.test(l));
      expect(
        requestLines.filter((l) => l.includes('cli-test  openai /v1/chat/completions  ') && l.includes(`-> ${providerId}/m1  200 ok`)),
      ).toHaveLength(4);
      expect(
        requestLines.some(
          (l) => l.includes('(no token)  openai /v1/chat/completions') && l.includes('401 refused') && l.includes('missing client token'),
        ),
      ).toBe(true);
      expect(serve.lines.join('\n')).not.toContain(KEY);
    } finally {
      await serve.stop();
    }

    const spend = await runCli(['spend', '--json', '--by', 'client', '--data-dir', dataDir]);
    expect(spend.code, spend.stderr).toBe(0);
    const summary = JSON.parse(spend.stdout);
    expect(summary.requests).toBe(4);
    expect(summary.outputTokens).toBe(16);
    expect(summary.inputTokens).toBeGreaterThan(0);
    expect(summary.costUsd).toBeCloseTo((summary.inputTokens * 1 + summary.outputTokens * 2) / 1e6, 12);
    expect(summary.groups).toEqual([
      {
        key: 'cli-test',
        requests: 4,
        inputTokens: summary.inputTokens,
        outputTokens: 16,
        costUsd: summary.costUsd,
        knownCostUsd: summary.costUsd,
        unknownCostRequests: 0,
        estimatedRequests: 0,
      },
    ]);

    // The key never reached a file in the data dir.
    for (const file of ['settings.json', 'ledger.db', 'ledger.db-wal']) {
      const path = join(dataDir, file);
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(KEY))).toBe(false);
    }
  });
});
