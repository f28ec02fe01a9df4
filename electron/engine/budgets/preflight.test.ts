// The preflight holds a loose, free bound (the prompt's bytes) while it fits every budget, and counts
// the prompt only near a limit: the tokenizer stays off the hot path, and the slack never refuses.
import { countTokens } from 'gpt-tokenizer';
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../catalog/catalog';
import { openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/types';
import type { Target } from '../router/resolve';
import { INPUT_MARGIN, inputBound } from './estimate';
import { Budgets, budgetPreflight } from './index';

const ledgers: Ledger[] = [];
afterEach(async () => {
  for (const l of ledgers.splice(0)) await l.close();
});
/** An empty ledger of its own: the budgets' running totals start at zero. */
async function budgetsOver(budget: { name: string; usd: number }): Promise<Budgets> {
  const l = openLedger(fs.mkdtempSync(path.join(os.tmpdir(), 'sb-preflight-')));
  ledgers.push(l);
  const b = new Budgets(l, [{ ...budget, period: 'daily', mode: 'hard' }]);
  await l.flush();
  return b;
}

/** $1 per million tokens either way. */
const target: Target = {
  provider: { id: 'acme', kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', keys: [], models: [] },
  model: 'm1',
  price: { input: 1, output: 1 },
};
const catalog = new Catalog();

function preflight(budgets: Budgets, text: string) {
  const held: Array<() => void> = [];
  const run = budgetPreflight({
    budgets,
    catalog,
    meter: { hold: (release) => held.push(release) },
    client: null,
    body: { messages: [{ role: 'user', content: text }], max_tokens: 100 },
    targets: [target],
  })!;
  run();
  return held;
}

describe('budget preflight', () => {
  it('the byte bound is never below the counted bound a tokenizer gives, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        const body = { messages: [{ role: 'user', content: text }] };
        expect(inputBound(body, 'bytes')).toBeGreaterThanOrEqual(countTokens(text));
      }),
      { seed: 0x5eed16, numRuns: 500 },
    );
  });

  it('holds the byte bound far from the limit, and the counted prompt near it', async () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(40); // 1,800 bytes, 361 tokens
    const bytes = inputBound({ messages: [{ role: 'user', content: text }] }, 'bytes');
    const counted = inputBound({ messages: [{ role: 'user', content: text }] }, 'count');
    expect(counted).toBeLessThan(bytes);
    expect(counted).toBeGreaterThanOrEqual(Math.ceil(countTokens(text) * INPUT_MARGIN));

    const budgets = await budgetsOver({ name: 'roomy', usd: 1 });
    preflight(budgets, text);
    expect(budgets.status()[0]!.reservedTokens).toBe(bytes + 100);

    // Room for the counted prompt but not for its bytes: admitted, holding the count.
    const usd = (counted + 100 + 10) / 1e6;
    const tight = await budgetsOver({ name: 'tight', usd });
    preflight(tight, text);
    expect(tight.status()[0]!.reservedTokens).toBe(counted + 100);
    expect(tight.warnings()).toEqual([]);
  });
});
