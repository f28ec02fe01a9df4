// Adapter for Google Gemini (generateContent / streamGenerateContent?alt=sse): system instruction,
// function calling, inline images, thinking budget, and usageMetadata.
import { UpstreamStreamError } from '../../canonical/errors';
import { StreamTruncatedError } from '../../canonical/stream-errors';
import { effortFor } from '../openai/openai-request';
import {
  argumentsValue,
  systemAsUserTurns,
  type CanonicalRequest,
  type FinishReason,
  type Part,
  type StreamEvent,
} from '../../canonical/types';
import { fromGeminiUsage, type Usage } from '../../canonical/usage';
import type { Target } from '../../router/resolve';
import { readSse } from '../sse';
import type { UpstreamCall } from '../transport';
import type { Readable } from 'node:stream';

type Json = Record<string, any>;

export const GEMINI_DEFAULT_BASE_URL = 'https://generativelanguage.googleapis.com/v1beta';
const BUDGET_FOR_EFFORT = { minimal: 512, low: 1024, medium: 8192, high: 24576 } as const;

/**
 * Tool schemas go as `parametersJsonSchema` (full JSON Schema, documented beside the OpenAPI-subset
 * `parameters`), so what clients like Claude Code send (additionalProperties, $defs...) is accepted.
 */
function jsonSchemaForGemini(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _drop, ...rest } = schema;
  return rest;
}

function guessMime(url: string): string {
  const ext = /\.([a-z0-9]+)(?:\?|$)/i.exec(url)?.[1]?.toLowerCase();
  return ext === 'png' ? 'image/png' : ext === 'gif' ? 'image/gif' : ext === 'webp' ? 'image/webp' : 'image/jpeg';
}

function encodePart(p: Part): Json | null {
  switch (p.type) {
    case 'text':
      return { text: p.text };
    case 'image':
      return p.data !== undefined
        ? { inlineData: { mimeType: p.mediaType ?? 'image/png', data: p.data } }
        : { fileData: { mimeType: guessMime(p.url ?? ''), fileUri: p.url } };
    case 'tool_call':
      return { functionCall: { name: p.name, args: argumentsValue(p.arguments) } };
    case 'tool_result': {
      let response: unknown;
      try {
        response = JSON.parse(p.content);
      } catch {
        response = undefined;
      }
      const obj = response && typeof response === 'object' && !Array.isArray(response) ? response : { content: p.content };
      return { functionResponse: { name: p.name ?? p.toolCallId, response: p.isError ? { error: p.content } : obj } };
    }
    case 'reasoning':
      return null; // Gemini keeps its own thought context; foreign thinking has no place in `contents`
  }
}

/**
 * Gemini 3 refuses a replayed function-call turn without the thought signature it issued, and no
 * other dialect can carry that signature back; Google documents this sentinel for such turns.
 */
const FOREIGN_SIGNATURE = 'skip_thought_signature_validator';

/** Function responses open a user turn (a system message merged into it comes after them). */
const responsesFirst = (parts: Part[]): Part[] => [
  ...parts.filter((p) => p.type === 'tool_result'),
  ...parts.filter((p) => p.type !== 'tool_result'),
];

