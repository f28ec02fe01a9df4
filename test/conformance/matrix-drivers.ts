// One driver per client dialect for the translation matrix: each builds the same conversation in its
// own dialect, sends it through the official SDK (`openai`, `@anthropic-ai/sdk`, `ollama`), and
// reports what the client received in one comparable shape.
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';

export interface Turn {
  user: string;
  /** A base64 PNG to attach. */
  image?: string;
  tools?: boolean;
  /** The tool call the assistant made and the result to send back. */
  toolResult?: { id: string; name: string; args: Record<string, unknown>; result: string };
  think?: boolean;
  stream?: boolean;
}

export interface Received {
  text: string;
  reasoning: string;
  toolCalls: Array<{ id: string; name: string; args: Record<string, unknown> }>;
  /** Usage as the client's dialect reported it. */
  usage: Record<string, number>;
  finish: string;
}

const WEATHER = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['city'],
  },
};

export type Driver = (model: string, turn: Turn) => Promise<Received>;

export function openaiDriver(baseUrl: string, token: string): Driver {
  const client = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: token, maxRetries: 0 });
  return async (model, turn) => {
    const content: OpenAI.ChatCompletionContentPart[] = [{ type: 'text', text: turn.user }];
    if (turn.image) content.push({ type: 'image_url', image_url: { url: `data:image/png;base64,${turn.image}` } });
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: turn.image ? content : turn.user }];
    if (turn.toolResult) {
      const t = turn.toolResult;
      messages.push({
        role: 'assistant',
        content: null,
        tool_calls: [{ id: t.id, type: 'function', function: { name: t.name, arguments: JSON.stringify(t.args) } }],
      });
      messages.push({ role: 'tool', tool_call_id: t.id, content: t.result });
    }
    const params = {
      // A temperature, as most tools send one (but not with reasoning, which OpenAI's models refuse).
      model,
      messages,
      ...(turn.think ? {} : { temperature: 0.3 }),
      ...(turn.tools || turn.toolResult ? { tools: [{ type: 'function' as const, function: WEATHER }] } : {}),
      ...(turn.think ? { reasoning_effort: 'high' as const } : {}),
    };
    const out: Received = { text: '', reasoning: '', toolCalls: [], usage: {}, finish: '' };
    if (turn.stream === false) {
      const r = await client.chat.completions.create(params);
      const m = r.choices[0]!.message as OpenAI.ChatCompletionMessage & { reasoning_content?: string };
      out.text = m.content ?? '';
      out.reasoning = m.reasoning_content ?? '';
      out.toolCalls = (m.tool_calls ?? []).map((c) => ({
        id: c.id,
        name: (c as { function: { name: string } }).function.name,
        args: JSON.parse((c as { function: { arguments: string } }).function.arguments),
      }));
      out.finish = r.choices[0]!.finish_reason;
      out.usage = flatUsage(r.usage);
      return out;
    }
    const stream = await client.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } });
    const calls: Array<{ id: string; name: string; args: string }> = [];
    for await (const chunk of stream) {
      if (chunk.usage) out.usage = flatUsage(chunk.usage);
      const choice = chunk.choices[0];
      if (!choice) continue;
      const delta = choice.delta as typeof choice.delta & { reasoning_content?: string };
      out.text += delta.content ?? '';
      out.reasoning += delta.reasoning_content ?? '';
      for (const c of delta.tool_calls ?? []) {
        const slot = (calls[c.index] ??= { id: '', name: '', args: '' });
        if (c.id) slot.id = c.id;
        if (c.function?.name) slot.name = c.function.name;
        slot.args += c.function?.arguments ?? '';
      }
      if (choice.finish_reason) out.finish = choice.finish_reason;
    }
    out.toolCalls = calls.map((c) => ({ id: c.id, name: c.name, args: JSON.parse(c.args || '{}') }));
    return out;
  };
}

function flatUsage(u: OpenAI.CompletionUsage | undefined): Record<string, number> {
  if (!u) return {};
  return {
    prompt: u.prompt_tokens,
    completion: u.completion_tokens,
    cached: u.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning: u.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

export function anthropicDriver(baseUrl: string, token: string): Driver {
  const client = new Anthropic({ baseURL: baseUrl, apiKey: token, maxRetries: 0 });
  return async (model, turn) => {
    const first: Anthropic.ContentBlockParam[] = [{ type: 'text', text: turn.user }];
    if (turn.image) first.push({ type: 'image', source: { type: 'base64', media_type: 'image/png', data: turn.image } });
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: first }];
    if (turn.toolResult) {
      const t = turn.toolResult;
      messages.push({ role: 'assistant', content: [{ type: 'tool_use', id: t.id, name: t.name, input: t.args }] });
      messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: t.id, content: t.result }] });
    }
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model,
      messages,
      max_tokens: 4096,
      ...(turn.tools || turn.toolResult
        ? {
            tools: [
              { name: WEATHER.name, description: WEATHER.description, input_schema: WEATHER.parameters as Anthropic.Tool.InputSchema },
            ],
          }
        : {}),
      ...(turn.think ? { thinking: { type: 'enabled' as const, budget_tokens: 2048 } } : {}),
    };
    const msg = turn.stream === false ? await client.messages.create(params) : await client.messages.stream(params).finalMessage();
    const out: Received = { text: '', reasoning: '', toolCalls: [], usage: {}, finish: msg.stop_reason ?? '' };
    for (const b of msg.content) {
      if (b.type === 'text') out.text += b.text;
      else if (b.type === 'thinking') out.reasoning += b.thinking;
      else if (b.type === 'tool_use') out.toolCalls.push({ id: b.id, name: b.name, args: b.input as Record<string, unknown> });
    }
    const u = msg.usage;
    out.usage = {
      input: u.input_tokens,
      output: u.output_tokens,
      cacheRead: u.cache_read_input_tokens ?? 0,
      cacheWrite: u.cache_creation_input_tokens ?? 0,
    };
    return out;
  };
}

