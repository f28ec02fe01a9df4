// Request codecs: what each dialect's body becomes in canonical form and back out for each protocol.
import { describe, expect, it } from 'vitest';
import { encodeGeminiRequest } from '../providers/gemini/gemini';
import { encodeOllamaRequest } from '../providers/ollama/ollama';
import { decodeAnthropicRequest, encodeAnthropicRequest } from '../providers/anthropic/anthropic-request';
import { AnthropicFrameEncoder } from '../providers/anthropic/anthropic-stream';
import { classifyUpstreamError } from './errors';
import { decodeOllamaRequest } from '../providers/ollama/ollama-dialect';
import { decodeOpenAIRequest, encodeOpenAIRequest } from '../providers/openai/openai-request';

const openaiBody = {
  model: 'x',
  messages: [
    { role: 'system', content: 'Be brief.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'look' },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/AAA=' } },
      ],
    },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] },
    { role: 'tool', tool_call_id: 'c1', content: 'done' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'f',
        parameters: { type: 'object', properties: { a: { type: 'number' } }, additionalProperties: false, $schema: 'x' },
      },
    },
  ],
  tool_choice: 'required',
  response_format: { type: 'json_object' },
  stop: 'END',
  max_completion_tokens: 300,
  temperature: 0.2,
  reasoning_effort: 'low',
};

describe('request codecs', () => {
  it('decodes an OpenAI body losslessly for what users send', () => {
    const r = decodeOpenAIRequest(openaiBody);
    expect(r.system).toBe('Be brief.');
    expect(r.messages[0]!.parts).toEqual([
      { type: 'text', text: 'look' },
      { type: 'image', data: '/9j/AAA=', mediaType: 'image/jpeg' },
    ]);
    expect(r.messages[2]!.parts).toEqual([{ type: 'tool_result', toolCallId: 'c1', name: 'f', content: 'done' }]);
    expect(r).toMatchObject({
      toolChoice: 'required',
      responseFormat: { type: 'json_object' },
      stop: ['END'],
      maxTokens: 300,
      temperature: 0.2,
      reasoning: { effort: 'low' },
    });
    const back = encodeOpenAIRequest(r, 'y', { maxTokensField: 'max_completion_tokens' });
    expect(back.messages).toEqual([openaiBody.messages[0], openaiBody.messages[1], { ...openaiBody.messages[2] }, openaiBody.messages[3]]);
    expect(back).toMatchObject({
      model: 'y',
      max_completion_tokens: 300,
      reasoning_effort: 'low',
      tool_choice: 'required',
      stream_options: { include_usage: true },
    });
  });

  it('encodes for Anthropic: tool results first, base64 images, thinking budget above max_tokens, no temperature', () => {
    const r = decodeOpenAIRequest({ ...openaiBody, messages: openaiBody.messages.slice(0, 2) });
    const body = encodeAnthropicRequest({ ...r, reasoning: { budgetTokens: 5000 }, maxTokens: 1000 }, 'claude');
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 5000 });
    expect(body.max_tokens).toBeGreaterThan(5000);
    expect(body.temperature).toBeUndefined();
    expect(body.system).toContain('Be brief.');
    expect(body.system).toContain('JSON');
    expect(body.tool_choice).toEqual({ type: 'any' });
    expect(body.messages[0].content[1]).toEqual({ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/AAA=' } });
  });

  it('keeps images returned inside Anthropic tool results, after the result, for OpenAI upstreams', () => {
    const r = decodeAnthropicRequest({
      model: 'c',
      max_tokens: 10,
      messages: [
        { role: 'user', content: 'look at the screenshot' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'Read', input: { file_path: 'a.png' } }] },
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't1',
              content: [
                { type: 'text', text: 'here' },
                { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
              ],
            },
          ],
        },
      ],
    });
    const out = encodeOpenAIRequest(r, 'gpt', { maxTokensField: 'max_tokens' });
    expect(out.messages.slice(2)).toEqual([
      { role: 'tool', tool_call_id: 't1', content: 'here' },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,iVBOR' } }] },
    ]);
  });

  it('carries prompt-cache marks from OpenAI content parts to Anthropic', () => {
    const r = decodeOpenAIRequest({
      model: 'x',
      messages: [
        { role: 'system', content: [{ type: 'text', text: 'long rules', cache_control: { type: 'ephemeral' } }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'big doc', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'question' },
          ],
        },
      ],
    });
    const body = encodeAnthropicRequest(r, 'c');
    expect(body.system).toEqual([{ type: 'text', text: 'long rules', cache_control: { type: 'ephemeral' } }]);
    expect(body.messages[0].content).toEqual([
      { type: 'text', text: 'big doc', cache_control: { type: 'ephemeral' } },
      { type: 'text', text: 'question' },
    ]);
  });

  it('sends Anthropic temperature or top_p, never both (recent models refuse the pair)', () => {
    const r = decodeOpenAIRequest({ model: 'x', messages: [{ role: 'user', content: 'q' }], temperature: 0.5, top_p: 0.9 });
    const body = encodeAnthropicRequest(r, 'c');
    expect([body.temperature, body.top_p]).toEqual([0.5, undefined]);
    expect(encodeAnthropicRequest({ ...r, temperature: undefined }, 'c').top_p).toBe(0.9);
  });

  it('leaves thinking off for Anthropic when a foreign tool-use turn has no signed thinking', () => {
    const body = encodeAnthropicRequest(decodeOpenAIRequest(openaiBody), 'claude');
    expect(body.thinking).toBeUndefined();
    const own = decodeAnthropicRequest({
      model: 'c',
      max_tokens: 10,
      thinking: { type: 'enabled', budget_tokens: 2000 },
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hm', signature: 'sig' },
            { type: 'tool_use', id: 't', name: 'f', input: {} },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 'ok' }] },
      ],
    });
    expect(encodeAnthropicRequest(own, 'c').thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
  });

  it('encodes for Gemini: roles, inline data, function turns, tools as JSON Schema', () => {
    const g = encodeGeminiRequest(decodeOpenAIRequest(openaiBody));
    expect(g.systemInstruction).toEqual({ parts: [{ text: 'Be brief.' }] });
    expect(g.contents.map((c: { role: string }) => c.role)).toEqual(['user', 'model', 'user']);
    expect(g.contents[0].parts[1]).toEqual({ inlineData: { mimeType: 'image/jpeg', data: '/9j/AAA=' } });
    expect(g.contents[2].parts[0]).toEqual({ functionResponse: { name: 'f', response: { content: 'done' } } });
    expect(g.tools[0].functionDeclarations[0].parametersJsonSchema).toEqual({
      type: 'object',
      properties: { a: { type: 'number' } },
      additionalProperties: false,
    });
    expect(g.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(g.generationConfig).toMatchObject({
      maxOutputTokens: 300,
      stopSequences: ['END'],
      responseMimeType: 'application/json',
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
  });

  it('round-trips Ollama: images, whole tool calls with object arguments, tool_name results', () => {
    const r = decodeOllamaRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi', images: ['iVBORw0KGgo='] },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] },
        { role: 'tool', content: 'ok', tool_name: 'f' },
      ],
      options: { num_predict: 50, temperature: 0 },
      think: true,
    });
    expect(r.stream).toBe(true);
    expect(r.messages[0]!.parts[1]).toEqual({ type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' });
    const call = r.messages[1]!.parts[0] as { id: string };
    expect(r.messages[2]!.parts[0]).toMatchObject({ type: 'tool_result', toolCallId: call.id, name: 'f' });
    const out = encodeOllamaRequest(r, 'llama');
    expect(out.messages[1]).toEqual({ role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] });
    expect(out.messages[2]).toEqual({ role: 'tool', content: 'ok', tool_name: 'f' });
    expect(out).toMatchObject({ options: { num_predict: 50, temperature: 0 }, think: 'medium' });
  });
});

