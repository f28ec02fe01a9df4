// The Gemini client dialect's codecs: a generateContent body into canonical form (schemas, call ids,
// thinking, media), and canonical events back out as GenerateContentResponse chunks.
import { describe, expect, it } from 'vitest';
import { decodeGeminiRequest, GeminiRequestError } from './gemini-request';
import { GeminiChunkEncoder, geminiResponseBody } from './gemini-stream';
import { jsonSchemaFromGoogle } from './google-schema';
import { fromGeminiUsage, toGeminiUsage } from '../../canonical/usage';

const user = (text: string) => ({ role: 'user', parts: [{ text }] });

describe('Gemini request decoding', () => {
  it("rewrites Google's schema dialect into JSON Schema", () => {
    const schema = {
      type: 'OBJECT',
      propertyOrdering: ['a'],
      properties: {
        a: { type: 'ARRAY', minItems: '1', items: { type: 'INTEGER' } },
        b: { type: 'STRING', nullable: true, enum: ['x'] },
        c: { anyOf: [{ type: 'NUMBER' }], nullable: true },
      },
      required: ['a'],
    };
    expect(jsonSchemaFromGoogle(schema)).toEqual({
      type: 'object',
      properties: {
        a: { type: 'array', minItems: 1, items: { type: 'integer' } },
        b: { type: ['string', 'null'], enum: ['x'] },
        c: { anyOf: [{ type: 'number' }, { type: 'null' }] },
      },
      required: ['a'],
    });
  });

  it("pairs function responses with calls: by id (Gemini CLI's `<name>__<id>` too), else by name in order", () => {
    const long = `x${'y'.repeat(60)}`;
    const r = decodeGeminiRequest(
      {
        contents: [
          user('go'),
          {
            role: 'model',
            parts: [
              { functionCall: { name: 'a', args: { n: 1 } } },
              { functionCall: { name: 'b', args: {} } },
              { functionCall: { id: `c__${long}`, name: 'c', args: {} } },
              { functionCall: { id: 'd__call_9', name: 'd', args: {} } },
            ],
          },
          {
            role: 'user',
            parts: [
              { functionResponse: { name: 'b', response: { output: 'B' } } },
              { functionResponse: { name: 'a', response: { error: 'boom' } } },
              { functionResponse: { id: `c__${long}`, name: 'c', response: { n: 3 } } },
              { functionResponse: { id: 'd__call_9', name: 'd', response: { content: 'D' } } },
            ],
          },
        ],
      },
      'm',
      false,
    );
    const calls = r.messages[1]!.parts.map((p) => (p.type === 'tool_call' ? p.id : ''));
    expect(calls[3]).toBe('call_9');
    expect(calls[2]).toMatch(/^call_\d+$/); // too long for other vendors: a short id of ours
    expect(r.messages[2]!.parts).toEqual([
      { type: 'tool_result', toolCallId: calls[1], name: 'b', content: 'B' },
      { type: 'tool_result', toolCallId: calls[0], name: 'a', content: 'boom', isError: true },
      { type: 'tool_result', toolCallId: calls[2], name: 'c', content: '{"n":3}' },
      { type: 'tool_result', toolCallId: 'call_9', name: 'd', content: 'D' },
    ]);
    expect(new Set(calls).size).toBe(4);
  });

  it("keeps call ids unique across turns (a Gemini upstream numbers each reply's calls from call_0)", () => {
    const turn = (n: number) => [
      { role: 'model', parts: [{ functionCall: { id: 'call_0', name: 'f', args: { n } } }] },
      { role: 'user', parts: [{ functionResponse: { id: 'call_0', name: 'f', response: { output: String(n) } } }] },
    ];
    const r = decodeGeminiRequest({ contents: [user('go'), ...turn(1), ...turn(2)] }, 'm', false);
    const ids = r.messages.flatMap((m) =>
      m.parts.map((p) => (p.type === 'tool_call' ? `call:${p.id}` : p.type === 'tool_result' ? `result:${p.toolCallId}` : '')),
    );
    expect(ids.filter(Boolean)).toEqual(['call:call_0', 'result:call_0', 'call:call_1', 'result:call_1']);
  });

  it('keeps thoughts as unsigned reasoning, images and text files, and drops media no other vendor takes', () => {
    const r = decodeGeminiRequest(
      {
        systemInstruction: 'Be brief.',
        contents: [
          {
            role: 'user',
            parts: [
              { text: 'see' },
              { inlineData: { mimeType: 'image/png', data: 'iVBOR' } },
              { inlineData: { mimeType: 'text/plain', data: Buffer.from('file body').toString('base64') } },
              { inlineData: { mimeType: 'application/pdf', data: 'JVBE' } },
            ],
          },
          { role: 'model', parts: [{ text: 'hmm', thought: true, thoughtSignature: 'c2ln' }, { text: 'ok' }] },
          user('again'),
        ],
      },
      'm',
      true,
    );
    expect(r.system).toBe('Be brief.');
    expect(r.messages[0]!.parts).toEqual([
      { type: 'text', text: 'see' },
      { type: 'image', data: 'iVBOR', mediaType: 'image/png' },
      { type: 'text', text: 'file body' },
    ]);
    expect(r.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'hmm' },
      { type: 'text', text: 'ok' },
    ]);
  });

  it('maps generationConfig, toolConfig and thinking', () => {
    const base = {
      contents: [user('x')],
      tools: [
        { functionDeclarations: [{ name: 'f', parametersJsonSchema: { type: 'object', additionalProperties: false } }] },
        { googleSearch: {} },
      ],
    };
    const r = decodeGeminiRequest(
      {
        ...base,
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['f'] } },
        generationConfig: {
          temperature: 0.5,
          topP: 0.9,
          topK: 4,
          maxOutputTokens: 99,
          stopSequences: ['S'],
          responseMimeType: 'application/json',
          responseSchema: { type: 'OBJECT' },
          thinkingConfig: { thinkingBudget: 0 },
        },
      },
      'm',
      false,
    );
    expect(r).toMatchObject({
      tools: [{ name: 'f', parameters: { type: 'object', additionalProperties: false } }],
      toolChoice: { name: 'f' },
      temperature: 0.5,
      topP: 0.9,
      topK: 4,
      maxTokens: 99,
      stop: ['S'],
      responseFormat: { type: 'json_schema', schema: { type: 'object' } },
    });
    expect(r.tools).toHaveLength(1);
    expect(r.reasoning).toBeUndefined();
    const thinking = (t: unknown) => decodeGeminiRequest({ ...base, generationConfig: { thinkingConfig: t } }, 'm', false).reasoning;
    expect(thinking({ thinkingBudget: -1 })).toEqual({ effort: 'medium' });
    expect(thinking({ thinkingBudget: 4096, includeThoughts: true })).toEqual({ budgetTokens: 4096 });
    expect(thinking({ thinkingLevel: 'HIGH' })).toEqual({ effort: 'high' });
    expect(decodeGeminiRequest({ ...base, toolConfig: { functionCallingConfig: { mode: 'NONE' } } }, 'm', false).toolChoice).toBe('none');
  });

  it('refuses what is not a generateContent body with a typed error', () => {
    expect(() => decodeGeminiRequest({ contents: [] }, 'm', false)).toThrow(GeminiRequestError);
    expect(() => decodeGeminiRequest({ contents: [{ role: 'system', parts: [{ text: 'x' }] }] }, 'm', false)).toThrow(/valid role/);
    expect(() => decodeGeminiRequest({ contents: [{ role: 'user' }] }, 'm', false)).toThrow(/parts/);
  });
});

