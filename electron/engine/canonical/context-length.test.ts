// The context-length test: vendors' wordings, read from a message (the error classes) and from a
// whole error body (the router's view of a 400/413).
import { describe, expect, it } from 'vitest';
import { isContextLengthError, saysContextLength } from './context-length';
import { classifyUpstreamError } from './errors';

const WORDINGS = [
  "This model's maximum context length is 128000 tokens",
  'context_length_exceeded',
  'the context window of this model is 8192 tokens',
  'Request exceeds the context of the model',
  'prompt is too long: 210000 tokens > 200000 maximum',
  'too many tokens in the request',
  'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
  'input length exceeds the maximum number of tokens',
  'the input is longer than num_ctx',
];

describe('context length', () => {
  it('knows every wording, in a message and in an error body', () => {
    for (const wording of WORDINGS) {
      expect(saysContextLength(wording), wording).toBe(true);
      expect(classifyUpstreamError(400, wording).errorClass, wording).toBe('context-length');
      expect(isContextLengthError(400, JSON.stringify({ error: { message: wording } })), wording).toBe(true);
      expect(isContextLengthError(413, wording), wording).toBe(true);
    }
  });

  it('reads the error code, and only 400/413 bodies', () => {
    expect(isContextLengthError(400, JSON.stringify({ error: { code: 'string_above_max_length', message: 'x' } }))).toBe(true);
    expect(isContextLengthError(422, 'maximum context length')).toBe(false);
    expect(isContextLengthError(400, JSON.stringify({ error: { message: 'Invalid temperature' } }))).toBe(false);
    expect(saysContextLength('rate limit reached')).toBe(false);
  });
});