export function ollamaDriver(baseUrl: string, token: string): Driver {
  const client = new Ollama({ host: baseUrl, headers: { Authorization: `Bearer ${token}` } });
  return async (model, turn) => {
    const messages: Array<Record<string, unknown>> = [
      { role: 'user', content: turn.user, ...(turn.image ? { images: [turn.image] } : {}) },
    ];
    if (turn.toolResult) {
      const t = turn.toolResult;
      messages.push({ role: 'assistant', content: '', tool_calls: [{ function: { name: t.name, arguments: t.args } }] });
      messages.push({ role: 'tool', content: t.result, tool_name: t.name });
    }
    const params = {
      model,
      messages: messages as never,
      options: { temperature: 0.3 },
      ...(turn.tools || turn.toolResult ? { tools: [{ type: 'function', function: WEATHER }] as never } : {}),
      ...(turn.think ? { think: true } : {}),
    };
    const out: Received = { text: '', reasoning: '', toolCalls: [], usage: {}, finish: '' };
    const parts =
      turn.stream === false ? [await client.chat({ ...params, stream: false })] : await client.chat({ ...params, stream: true });
    for await (const part of parts) {
      out.text += part.message.content ?? '';
      out.reasoning += part.message.thinking ?? '';
      for (const c of part.message.tool_calls ?? [])
        out.toolCalls.push({ id: '', name: c.function.name, args: c.function.arguments as Record<string, unknown> });
      if (part.done) {
        out.usage = { prompt: part.prompt_eval_count, eval: part.eval_count };
        out.finish = part.done_reason;
      }
    }
    return out;
  };
}

/** Gemini's dialect over raw fetch (the `@google/genai` SDK is not installed), framed as Google frames it. */
export function geminiDriver(baseUrl: string, token: string): Driver {
  return async (model, turn) => {
    const first: Array<Record<string, unknown>> = [{ text: turn.user }];
    if (turn.image) first.push({ inlineData: { mimeType: 'image/png', data: turn.image } });
    const contents: Array<Record<string, unknown>> = [{ role: 'user', parts: first }];
    if (turn.toolResult) {
      const t = turn.toolResult;
      contents.push({ role: 'model', parts: [{ functionCall: { id: t.id, name: t.name, args: t.args } }] });
      contents.push({ role: 'user', parts: [{ functionResponse: { id: t.id, name: t.name, response: { output: t.result } } }] });
    }
    const body = {
      contents,
      // As Gemini CLI declares tools: full JSON Schema in parametersJsonSchema.
      ...(turn.tools || turn.toolResult
        ? {
            tools: [
              {
                functionDeclarations: [{ name: WEATHER.name, description: WEATHER.description, parametersJsonSchema: WEATHER.parameters }],
              },
            ],
          }
        : {}),
      generationConfig: turn.think ? { thinkingConfig: { thinkingBudget: 2048, includeThoughts: true } } : { temperature: 0.3 },
    };
    const method = turn.stream === false ? 'generateContent' : 'streamGenerateContent?alt=sse';
    const res = await fetch(`${baseUrl}/v1beta/models/${encodeURIComponent(model)}:${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': token },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`Gemini dialect answered ${res.status}: ${text}`);
    const chunks =
      turn.stream === false
        ? [JSON.parse(text)]
        : text
            .split('\r\n\r\n')
            .filter((f) => f.startsWith('data: '))
            .map((f) => JSON.parse(f.slice('data: '.length)));
    const out: Received = { text: '', reasoning: '', toolCalls: [], usage: {}, finish: '' };
    for (const chunk of chunks) {
      if (chunk.error) throw new Error(`stream error: ${chunk.error.message}`);
      const cand = chunk.candidates?.[0];
      for (const p of cand?.content?.parts ?? []) {
        if (typeof p.text === 'string') {
          if (p.thought) out.reasoning += p.text;
          else out.text += p.text;
        }
        if (p.functionCall) out.toolCalls.push({ id: p.functionCall.id ?? '', name: p.functionCall.name, args: p.functionCall.args });
      }
      if (cand?.finishReason) out.finish = cand.finishReason;
      const u = chunk.usageMetadata;
      if (u)
        out.usage = {
          prompt: u.promptTokenCount ?? 0,
          candidates: u.candidatesTokenCount ?? 0,
          thoughts: u.thoughtsTokenCount ?? 0,
          cached: u.cachedContentTokenCount ?? 0,
        };
    }
    return out;
  };
}
