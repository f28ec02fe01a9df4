// Takes API keys out of upstream-originated text (error bodies, stream error events, parse errors)
// before anything past the provider layer sees it: the exact secrets we sent, and anything key-shaped.
import type { SseEvent } from './sse';

/** Shortest secret searched for verbatim: shorter "keys" are placeholders ("none", "ollama") that also occur in ordinary words. */
const MIN_EXACT = 8;
/** Below this a short form would show too much of the key: it is replaced whole. */
const MIN_SHORT_FORM = 16;

// Vendors' key shapes (OpenAI sk-/sk-proj-, Anthropic sk-ant-, OpenRouter sk-or-, Groq gsk_, xAI xai-,
// Google AIza). The prefix names the vendor, not the key, so it stays; the body is cut to its last 4.
const KEY_SHAPE = /\b(sk-ant-|sk-or-|sk-proj-|sk-|gsk_|xai-|AIza)([A-Za-z0-9_-]{16,})/g;
// An echoed `Authorization: Bearer …` header.
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi;
// Any long token right after a key/token/secret word and a `:` or `=` ("Incorrect API key provided: …",
// `"api_key":"…"`, `x-api-key: …`): catches keys of no known shape (Azure's 32 hex digits).
const NAMED_TOKEN =
  /\b((?:api[ _-]?key|key|token|secret|password)["']?\s*(?:provided)?\s*[:=]\s*["']?)([A-Za-z0-9][A-Za-z0-9_\-.+/=]{23,})/gi;
const HAS_LETTER_AND_DIGIT = /^(?=.*[A-Za-z])(?=.*\d)/;
// V8 quotes the start of what JSON.parse refused (`Unexpected token 'a', "sk-proj-ab"... is not valid
// JSON`): ten characters are enough to carry part of a key, so the quote goes.
const JSON_SNIPPET = /(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON/;
const JSON_SNIPPET_GONE = '(upstream text omitted) is not valid JSON';

const PREFIXES = ['sk-ant-', 'sk-or-', 'sk-proj-', 'sk-', 'gsk_', 'xai-', 'AIza'];

/** `sk-proj-…abcd`: the vendor prefix (if any) and the last four characters, never more. */
export function shortForm(secret: string): string {
  if (secret.length < MIN_SHORT_FORM) return '[redacted]';
  const prefix = PREFIXES.find((p) => secret.startsWith(p)) ?? '';
  return `${prefix}…${secret.slice(-4)}`;
}

/** The text with every given secret and every key-shaped string replaced by its short form. */
export function redactKeys(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s.length >= MIN_EXACT && out.includes(s)) out = out.split(s).join(shortForm(s));
  return out
    .replace(KEY_SHAPE, (_m, prefix: string, body: string) => `${prefix}…${body.slice(-4)}`)
    .replace(BEARER, '$1[redacted]')
    .replace(NAMED_TOKEN, (m, lead: string, token: string) => (HAS_LETTER_AND_DIGIT.test(token) ? `${lead}[redacted]` : m));
}

/**
 * Redacts an error's message (and stack, which repeats it) in place. In place, so the error keeps its
 * class and fields: the router classifies failures by class (a SyntaxError is malformed data).
 */
export function redactError<T>(error: T, secrets: readonly string[] = []): T {
  if (!(error instanceof Error)) return error;
  let message = redactKeys(error.message, secrets);
  if (error instanceof SyntaxError) message = message.replace(JSON_SNIPPET, JSON_SNIPPET_GONE);
  if (message !== error.message) {
    const stack = error.stack;
    error.message = message;
    if (stack) error.stack = redactKeys(stack, secrets).replace(JSON_SNIPPET, JSON_SNIPPET_GONE);
  }
  return error;
}

/** Errors a stream throws come out redacted; events pass untouched (no cost on the happy path but a generator step). */
export async function* withRedactedErrors<T>(rest: AsyncGenerator<T>, secret: string): AsyncGenerator<T> {
  try {
    yield* rest;
  } catch (error) {
    throw redactError(error, [secret]);
  }
}

/**
 * For streams whose events go on to the client as they are: an event that carries an error, or our key
 * anywhere, is redacted; every other event costs two substring searches. `rror"` rather than `"error"`:
 * a needle starting with a quote stops at every quote of the JSON (about 8x slower).
 */
export function sseScrubber(secret: string): (event: SseEvent) => SseEvent {
  const exact = secret.length >= MIN_EXACT;
  const secrets = [secret];
  return (event) =>
    event.data.includes('rror"') || (exact && event.data.includes(secret)) ? { ...event, data: redactKeys(event.data, secrets) } : event;
}