export function encodeGeminiRequest(req: CanonicalRequest): Json {
  // Gemini's one systemInstruction is the leading prompt: later system messages stay in place as marked user text.
  const contents = systemAsUserTurns(req.messages)
    .map((m) => ({
      role: m.role === 'assistant' ? 'model' : 'user',
      parts: (m.role === 'user' ? responsesFirst(m.parts) : m.parts).map(encodePart).filter((p): p is Json => p !== null),
    }))
    .filter((c) => c.parts.length > 0);
  for (const c of contents) {
    const firstCall = c.role === 'model' ? c.parts.find((p) => p.functionCall) : undefined;
    if (firstCall && !firstCall.thoughtSignature) firstCall.thoughtSignature = FOREIGN_SIGNATURE;
  }
  const body: Json = { contents };
  if (req.system) body.systemInstruction = { parts: [{ text: req.system }] };
  if (req.tools?.length) {
    body.tools = [
      {
        functionDeclarations: req.tools.map((t) => ({
          name: t.name,
          description: t.description ?? '',
          parametersJsonSchema: jsonSchemaForGemini(t.parameters),
        })),
      },
    ];
    const c = req.toolChoice;
    if (c) {
      const config: Json =
        c === 'auto'
          ? { mode: 'AUTO' }
          : c === 'none'
            ? { mode: 'NONE' }
            : c === 'required'
              ? { mode: 'ANY' }
              : { mode: 'ANY', allowedFunctionNames: [c.name] };
      body.toolConfig = { functionCallingConfig: config };
    }
  }
  const g: Json = {};
  if (req.maxTokens !== undefined) g.maxOutputTokens = req.maxTokens;
  if (req.temperature !== undefined) g.temperature = req.temperature;
  if (req.topP !== undefined) g.topP = req.topP;
  if (req.topK !== undefined) g.topK = req.topK;
  if (req.stop?.length) g.stopSequences = req.stop.slice(0, 5);
  if (req.responseFormat) {
    g.responseMimeType = 'application/json';
    if (req.responseFormat.type === 'json_schema') g.responseJsonSchema = req.responseFormat.schema;
  }
  if (req.reasoning) {
    g.thinkingConfig = {
      thinkingBudget: req.reasoning.budgetTokens ?? BUDGET_FOR_EFFORT[effortFor(req.reasoning) ?? 'medium'],
      includeThoughts: true,
    };
  }
  if (Object.keys(g).length) body.generationConfig = g;
  return body;
}

export function geminiStreamCall(req: CanonicalRequest, target: Target, apiKey: string): UpstreamCall {
  const base = (target.provider.baseUrl ?? GEMINI_DEFAULT_BASE_URL).replace(/\/+$/, '');
  return {
    url: `${base}/models/${encodeURIComponent(target.model)}:streamGenerateContent?alt=sse`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-goog-api-key': apiKey },
    body: JSON.stringify(encodeGeminiRequest(req)),
  };
}

const FINISH: Record<string, FinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
};

/** Gemini SSE chunks -> canonical events. Usage is cumulative per chunk; the last one is emitted at the end. */
export async function* geminiEvents(body: Readable): AsyncGenerator<StreamEvent> {
  let started = false;
  let calls = 0;
  let usage: Usage | null = null;
  let finished = false;
  for await (const sse of readSse(body)) {
    const chunk = JSON.parse(sse.data) as Json;
    if (chunk.error) throw new UpstreamStreamError(`${chunk.error.status ?? chunk.error.code}: ${chunk.error.message ?? ''}`);
    if (!started) {
      started = true;
      yield { type: 'start', id: chunk.responseId, model: chunk.modelVersion };
    }
    const cand = chunk.candidates?.[0];
    for (const part of (cand?.content?.parts ?? []) as Json[]) {
      if (typeof part.text === 'string' && part.text)
        yield part.thought ? { type: 'reasoning', text: part.text } : { type: 'text', text: part.text };
      if (part.functionCall) {
        const index = calls++;
        yield { type: 'tool_call_start', index, id: String(part.functionCall.id ?? `call_${index}`), name: String(part.functionCall.name) };
        yield { type: 'tool_call_delta', index, arguments: JSON.stringify(part.functionCall.args ?? {}) };
      }
    }
    if (chunk.usageMetadata) usage = fromGeminiUsage(chunk.usageMetadata);
    if (chunk.promptFeedback?.blockReason) {
      finished = true;
      yield { type: 'finish', reason: 'content_filter' };
    } else if (cand?.finishReason) {
      finished = true;
      const reason = FINISH[cand.finishReason] ?? 'stop';
      yield { type: 'finish', reason: reason === 'stop' && calls > 0 ? 'tool_calls' : reason };
    }
  }
  if (!finished) throw new StreamTruncatedError('Gemini', 'a finishReason');
  if (usage) yield { type: 'usage', usage };
}
