// Pre-request estimate for budgets: prompt tokens (o200k tokenizer, close enough for every vendor's
// order of magnitude) plus the requested maximum output, priced with the first target's price.
import { countTokens } from '../catalog/tokenizer';
import type { Price } from '../../../shared/types';

/** Used when a request names no output limit; vendors' defaults are in this range or larger. */
export const DEFAULT_MAX_OUTPUT = 4096;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part && typeof (part as { text?: unknown }).text === 'string' ? (part as { text: string }).text : JSON.stringify(part))).join('\n');
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** Prompt text of an OpenAI-, Anthropic- or Ollama-shaped body (messages, system, tools). */
export function promptText(body: Record<string, unknown>): string {
  const parts: string[] = [];
  if (body.system !== undefined) parts.push(textOf(body.system));
  if (Array.isArray(body.messages)) for (const m of body.messages) parts.push(textOf((m as { content?: unknown }).content));
  if (typeof body.prompt === 'string') parts.push(body.prompt);
  if (body.input !== undefined) parts.push(textOf(body.input));
  if (body.tools !== undefined) parts.push(JSON.stringify(body.tools));
  return parts.join('\n');
}

export function maxOutputOf(body: Record<string, unknown>): number {
  const options = body.options as { num_predict?: unknown } | undefined;
  for (const v of [body.max_completion_tokens, body.max_tokens, body.max_output_tokens, options?.num_predict]) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  }
  return DEFAULT_MAX_OUTPUT;
}

/** Beyond this many characters the prompt is sampled: tokenizing 100k-token prompts would cost the hot path tens of ms. */
const SAMPLE_CHARS = 40_000;

/** Prompt tokens: exact for ordinary prompts, extrapolated from a tokenized sample for huge ones. */
export function promptTokens(text: string): number {
  if (text.length <= SAMPLE_CHARS) return countTokens(text);
  return Math.ceil((countTokens(text.slice(0, SAMPLE_CHARS)) * text.length) / SAMPLE_CHARS);
}

export function estimateRequest(body: Record<string, unknown>, price: Price | undefined): { tokens: number; usd: number | null } {
  const prompt = promptTokens(promptText(body));
  const output = maxOutputOf(body);
  const usd = price?.input !== undefined && price.output !== undefined ? (prompt * price.input + output * price.output) / 1e6 : null;
  return { tokens: prompt + output, usd };
}