describe('Gemini response encoding', () => {
  it('streams text, shows thoughts only when asked, sends calls whole, and ends with finishReason and usage', () => {
    const usage = { inputTokens: 90, outputTokens: 20, cacheReadTokens: 10, cacheWriteTokens: 0, reasoningTokens: 5 };
    const run = (includeThoughts: boolean) => {
      const enc = new GeminiChunkEncoder({ model: 'route', includeThoughts });
      const chunks = [
        ...enc.encode({ type: 'start', id: 'r1', model: 'up-model' }),
        ...enc.encode({ type: 'reasoning', text: 'think' }),
        ...enc.encode({ type: 'text', text: 'Hi' }),
        ...enc.encode({ type: 'tool_call_start', index: 0, id: 'call_1', name: 'f' }),
        ...enc.encode({ type: 'tool_call_delta', index: 0, arguments: '{"a":' }),
        ...enc.encode({ type: 'tool_call_delta', index: 0, arguments: '1}' }),
        ...enc.encode({ type: 'finish', reason: 'tool_calls' }),
        ...enc.encode({ type: 'usage', usage }),
      ];
      return [...chunks, enc.end()];
    };
    const chunks = run(false);
    expect(chunks.map((c) => c.candidates[0].content.parts)).toEqual([
      [{ text: 'Hi' }],
      [{ functionCall: { id: 'call_1', name: 'f', args: { a: 1 } } }],
    ]);
    expect(chunks[1]).toMatchObject({
      candidates: [{ finishReason: 'STOP' }],
      modelVersion: 'up-model',
      responseId: 'r1',
      usageMetadata: {
        promptTokenCount: 100,
        cachedContentTokenCount: 10,
        candidatesTokenCount: 15,
        thoughtsTokenCount: 5,
        totalTokenCount: 120,
      },
    });
    expect(chunks[0]!.usageMetadata).toBeUndefined();
    expect(run(true)[0]!.candidates[0].content.parts).toEqual([{ text: 'think', thought: true }]);
    expect(fromGeminiUsage(toGeminiUsage(usage))).toEqual(usage);
  });

  it('answers a whole reply with MAX_TOKENS when it was cut at the limit', () => {
    const body = geminiResponseBody(
      { id: '', model: '', parts: [{ type: 'text', text: 'par' }], finishReason: 'length', usage: null },
      { model: 'm', includeThoughts: false },
    );
    expect(body).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: 'par' }] }, finishReason: 'MAX_TOKENS' }],
      modelVersion: 'm',
      usageMetadata: { promptTokenCount: 0, totalTokenCount: 0 },
    });
  });
});