describe('stream encoders and error classes', () => {
  it('keeps Anthropic block discipline when thinking, text and tool calls interleave', () => {
    const enc = new AnthropicFrameEncoder('m');
    const frames = [
      ...enc.encode({ type: 'reasoning', text: 'a' }),
      ...enc.encode({ type: 'text', text: 'b' }),
      ...enc.encode({ type: 'tool_call_start', index: 7, id: 't', name: 'f' }),
      ...enc.encode({ type: 'tool_call_delta', index: 7, arguments: '{}' }),
      ...enc.encode({ type: 'finish', reason: 'tool_calls' }),
      ...enc.end(),
    ].map((f) => JSON.parse(f.data) as { type: string; index?: number; delta?: { stop_reason?: string } });
    expect(frames.map((f) => `${f.type}${f.index ?? ''}`)).toEqual([
      'message_start',
      'content_block_start0',
      'content_block_delta0',
      'content_block_stop0',
      'content_block_start1',
      'content_block_delta1',
      'content_block_stop1',
      'content_block_start2',
      'content_block_delta2',
      'content_block_stop2',
      'message_delta',
      'message_stop',
    ]);
    expect(frames.at(-2)!.delta!.stop_reason).toBe('tool_use');
  });

  it('classifies upstream errors, including context length and content filter', () => {
    expect(classifyUpstreamError(400, "This model's maximum context length is 128000 tokens")).toMatchObject({
      errorClass: 'context-length',
      failureClass: 'bad-request',
    });
    expect(classifyUpstreamError(400, 'prompt is too long: 210000 tokens > 200000 maximum')).toMatchObject({
      errorClass: 'context-length',
    });
    expect(
      classifyUpstreamError(400, "The response was filtered due to the prompt triggering Azure OpenAI's content management policy"),
    ).toMatchObject({ errorClass: 'content-filter' });
    expect(classifyUpstreamError(529, 'Overloaded')).toMatchObject({ errorClass: 'overloaded', failureClass: 'overloaded' });
    expect(classifyUpstreamError(401, 'invalid x-api-key')).toMatchObject({ errorClass: 'auth' });
    // Gemini's bad key is a 400, but it is the key's fault: rotate or fail over, do not blame the caller.
    expect(classifyUpstreamError(400, 'API key not valid. Please pass a valid API key.')).toEqual({
      errorClass: 'auth',
      failureClass: 'auth',
    });
  });
});
