// Recognises an upstream's "the prompt does not fit the model's context window" answer, in any vendor's
// wording or error code. The one test for it: the error classes (errors.ts) and the router both use it.

/** Error codes that say it outright (OpenAI's; its per-string length limit is the same trouble). */
const CONTEXT_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);

/**
 * Vendors' wordings: OpenAI and most compatibles ("maximum context length"), Anthropic ("prompt is too
 * long"), Gemini ("input token count ... exceeds"), Ollama (num_ctx), and the rest's variations.
 */
const CONTEXT_WORDING =
  /context.{0,20}(length|window)|maximum context|prompt is too long|too many tokens|exceeds the context|exceeds the maximum number of tokens|input token count.*exceeds|num_ctx/i;

/** True when an upstream's error message says the prompt does not fit the model's window. */
export const saysContextLength = (message: string): boolean => CONTEXT_WORDING.test(message);

/** True when a 400/413 error body says the prompt does not fit the model's window (any vendor's wording). */
export function isContextLengthError(status: number, bodyText: string): boolean {
  if (status !== 400 && status !== 413) return false;
  try {
    const e = (JSON.parse(bodyText) as { error?: { code?: unknown; message?: unknown } }).error;
    if (e && typeof e.code === 'string' && CONTEXT_CODES.has(e.code)) return true;
    if (e && typeof e.message === 'string') return saysContextLength(e.message);
  } catch {
    // not JSON
  }
  // A body that is not the usual JSON (plain text, a proxy's HTML page) may be large: its start says it.
  return saysContextLength(bodyText.slice(0, 500));
}
