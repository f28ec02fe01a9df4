// The Responses <-> Chat Completions translation on its own: fields mapped, hosted tools dropped, the
// rest of what cannot be served refused.
import { describe, expect, it } from 'vitest';
import { chatToResponse, responsesToChat, TranslationError } from './responses-translate';

describe('responsesToChat', () => {
  it('maps instructions, developer messages, images, tools, tool choice and options', () => {
    const chat = responsesToChat({
      model: 'fast',
      instructions: 'Be brief.',
      input: [
        { role: 'developer', content: 'Use metric.' },
        {
          role: 'user',
          content: [
            { type: 'input_text', text: 'What is this?' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' },
          ],
        },
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
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
    ]);
    expect(chat.tools).toEqual([
      { type: 'function', function: { name: 'f', description: undefined, parameters: { type: 'object', properties: {} }, strict: true } },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'f' } });
    expect(chat).toMatchObject({
      max_tokens: 50,
      temperature: 0.2,
      reasoning_effort: 'low',
      stream: true,
      response_format: { type: 'json_schema', json_schema: { name: 'out', strict: true } },
    });
  });

  it('groups consecutive function calls into one assistant turn', () => {
    const chat = responsesToChat({
      model: 'm',
      input: [
        { type: 'function_call', call_id: 'a', name: 'f', arguments: '{}' },
        { type: 'function_call', call_id: 'b', name: 'g', arguments: '{}' },
        { type: 'function_call_output', call_id: 'a', output: 'ok' },
      ],
    });
    expect(chat.messages[0].tool_calls).toHaveLength(2);
    expect(chat.messages[1]).toEqual({ role: 'tool', tool_call_id: 'a', content: 'ok' });
  });

  it('drops hosted tools (and a tool choice left with no tools), refuses client tools it cannot express', () => {
    const chat = responsesToChat({
      model: 'm',
      input: 'x',
      tools: [{ type: 'web_search' }, { type: 'file_search', vector_store_ids: ['v'] }],
      tool_choice: 'auto',
      parallel_tool_calls: true,
    });
    expect(chat).not.toHaveProperty('tools');
    expect(chat).not.toHaveProperty('tool_choice');
    expect(chat).not.toHaveProperty('parallel_tool_calls');
    expect(() => responsesToChat({ model: 'm', input: 'x', tools: [{ type: 'custom', name: 'apply_patch' }] })).toThrow(TranslationError);
  });

  it('flattens namespace tools and finds a namespaced call in the history by its flat name', () => {
    const chat = responsesToChat({
      model: 'm',
      input: [
        { type: 'function_call', call_id: 'c1', name: 'wait_agent', namespace: 'multi_agent_v1', arguments: '{}' },
        {
          type: 'function_call_output',
          call_id: 'c1',
          output: [
            { type: 'input_text', text: 'done' },
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA' },
          ],
        },
      ],
      tools: [
        {
          type: 'namespace',
          name: 'multi_agent_v1',
          description: 'Sub-agents.',
          tools: [{ type: 'function', name: 'wait_agent', description: 'Waits.', parameters: { type: 'object', properties: {} } }],
        },
      ],
      tool_choice: { type: 'function', name: 'wait_agent', namespace: 'multi_agent_v1' },
    });
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'multi_agent_v1__wait_agent',
          description: 'Sub-agents.\n\nWaits.',
          parameters: { type: 'object', properties: {} },
        },
      },
    ]);
    expect(chat.tool_choice).toEqual({ type: 'function', function: { name: 'multi_agent_v1__wait_agent' } });
    expect(chat.messages[0].tool_calls[0].function.name).toBe('multi_agent_v1__wait_agent');
    expect(chat.messages[1]).toEqual({ role: 'tool', tool_call_id: 'c1', content: 'done' });
    // The tool's image follows its result as a user turn: a chat tool message holds text only.
    expect(chat.messages[2]).toEqual({ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] });
  });

  it('refuses unknown items and server-side state', () => {
    expect(() => responsesToChat({ model: 'm', input: [{ type: 'file_search_call' }] })).toThrow(/not supported/);
    expect(() => responsesToChat({ model: 'm', input: 'x', previous_response_id: 'r' })).toThrow(/previous_response_id/);
    expect(() => responsesToChat({ model: 'm' })).toThrow(/input/);
  });
});

describe('chatToResponse', () => {
  it('marks a length-cut answer incomplete', () => {
    const r = chatToResponse(
      { model: 'fast' },
      {
        created: 1,
        choices: [{ message: { content: 'abc' }, finish_reason: 'length' }],
        usage: { prompt_tokens: 2, completion_tokens: 3 },
      },
    );
    expect(r).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      model: 'fast',
      usage: { input_tokens: 2, output_tokens: 3, total_tokens: 5 },
    });
    expect(r.output[0].content[0].text).toBe('abc');
  });

  it('answers a call of a flattened tool with its own name and namespace, as Codex dispatches it', () => {
    const request = {
      model: 'm',
      input: 'x',
      tools: [
        { type: 'function', name: 'exec_command' },
        { type: 'namespace', name: 'multi_agent_v1', tools: [{ type: 'function', name: 'close_agent' }] },
      ],
    };
    const calls = [
      { id: 'a', function: { name: 'multi_agent_v1__close_agent', arguments: '{}' } },
      { id: 'b', function: { name: 'exec_command', arguments: '{}' } },
    ];
    const r = chatToResponse(request, { choices: [{ message: { content: null, tool_calls: calls }, finish_reason: 'tool_calls' }] });
    expect(r.output[0]).toMatchObject({ type: 'function_call', call_id: 'a', name: 'close_agent', namespace: 'multi_agent_v1' });
    expect(r.output[1]).toMatchObject({ type: 'function_call', call_id: 'b', name: 'exec_command' });
    expect(r.output[1]).not.toHaveProperty('namespace');
  });
});
