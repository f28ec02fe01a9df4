// The request shapes Gemini CLI sends to the Gemini dialect that the real CLI test does not pin down
// (test/clients/gemini-cli.test.ts), on the port against OpenAI-compatible and Anthropic upstreams:
// JSON Schemas (`responseJsonSchema` of its routing classifier, `parametersJsonSchema`) written with
// Google's upper-case type names, which Google accepts and every other vendor refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnthropicFake, type AnthropicFake } from '../fakes/anthropic-fake';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { startHarness, type Harness } from '../support/engine-harness';

let an: AnthropicFake;
let oa: OpenAIFake;
let h: Harness;

beforeAll(async () => {
  [an, oa] = await Promise.all([
    startAnthropicFake({ apiKey: 'k-an' }),
    startOpenAIFake({ scenario: true, apiKey: 'k-oa', models: ['gpt-5-mini'] }),
  ]);
  h = await startHarness(
    {
      providers: [
        { id: 'oa', kind: 'openai-compatible', baseUrl: oa.url, keys: [{ env: 'K_OA' }], models: [{ id: 'gpt-5-mini' }] },
        { id: 'an', kind: 'anthropic', baseUrl: an.url, keys: [{ env: 'K_AN' }], models: [{ id: 'claude-sonnet-4-5' }] },
      ],
      routes: [],
    },
    { K_OA: 'k-oa', K_AN: 'k-an' },
    'gemini-cli',
  );
});

afterAll(async () => {
  await h?.close();
  await Promise.all([an, oa].map((f) => f?.close()));
});

/** Gemini CLI's routing classifier schema, as it sends it in `responseJsonSchema` (its Type enum, upper case). */
const CLASSIFIER_SCHEMA = {
  type: 'OBJECT',
  properties: {
    complexity_reasoning: { type: 'STRING', description: 'Brief explanation for the score.' },
    complexity_score: { type: 'INTEGER', description: 'Complexity score from 1-100.' },
    // A property named like the keyword is a property, not a type.
    type: { type: ['STRING', 'NULL'], enum: ['OBJECT', 'plain'] },
    tags: { type: 'ARRAY', items: { type: 'STRING' } },
  },
  required: ['complexity_reasoning', 'complexity_score'],
};
const LOWERED = {
  type: 'object',
  properties: {
    complexity_reasoning: { type: 'string', description: 'Brief explanation for the score.' },
    complexity_score: { type: 'integer', description: 'Complexity score from 1-100.' },
    type: { type: ['string', 'null'], enum: ['OBJECT', 'plain'] },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['complexity_reasoning', 'complexity_score'],
};

async function generate(model: string, body: unknown): Promise<void> {
  const res = await fetch(`${h.baseUrl}/v1beta/models/${encodeURIComponent(model)}:generateContent`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': h.token },
    body: JSON.stringify(body),
  });
  expect(res.status, await res.text()).toBe(200);
}

describe("JSON Schemas with Google's upper-case type names", () => {
  it('reach an OpenAI-compatible upstream as JSON Schema (response_format and tool parameters)', async () => {
    await generate('oa/gpt-5-mini', {
      contents: [{ role: 'user', parts: [{ text: 'Rate this task' }] }],
      tools: [{ functionDeclarations: [{ name: 'read_file', description: 'Reads a file', parametersJsonSchema: CLASSIFIER_SCHEMA }] }],
      generationConfig: { responseMimeType: 'application/json', responseJsonSchema: CLASSIFIER_SCHEMA },
    });
    const body = oa.requests.at(-1)!.body;
    expect(body.response_format.json_schema.schema).toEqual(LOWERED);
    expect(body.tools[0].function.parameters).toEqual(LOWERED);
  });

  it('reach an Anthropic upstream as JSON Schema (input_schema)', async () => {
    await generate('an/claude-sonnet-4-5', {
      contents: [{ role: 'user', parts: [{ text: 'Read it' }] }],
      tools: [{ functionDeclarations: [{ name: 'read_file', description: 'Reads a file', parametersJsonSchema: CLASSIFIER_SCHEMA }] }],
    });
    expect(an.requests.at(-1)!.body.tools[0].input_schema).toEqual(LOWERED);
  });
});
