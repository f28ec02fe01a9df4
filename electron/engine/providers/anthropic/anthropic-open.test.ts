// The Anthropic stream tap: message_start's input tokens are real, its output_tokens a placeholder, so a
// stream cut before message_delta reports no output (the ledger counts the text it kept instead).
import { describe, expect, it } from 'vitest';
import { AnthropicStreamTap } from './anthropic-open';

const start = {
  event: 'message_start',
  data: JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 42, output_tokens: 1 } } }),
};
const delta = (text: string) => ({
  event: 'content_block_delta',
  data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
});

describe('AnthropicStreamTap', () => {
  it('reports the input but not the placeholder output of a stream cut before message_delta, and keeps its text', () => {
    const tap = new AnthropicStreamTap();
    for (const e of [start, delta('Hello, '), delta('"world"\n')]) tap.read(e);
    expect(tap.finalUsage()).toMatchObject({ inputTokens: 42, outputTokens: 0 });
    expect(tap.text.sample().texts).toEqual(['Hello, "world"\n']);
  });

  it('takes the output from message_delta once it came', () => {
    const tap = new AnthropicStreamTap();
    for (const e of [
      start,
      delta('Hi'),
      {
        event: 'message_delta',
        data: JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } }),
      },
    ])
      tap.read(e);
    expect(tap.finalUsage()).toMatchObject({ inputTokens: 42, outputTokens: 7 });
  });
});
