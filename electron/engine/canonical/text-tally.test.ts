// The streamed-text tally keeps what the tokenizer will count, unescaped once at the end, within a cap,
// and the prompt sample finds the text of a request body in any dialect.
import { describe, expect, it } from 'vitest';
import { promptSample, roughTokens } from './prompt-sample';
import { KEPT_CHARS, tallyAnthropicDelta, tallyOpenAIChunk, TextTally } from './text-tally';

describe('TextTally', () => {
  it('keeps text from raw OpenAI and Anthropic chunks without parsing them, unescaped at the end', () => {
    const t = new TextTally();
    tallyOpenAIChunk(t, '{"choices":[{"delta":{"content":"say \\"hi\\"\\\\"}}]}');
    tallyOpenAIChunk(t, '{"choices":[{"delta":{"reasoning_content":"thinking\\u00e9"}}]}');
    tallyAnthropicDelta(t, '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\nnext"}}');
    tallyOpenAIChunk(t, '{"choices":[{"delta":{"role":"assistant","content":""}}]}');
    expect(t.sample()).toEqual({ texts: ['say "hi"\\thinkingé\nnext'], extraChars: 0 });
  });

  it('keeps at most KEPT_CHARS and counts the rest by length (a 1 MB chunk)', () => {
    const t = new TextTally();
    t.add('x'.repeat(10));
    tallyOpenAIChunk(t, `{"choices":[{"delta":{"content":"${'word '.repeat(200_000)}"}}]}`);
    const s = t.sample();
    expect(s.texts.join('').length).toBe(KEPT_CHARS);
    expect(s.extraChars).toBe(10 + 1_000_000 - KEPT_CHARS);
    expect(t.chars).toBe(1_000_010);
  });

  it('joins many small pieces as it goes and adds canonical events', () => {
    const t = new TextTally();
    for (let i = 0; i < 1000; i++) t.addEvent({ type: 'text', text: 'a' });
    t.addEvent({ type: 'tool_call_start', index: 0, id: 'c1', name: 'lookup' });
    t.addEvent({ type: 'tool_call_delta', index: 0, arguments: '{"q":1}' });
    t.addEvent({ type: 'usage', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 } });
    expect(t.sample().texts).toEqual([`${'a'.repeat(1000)}lookup{"q":1}`]);
    expect(new TextTally().empty).toBe(true);
  });
});

describe('promptSample', () => {
  it('takes the text of messages, system and tool schemas, and counts images and turns apart', () => {
    const s = promptSample({
      model: 'fast',
      system: [{ type: 'text', text: 'Be brief.', cache_control: { type: 'ephemeral' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo' } },
          ],
        },
        { role: 'assistant', content: 'A cat.' },
      ],
      tools: [{ name: 'lookup', description: 'Looks up', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }],
      stream: true,
    });
    expect(s.texts.sort()).toEqual(
      ['A cat.', 'Be brief.', 'Looks up', 'What is this?', 'lookup', '{"type":"object","properties":{"q":{"type":"string"}}}'].sort(),
    );
    expect(s.fixedTokens).toBe(1000 + 2 * 4);
    expect(roughTokens({ texts: ['abcdefgh'], extraChars: 4, fixedTokens: 2 })).toBe(5);
  });

  it('reads Gemini and Ollama shapes too', () => {
    expect(
      promptSample({ contents: [{ role: 'user', parts: [{ text: 'hello' }, { inlineData: { mimeType: 'image/png', data: 'AAAA' } }] }] }),
    ).toEqual({ texts: ['hello'], extraChars: 0, fixedTokens: 1004 });
    expect(promptSample({ model: 'm', messages: [{ role: 'user', content: 'hi', images: ['AAAA', 'BBBB'] }] })).toEqual({
      texts: ['hi'],
      extraChars: 0,
      fixedTokens: 2004,
    });
  });
});
