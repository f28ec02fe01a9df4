// The worst case of a request, for budget reservations: its prompt (o200k tokenizer, raised to cover
// other vendors' tokenizers and message framing) plus the most output it may produce, priced at the
// dearest rate each side may be billed at. A bound, not a guess: a burst reserved this way cannot
// spend past a hard budget.
import type { Price } from '../../../shared/types';
import { UNKNOWN_MAX_OUTPUT } from '../catalog/output-limits';
import { countTokens } from '../catalog/tokenizer';

/** Vendors' tokenizers count the same text differently (Claude's counts up to about a third more than o200k). */
export const INPUT_MARGIN = 1.35;
/** Chat framing per message (role, separators) and the reply's priming, as OpenAI documents it. */
export const TOKENS_PER_MESSAGE = 4;
export const TOKENS_PER_REQUEST = 3;
/** An image part, whatever its size: above what OpenAI, Anthropic and Gemini bill for one image at most detail. */
export const TOKENS_PER_IMAGE = 3_000;
/** Anthropic's translation raises max_tokens above a thinking budget (at most 24,576 for "high" effort, plus 1,024). */
const THINKING_FLOOR = 25_600;

const IMAGE_TYPES = new Set(['image_url', 'image', 'input_image', 'inline_data', 'inlineData']);

/** Text of a content value, and how many images it carries (counted apart: their base64 is not text). */
function contentOf(content: unknown, images: { n: number }): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const texts: string[] = [];
    for (const part of content) {
      const p = part as { type?: unknown; text?: unknown } | null;
      if (p && typeof p === 'object' && typeof p.type === 'string' && IMAGE_TYPES.has(p.type)) images.n++;
      else if (p && typeof p === 'object' && typeof p.text === 'string') texts.push(p.text);
      else texts.push(JSON.stringify(part));
    }
    return texts.join('\n');
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** Prompt text of an OpenAI-, Anthropic-, Responses- or Ollama-shaped body, and its image and message counts. */
export function promptParts(body: Record<string, unknown>): { text: string; images: number; messages: number } {
  const images = { n: 0 };
  const parts: string[] = [];
  let messages = 0;
  if (body.system !== undefined) parts.push(contentOf(body.system, images));
  if (Array.isArray(body.messages)) {
    for (const m of body.messages as Array<{ content?: unknown; images?: unknown; tool_calls?: unknown }>) {
      messages++;
      parts.push(contentOf(m?.content, images));
      if (m?.tool_calls !== undefined) parts.push(JSON.stringify(m.tool_calls));
      if (Array.isArray(m?.images)) images.n += m.images.length; // Ollama: base64 images beside the text
    }
  }
  if (typeof body.prompt === 'string') parts.push(body.prompt);
  if (Array.isArray(body.images)) images.n += body.images.length; // Ollama's /api/generate
  if (typeof body.suffix === 'string') parts.push(body.suffix);
  if (body.input !== undefined) parts.push(contentOf(body.input, images));
  if (body.instructions !== undefined) parts.push(contentOf(body.instructions, images));
  if (body.tools !== undefined) parts.push(JSON.stringify(body.tools));
  return { text: parts.join('\n'), images: images.n, messages };
}

/** Beyond this many characters the prompt is sampled: tokenizing 100k-token prompts would cost the hot path tens of ms. */
const SAMPLE_CHARS = 40_000;

/** Prompt tokens: exact for ordinary prompts, extrapolated from a tokenized sample for huge ones. */
export function promptTokens(text: string): number {
  if (text.length <= SAMPLE_CHARS) return countTokens(text);
  return Math.ceil((countTokens(text.slice(0, SAMPLE_CHARS)) * text.length) / SAMPLE_CHARS);
}

/**
 * How a prompt's tokens are bounded. `bytes`: its UTF-8 length, free to compute and a true bound for
 * every vendor (byte-level BPE and SentencePiece with byte fallback never make more tokens than bytes),
 * but about three times the count for English. `count`: the o200k count raised by INPUT_MARGIN, tight
 * but it needs the tokenizer (~70 MB, and microseconds per kilobyte on the port's thread).
 */
export type InputMeasure = 'bytes' | 'count';

