// The Responses <-> Chat Completions translation on its own: fields mapped, unsupported ones refused.
import { describe, expect, it } from 'vitest';
import { chatToResponse, responsesToChat, TranslationError } from './responses-translate';

describe('responsesToChat', () => {
  it('maps instructions, developer messages, images, tools, tool choice and options', () => {
    const chat = responsesToChat({
      model: 'fast',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use metric.' },
        { role: 'user', content: [{ type: 'input_text', text: 'What is this?' }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
      ],
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: true }],
      tool_choice: { type: 'function', name: 'f' },
      max_output_tokens: 50,
      temperature: 0.2,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      reasoning: { effort: 'low' },
      stream: true,
    });
    expect(chat.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: 'Use metric.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
    ]);
    expect(chat.tools).toEqual([{ type: 'function', function: { name: 'f', description: undefined, parameters: { type: 'object', properties: {} }, strict: true } }]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
    expect(chat).toMatchObject({ max_tokens: 50, temperature: 0.2, reasoning_effort: 'low', stream: true, response_format: { type: 'json_schema', json_schema: { name: 'out', strict: true } } });
  });

  it('groups consecutive function calls into one assistant turn', () => {
    const chat = responsesToChat({ model: 'm', input: [{ type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' }, { type: 'function_call', call_id: 'b', name: 'g', arguments: '{}' }, { type: 'function_call_output', call_id: 'a', output: 'ok' }] });
    expect(chat.messages[0].tool_calls).toHaveLength(2);
    expect(chat.messages[1]).toEqual({ role: 'tool', tool_call_id: 'a', content: 'ok' });
  });

  it('refuses hosted tools, unknown items and server-side state', () => {
    expect(() => responsesToChat({ model: 'm', input: 'x', tools: [{ type: 'web_search' }] })).toThrow(TranslationError);
    expect(() => responsesToChat({ model: 'm', input: [{ type: 'file_search_call' }] })).toThrow(/not supported/);
    expect(() => responsesToChat({ model: 'm', input: 'x', previous_response_id: 'r' })).toThrow(/previous_response_id/);
    expect(() => responsesToChat({ model: 'm' })).toThrow(/input/);
  });
});

describe('chatToResponse', () => {
  it('marks a length-cut answer incomplete', () => {
    const r = chatToResponse({ model: 'fast' }, { created: 1, choices: [{ message: { content: 'abc' }, finish_reason: 'length' }], usage: { prompt_tokens: 2, completion_tokens: 3 } });
    expect(r).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, model: 'fast', usage: { input_tokens: 2, output_tokens: 3, total_tokens: 5 } });
    expect(r.output[0].content[0].text).toBe('abc');
  });
});
