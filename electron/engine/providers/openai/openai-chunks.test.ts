// The stream tap's fast path must agree with the full parse: hide only the usage-only chunk, take usage
// whatever the spacing, and raise upstream errors.
import { describe, expect, it } from 'vitest';
import { OpenAIStreamTap } from './openai-chunks';

describe('OpenAIStreamTap.skim', () => {
  it('passes content chunks without parsing and keeps their text (no usage reported: none made up)', () => {
    const tap = new OpenAIStreamTap();
    expect(tap.skim('{"choices":[{"delta":{"content":"Hi \\"there\\"\\n"}}],"usage":null}')).toBe(true);
    expect(tap.skim('{"choices":[{"delta":{"role":"assistant","content":""}}]}')).toBe(true);
    expect(tap.skim('{"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":1}"}}]}}]}')).toBe(true);
    expect(tap.skim('[DONE]')).toBe(true);
    expect(tap.finalUsage()).toBeNull();
    expect(tap.text.sample()).toEqual({ texts: ['Hi "there"\n{"a":1}'], extraChars: 0 });
  });

  it('hides the usage-only chunk and records its usage, with or without spaces', () => {
    for (const data of [
      '{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3}}',
      '{"choices": [], "usage": {"prompt_tokens": 7, "completion_tokens": 3}}',
    ]) {
      const tap = new OpenAIStreamTap();
      expect(tap.skim(data)).toBe(false);
      expect(tap.finalUsage()).toMatchObject({ inputTokens: 7, outputTokens: 3 });
    }
  });

  it('forwards a content chunk that also carries usage', () => {
    const tap = new OpenAIStreamTap();
    expect(tap.skim('{"choices":[{"delta":{"content":"end"}}],"usage":{"prompt_tokens":1,"completion_tokens":1}}')).toBe(true);
    expect(tap.usage).not.toBeNull();
  });

  it('raises an upstream error chunk', () => {
    expect(() => new OpenAIStreamTap().skim('{"error":{"message":"overloaded"}}')).toThrow(/overloaded/);
  });
});
