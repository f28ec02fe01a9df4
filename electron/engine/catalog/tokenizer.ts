// Token counting for estimates (budgets, count_tokens for non-Anthropic models). The BPE tables cost
// ~70 MB of memory, so they load on first use, not at start-up: most sessions never need them.
import { createRequire } from 'node:module';

type Tokenizer = { countTokens(text: string): number };
let tokenizer: Tokenizer | undefined;

export function countTokens(text: string): number {
  tokenizer ??= createRequire(import.meta.url)('gpt-tokenizer') as Tokenizer;
  return tokenizer.countTokens(text);
}
