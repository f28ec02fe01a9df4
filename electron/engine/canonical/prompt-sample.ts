// The text of a request body in any dialect (OpenAI, Anthropic, Gemini, Ollama, Responses), for an
// input-token estimate when the upstream reported none: strings by reference, nothing tokenized here.
import { KEPT_CHARS, type TextSample } from './text-tally';

export interface PromptSample extends TextSample {
  /** Tokens that are not text: images, and a few per message for the chat template. */
  fixedTokens: number;
}

/** About what a provider charges for one image of typical size, whatever its bytes. */
const IMAGE_TOKENS = 1000;
const MESSAGE_TOKENS = 4;
/** Values visited at most: bodies are already size- and depth-limited, this bounds the walk regardless. */
const MAX_NODES = 200_000;
/** Fields that say how to answer or identify something: not text the model reads. */
const SKIP = new Set([
  'model',
  'role',
  'type',
  'id',
  'tool_call_id',
  'tool_use_id',
  'call_id',
  'stream',
  'detail',
  'mime_type',
  'mimeType',
  'media_type',
  'format',
  'encoding_format',
  'user',
  'service_tier',
  'reasoning_effort',
  'cache_control',
  'signature',
  'stream_options',
  'metadata',
]);
/** Binary payloads (base64): an image each, never text. */
const BINARY = new Set(['data', 'images', 'image_url', 'url', 'file_data', 'fileUri', 'file_uri', 'bytes']);
/** JSON schemas count as the JSON the model is shown. */
const SCHEMA = new Set(['parameters', 'input_schema', 'schema', 'parametersJsonSchema', 'responseSchema', 'response_format']);
const TURNS = new Set(['messages', 'contents', 'input']);

/** The body's text (up to KEPT_CHARS kept, the rest counted by length) plus its non-text tokens. */
export function promptSample(body: unknown): PromptSample {
  const out: PromptSample = { texts: [], extraChars: 0, fixedTokens: 0 };
  let kept = 0;
  const addText = (text: string) => {
    const room = KEPT_CHARS - kept;
    if (room <= 0) out.extraChars += text.length;
    else if (text.length > room) {
      out.texts.push(text.slice(0, room));
      out.extraChars += text.length - room;
      kept = KEPT_CHARS;
    } else {
      out.texts.push(text);
      kept += text.length;
    }
  };
  const stack: Array<[unknown, string]> = [[body, '']];
  for (let nodes = 0; stack.length > 0 && nodes < MAX_NODES; nodes++) {
    const [value, key] = stack.pop()!;
    if (typeof value === 'string') {
      if (BINARY.has(key) || value.startsWith('data:')) out.fixedTokens += IMAGE_TOKENS;
      else addText(value);
    } else if (Array.isArray(value)) {
      if (TURNS.has(key)) out.fixedTokens += MESSAGE_TOKENS * value.length;
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], key]);
    } else if (value && typeof value === 'object') {
      if (SCHEMA.has(key)) {
        addText(JSON.stringify(value));
        continue;
      }
      for (const [k, v] of Object.entries(value)) if (!SKIP.has(k)) stack.push([v, k]);
    }
  }
  return out;
}

/** A quick figure without the tokenizer (about four characters a token), for a journal entry. */
export function roughTokens(sample: PromptSample): number {
  let chars = sample.extraChars;
  for (const t of sample.texts) chars += t.length;
  return Math.ceil(chars / 4) + sample.fixedTokens;
}
