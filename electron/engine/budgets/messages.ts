// What budgets say: the refusal a client receives (402), the warning a soft budget raises, and the
// one-line description of a budget they share. Money reads the same as everywhere else (shared/format).
import { formatUsd } from '../../../shared/format';
import type { BudgetCheckInput, BudgetConfig } from './types';

const tokens = (n: number) => n.toLocaleString('en-US');

export function describeBudget(b: BudgetConfig): string {
  const limits = [b.usd !== undefined ? formatUsd(b.usd) : '', b.tokens !== undefined ? `${tokens(b.tokens)} tokens` : '']
    .filter(Boolean)
    .join(' / ');
  const scope = b.client ? `client ${b.client}` : b.member ? `member ${b.member}` : 'global';
  return `${b.mode} budget "${b.name}" (${scope}, ${b.period}, ${limits})`;
}

/** The used and held amounts of the budget's bucket. */
export interface Used {
  usd: number;
  reservedUsd: number;
  tokens: number;
  reservedTokens: number;
}

/** A hard refusal or a soft warning: what is spent, what requests in flight hold, and this request's worst case. */
export function overMessage(b: BudgetConfig, s: Used, input: BudgetCheckInput, overUsd: boolean): string {
  const what = overUsd
    ? `${formatUsd(s.usd)} spent${s.reservedUsd > 0 ? ` + ${formatUsd(s.reservedUsd)} held by requests in flight` : ''}` +
      (input.estimateUsd !== null ? ` + up to ${formatUsd(input.estimateUsd)} for this request` : '')
    : `${tokens(s.tokens)} tokens used${s.reservedTokens > 0 ? ` + ${tokens(s.reservedTokens)} held by requests in flight` : ''} + up to ${tokens(input.estimateTokens)} for this request`;
  if (b.mode === 'soft') return `${describeBudget(b)} reached: ${what}`;
  // The worst case counts the most output the request may produce: a lower max_tokens reserves less.
  return `${describeBudget(b)} would be exceeded: ${what} (its prompt plus its maximum output at the model's prices; a lower max_tokens reserves less). The request was not sent.`;
}

/** A hard USD budget cannot count a request whose price is unknown: the refusal says which model and how to price it. */
export function unpricedMessage(b: BudgetConfig, models: string[]): string {
  const named = models.length ? models.slice(0, 3).join(', ') + (models.length > 3 ? ` and ${models.length - 3} more` : '') : 'the model';
  const one = models[0] ?? 'provider/model';
  return (
    `${describeBudget(b)} cannot count the cost of ${named}: no price is known for it. ` +
    `Set its price in USD per million tokens: in your config (a \`price\` on the model: "models": [{ "id": "${one.slice(one.indexOf('/') + 1)}", "price": { "input": 1, "output": 2 } }]) ` +
    `or in the app (a price override for ${one}); or let this budget allow unpriced requests ("allowUnpriced": true). The request was not sent.`
  );
}
