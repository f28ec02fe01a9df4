// Adapter for Ollama's native API: POST /api/chat (NDJSON stream, whole tool calls per chunk,
// `thinking`, images as bare base64) and GET /api/tags for the model list.
import { UpstreamStreamError } from '../../canonical/errors';
import { StreamTruncatedError } from '../../canonical/stream-errors';
import { argumentsValue, type CanonicalRequest, type Part, type StreamEvent } from '../../canonical/types';
import { fromOllamaUsage } from '../../canonical/usage';
import type { Target } from '../../router/resolve';
import { readNdjson } from './ndjson';
import type { UpstreamCall } from '../transport';
import type { Readable } from 'node:stream';

type Json = Record<string, any>;

export const OLLAMA_DEFAULT_BASE_URL = 'http://127.0.0.1:11434';

export function ollamaBase(target: Pick<Target['provider'], 'baseUrl'>): string {
  // Accept a base URL written for Ollama's OpenAI-compatible API (`.../v1`) too.
  return (target.baseUrl ?? OLLAMA_DEFAULT_BASE_URL).replace(/\/+$/, '').replace(/\/v1$/, '');
}

export function encodeOllamaMessages(req: CanonicalRequest): Json[] {
  const out: Json[] = [];
  if (req.system) out.push({ role: 'system', content: req.system });
  for (const m of req.messages) {
    const texts: string[] = [];
    const images: string[] = [];
    const calls: Json[] = [];
    let thinking = '';
    for (const p of m.parts as Part[]) {
      if (p.type === 'tool_result') out.push({ role: 'tool', content: p.content, ...(p.name ? { tool_name: p.name } : {}) });
      else if (p.type === 'text') texts.push(p.text);
      // Ollama takes only inline base64; a URL image is described instead of silently dropped.
      else if (p.type === 'image') {
        if (p.data !== undefined) images.push(p.data);
        else texts.push(`[image: ${p.url}]`);
      } else if (p.type === 'tool_call') calls.push({ function: { name: p.name, arguments: argumentsValue(p.arguments) } });
      else if (p.type === 'reasoning') thinking += p.text;
    }
    if (!texts.length && !images.length && !calls.length) continue;
    const msg: Json = { role: m.role, content: texts.join('\n') };
    if (images.length) msg.images = images;
    if (calls.length) msg.tool_calls = calls;
    if (thinking && m.role === 'assistant') msg.thinking = thinking;
    out.push(msg);
  }
  return out;
}

export function encodeOllamaRequest(req: CanonicalRequest, model: string): Json {
  const body: Json = { model, messages: encodeOllamaMessages(req), stream: true };
  if (req.tools?.length && req.toolChoice !== 'none')
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }));
  if (req.responseFormat) body.format = req.responseFormat.type === 'json_schema' ? req.responseFormat.schema : 'json';
  const options: Json = {};
  if (req.maxTokens !== undefined) options.num_predict = req.maxTokens;
  if (req.temperature !== undefined) options.temperature = req.temperature;
  if (req.topP !== undefined) options.top_p = req.topP;
  if (req.topK !== undefined) options.top_k = req.topK;
  if (req.stop?.length) options.stop = req.stop;
  if (Object.keys(options).length) body.options = options;
  if (req.reasoning) body.think = req.reasoning.effort && req.reasoning.effort !== 'minimal' ? req.reasoning.effort : true;
  return body;
}

export function ollamaStreamCall(req: CanonicalRequest, target: Target, apiKey: string): UpstreamCall {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/x-ndjson' };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`; // Ollama's cloud API; a local server ignores it
  return {
    url: `${ollamaBase(target.provider)}/api/chat`,
    method: 'POST',
    headers,
    body: JSON.stringify(encodeOllamaRequest(req, target.model)),
  };
}

/** Ollama NDJSON -> canonical events; tool calls arrive whole, so each is a start plus one delta. */
export async function* ollamaEvents(body: Readable): AsyncGenerator<StreamEvent> {
  let started = false;
  let calls = 0;
  let done = false;
  for await (const chunk of readNdjson(body)) {
    if (typeof chunk.error === 'string') throw new UpstreamStreamError(chunk.error);
    if (!started) {
      started = true;
      yield { type: 'start', model: chunk.model };
    }
    const msg = chunk.message ?? {};
    if (typeof msg.thinking === 'string' && msg.thinking) yield { type: 'reasoning', text: msg.thinking };
    if (typeof msg.content === 'string' && msg.content) yield { type: 'text', text: msg.content };
    for (const c of (msg.tool_calls ?? []) as Json[]) {
      const index = calls++;
      yield { type: 'tool_call_start', index, id: String(c.id ?? `call_${index}`), name: String(c.function?.name ?? '') };
      yield { type: 'tool_call_delta', index, arguments: JSON.stringify(c.function?.arguments ?? {}) };
    }
    if (chunk.done) {
      done = true;
      const reason = chunk.done_reason === 'length' ? 'length' : calls > 0 ? 'tool_calls' : 'stop';
      yield { type: 'finish', reason };
      const usage = fromOllamaUsage(chunk);
      if (usage) yield { type: 'usage', usage };
    }
  }
  if (!done) throw new StreamTruncatedError('Ollama', 'a line with done: true');
}
