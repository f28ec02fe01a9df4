// Budget tracker against a real ledger: periods roll over by UTC day and month, per-client budgets
// count only their client, and the estimate reads every dialect's prompt and output limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../ledger/ledger';
import type { Ledger, RequestRecord } from '../ledger/types';
import { Budgets } from './budgets';
import { DEFAULT_MAX_OUTPUT, estimateRequest, maxOutputOf, promptTokens } from './estimate';

const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
});
function ledger(): Ledger {
  const l = openLedger(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-budget-')));
  ledgers.push(l);
  return l;
}
let n = 0;
const row = (o: Partial<RequestRecord>): RequestRecord => ({
  id: `b${++n}`, startedAt: 0, source: 'port', client: 'cursor', route: null, provider: 'p', model: 'm', status: 'ok', httpStatus: 200,
  attempts: [], inputTokens: 100, outputTokens: 50, costUsd: 1, ttftMs: 1, durationMs: 1, ...o,
});

describe('budgets', () => {
  it('seeds from the ledger, adds new rows, and starts over at the next UTC day and month', () => {
    const l = ledger();
    let now = Date.UTC(2025, 4, 31, 23, 0);
    l.record(row({ startedAt: now - 3_600_000, costUsd: 2 }));
    l.record(row({ startedAt: Date.UTC(2025, 4, 2), costUsd: 5 }));
    l.record(row({ startedAt: Date.UTC(2025, 3, 30), costUsd: 100 })); // last month: not counted
    const b = new Budgets(l, [
      { name: 'day', period: 'daily', mode: 'hard', usd: 3 },
      { name: 'month', period: 'monthly', mode: 'soft', usd: 10 },
      { name: 'aider', client: 'aider', period: 'daily', mode: 'hard', usd: 0.5 },
    ], () => now);
    expect(b.status().map((s) => [s.name, s.spentUsd, s.state])).toEqual([['day', 2, 'ok'], ['month', 7, 'ok'], ['aider', 0, 'ok']]);
    l.record(row({ startedAt: now, costUsd: 0.5 }));
    expect(b.check({ client: 'cursor', estimateUsd: 0.4, estimateTokens: 10 })).toEqual({ soft: [] });
    expect(b.check({ client: 'cursor', estimateUsd: 0.6, estimateTokens: 10 }).hard).toMatch(/hard budget "day" \(global, daily, \$3\.00\) would be exceeded: \$2\.50 spent \+ about \$0\.6000/);
    // Unknown estimate: refused only once the budget is already used up.
    expect(b.check({ client: 'cursor', estimateUsd: null, estimateTokens: 10 }).hard).toBeUndefined();
    expect(b.check({ client: 'aider', estimateUsd: 0.6, estimateTokens: 10 }).hard).toMatch(/"day"/);
    now = Date.UTC(2025, 5, 1, 0, 30); // next day and next month
    expect(b.status().map((s) => [s.name, s.spentUsd])).toEqual([['day', 0], ['month', 0], ['aider', 0]]);
    expect(b.check({ client: 'cursor', estimateUsd: 2.9, estimateTokens: 10 }).hard).toBeUndefined();
    b.close();
  });

  it('remembers one soft warning per budget and period', () => {
    const l = ledger();
    const b = new Budgets(l, [{ name: 'soft', period: 'daily', mode: 'soft', tokens: 100 }]);
    for (let i = 0; i < 3; i++) expect(b.check({ client: null, estimateUsd: 0, estimateTokens: 500 }).soft).toHaveLength(1);
    expect(b.warnings()).toHaveLength(1);
    expect(b.warnings()[0]!.message).toMatch(/soft budget "soft" \(global, daily, 100 tokens\) reached: 0 tokens used \+ up to 500/);
    b.close();
  });
});

describe('request estimate', () => {
  it('counts prompt tokens across dialect shapes and takes the requested output limit', () => {
    const openai = { messages: [{ role: 'user', content: 'hello world' }], max_completion_tokens: 100 };
    expect(estimateRequest(openai, { input: 1, output: 2 })).toEqual({ tokens: 2 + 100, usd: (2 * 1 + 100 * 2) / 1e6 });
    const anthropic = { system: [{ type: 'text', text: 'be brief' }], messages: [{ role: 'user', content: [{ type: 'text', text: 'hello world' }] }], max_tokens: 50 };
    // System and message text are both counted (joined by a newline, itself a token).
    expect(estimateRequest(anthropic, undefined)).toEqual({ tokens: promptTokens('be brief\nhello world') + 50, usd: null });
    expect(promptTokens('be brief\nhello world')).toBeGreaterThanOrEqual(4);
    expect(maxOutputOf({ options: { num_predict: 7 } })).toBe(7);
    expect(maxOutputOf({})).toBe(DEFAULT_MAX_OUTPUT);
  });

  it('extrapolates huge prompts from a sample, within a few percent', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(5_000);
    const exact = countTokens(text);
    expect(Math.abs(promptTokens(text) - exact)).toBeLessThan(exact * 0.05);
  });
});
