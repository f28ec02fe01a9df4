// Orders a route's candidates for one request by its strategy: fallback (as configured), weighted
// (random by weight, the rest as fallbacks), lowest-latency (decaying averages, with exploration) and
// lowest-cost (catalog prices for the request's estimated tokens). Groups are ordered inside themselves.
import type { RouterHealth } from './health';
import { targetId } from './health';
import type { Member, RoutePlan, Step, Strategy, Target } from './resolve';

export interface OrderContext {
  health: RouterHealth;
  /** Rough token counts of this request, for lowest-cost. */
  inputTokens: number;
  outputTokens: number;
  random: () => number;
}

/** Chance that lowest-latency tries a target other than the fastest, so its figures stay current. */
const EXPLORE = 0.05;
/** Latency figures older than this are treated as unknown (measured again). */
const STALE_MS = 5 * 60_000;

/** Token estimate without a tokenizer: about four characters a token for the prompt. */
export function estimateTokens(body: Record<string, unknown> | undefined): { input: number; output: number } {
  if (!body) return { input: 0, output: 256 };
  let chars = 0;
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    const c = (m as { content?: unknown }).content;
    if (typeof c === 'string') chars += c.length;
    else if (Array.isArray(c)) {
      // Content parts: text counts by length; an image is roughly a thousand tokens whatever its bytes.
      for (const part of c as Array<{ type?: unknown; text?: unknown }>) chars += typeof part?.text === 'string' ? part.text.length : 4000;
    }
  }
  const max = body.max_completion_tokens ?? body.max_tokens;
  return { input: Math.ceil(chars / 4), output: typeof max === 'number' && max > 0 ? max : 256 };
}

function latencyScore(target: Target, ctx: OrderContext, now: number): number {
  const l = ctx.health.latency(targetId(target.provider.id, target.model));
  if (l.ttftMs === null || now - l.measuredAt > STALE_MS) return -1; // unknown: measure it first
  return l.ttftMs + (l.tokensPerSec ? (1000 * ctx.outputTokens) / l.tokensPerSec : 0);
}

function costScore(target: Target, ctx: OrderContext): number {
  const p = target.price;
  if (p?.input === undefined || p.output === undefined) return Infinity; // unknown price: last
  return ctx.inputTokens * p.input + ctx.outputTokens * p.output;
}

/** Weighted random order without replacement (Efraimidis–Spirakis keys). */
function weightedShuffle<T>(items: T[], weight: (t: T) => number, random: () => number): T[] {
  return items
    .map((item) => ({ item, key: Math.pow(random() || Number.MIN_VALUE, 1 / Math.max(weight(item), 1e-9)) }))
    .sort((a, b) => b.key - a.key)
    .map((x) => x.item);
}

function order<T>(
  items: T[],
  strategy: Strategy,
  ctx: OrderContext,
  weight: (t: T) => number,
  best: (t: T, score: (x: Target) => number) => number,
): T[] {
  if (items.length < 2) return items;
  switch (strategy) {
    case 'fallback':
      return items;
    case 'weighted':
      return weightedShuffle(items, weight, ctx.random);
    case 'lowest-cost':
      return [...items].sort((a, b) => best(a, (t) => costScore(t, ctx)) - best(b, (t) => costScore(t, ctx)));
    case 'lowest-latency': {
      const now = Date.now();
      const sorted = [...items].sort((a, b) => best(a, (t) => latencyScore(t, ctx, now)) - best(b, (t) => latencyScore(t, ctx, now)));
      if (ctx.random() < EXPLORE) {
        const i = 1 + Math.floor(ctx.random() * (sorted.length - 1));
        sorted.unshift(...sorted.splice(i, 1));
      }
      return sorted;
    }
  }
}

const stepBest = (s: Step, score: (t: Target) => number) => Math.min(...s.members.map((m) => score(m.target)));
const memberBest = (m: Member, score: (t: Target) => number) => score(m.target);

/** The candidates of one request, in the order they will be tried; `preferred` (sticky) goes first. */
export function orderTargets(plan: RoutePlan, ctx: OrderContext, preferred?: string): Target[] {
  const steps = order(plan.steps, plan.strategy, ctx, (s) => s.weight, stepBest);
  const out: Target[] = [];
  for (const step of steps) for (const m of order(step.members, step.strategy, ctx, (x) => x.weight, memberBest)) out.push(m.target);
  if (preferred) {
    const i = out.findIndex((t) => targetId(t.provider.id, t.model) === preferred);
    if (i > 0) out.unshift(...out.splice(i, 1));
  }
  return out;
}