/** The input tokens a request may be billed for, at most (see InputMeasure and the framing constants). */
export function inputBound(body: Record<string, unknown>, measure: InputMeasure = 'count'): number {
  const p = promptParts(body);
  const text = measure === 'bytes' ? Buffer.byteLength(p.text, 'utf8') : Math.ceil(promptTokens(p.text) * INPUT_MARGIN);
  return text + p.messages * TOKENS_PER_MESSAGE + TOKENS_PER_REQUEST + p.images * TOKENS_PER_IMAGE;
}

/** The output limit the request sets itself, in any dialect's field, if any. */
export function requestedMaxOutput(body: Record<string, unknown>): number | undefined {
  const options = body.options as { num_predict?: unknown } | undefined;
  const generation = body.generationConfig as { maxOutputTokens?: unknown } | undefined;
  for (const v of [
    body.max_completion_tokens,
    body.max_tokens,
    body.max_output_tokens,
    options?.num_predict,
    generation?.maxOutputTokens,
  ]) {
    if (typeof v === 'number' && Number.isFinite(v) && v > 0) return Math.floor(v);
  }
  return undefined;
}

/** Whether the request asks for thinking in any dialect (a translation to Anthropic may raise max_tokens then). */
function asksThinking(body: Record<string, unknown>): boolean {
  const thinking = body.thinking as { type?: unknown } | undefined;
  return body.reasoning_effort !== undefined || body.reasoning !== undefined || (thinking !== undefined && thinking?.type !== 'disabled');
}

/** What the estimate needs to know of one candidate target. */
export interface TargetLimits {
  /** `provider/model`, to name it when it has no price. */
  name: string;
  kind: string;
  price: Price | undefined;
  maxOutput?: number;
  contextWindow?: number;
}

/** The most output tokens this target may produce for the request. */
export function outputBound(body: Record<string, unknown>, t: Pick<TargetLimits, 'kind' | 'maxOutput' | 'contextWindow'>): number {
  let out = requestedMaxOutput(body) ?? t.maxOutput ?? UNKNOWN_MAX_OUTPUT;
  if (t.maxOutput !== undefined) out = Math.min(out, t.maxOutput);
  if (t.kind === 'anthropic' && asksThinking(body)) out = Math.max(out, THINKING_FLOOR);
  // Nothing answers with more tokens than its whole context window holds.
  if (t.contextWindow !== undefined && t.contextWindow > 0) out = Math.min(out, t.contextWindow);
  return out;
}

/** USD per million input tokens at worst: cache writes bill above input, and a body that asks for them may get them. */
function inputRate(price: Price, body: string | undefined): number | undefined {
  if (price.input === undefined) return undefined;
  if (body === undefined || !body.includes('"cache_control"')) return price.input;
  return Math.max(
    price.input,
    price.cacheWrite ?? price.input,
    body.includes('"1h"') ? (price.cacheWrite1h ?? price.cacheWrite ?? price.input) : 0,
  );
}

export interface WorstCase {
  /** Input plus output tokens at most, over every candidate. */
  tokens: number;
  /** USD at most over every candidate; null when a candidate has no price (see `unpriced`). */
  usd: number | null;
  /** The candidates without a known price. */
  unpriced: string[];
}

/**
 * The request's worst case over every target it may be sent to (failover included): the dearest
 * target's cost and the largest token count. Reserving that once at admission covers every attempt.
 */
export function worstCase(
  body: Record<string, unknown>,
  targets: TargetLimits[],
  options: { outputless?: boolean; measure?: InputMeasure } = {},
): WorstCase {
  const input = inputBound(body, options.measure);
  const raw = targets.some((t) => t.price?.cacheWrite !== undefined) ? JSON.stringify(body) : undefined;
  let tokens = input;
  let usd: number | null = 0;
  const unpriced: string[] = [];
  for (const t of targets) {
    // Embeddings produce no output tokens (and their models often have no output price).
    const output = options.outputless ? 0 : outputBound(body, t);
    tokens = Math.max(tokens, input + output);
    const inRate = t.price ? inputRate(t.price, raw) : undefined;
    const outRate = options.outputless ? 0 : t.price?.output === undefined ? undefined : Math.max(t.price.output, t.price.reasoning ?? 0);
    if (inRate === undefined || outRate === undefined) {
      unpriced.push(t.name);
      usd = null;
      continue;
    }
    if (usd !== null) usd = Math.max(usd, (input * inRate + output * outRate) / 1e6);
  }
  return { tokens, usd, unpriced };
}
