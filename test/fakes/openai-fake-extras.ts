// The parts of the OpenAI fake beyond plain text chat: /v1/embeddings (float or base64, as the API
// documents) and function tool calls (JSON and streamed as tool_calls deltas).

/** A deterministic embedding for a string: the same text always maps to the same vector. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const out: number[] = [];
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  for (let i = 0; i < dims; i++) {
    h = Math.imul(h ^ (h >>> 13), 1274126177);
    out.push(((h >>> 0) / 0xffffffff) * 2 - 1);
  }
  return out;
}

export function embeddingsBody(body: any, dims = 8): Record<string, unknown> | null {
  const inputs: unknown[] = typeof body?.input === 'string' ? [body.input] : Array.isArray(body?.input) ? body.input : [];
  if (inputs.length === 0) return null;
  const base64 = body.encoding_format === 'base64';
  let tokens = 0;
  const data = inputs.map((input, index) => {
    const text = typeof input === 'string' ? input : JSON.stringify(input);
    tokens += text.split(/\s+/).filter(Boolean).length || 1;
    const vector = fakeEmbedding(text, dims);
    const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
    return { object: 'embedding', index, embedding };
  });
  return { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } };
}

export interface FakeToolCall {
  name: string;
  arguments: string;
  /**
   * Call it even when the request offers no tools: servers that parse tool syntax out of a model's text
   * (and models with built-in tools) answer with tool_calls nobody asked for.
   */
  unprompted?: boolean;
}

/** The fake calls a tool when the request offers tools (or the call is unprompted) and the conversation does not end with a tool result. */
export function wantsToolCall(body: any, call: FakeToolCall | undefined): boolean {
  if (!call || body?.tool_choice === 'none') return false;
  if (!call.unprompted && (!Array.isArray(body?.tools) || body.tools.length === 0)) return false;
  const last = Array.isArray(body.messages) ? body.messages[body.messages.length - 1] : undefined;
  return last?.role !== 'tool';
}

export const toolCallMessage = (id: string, call: FakeToolCall) => ({
  role: 'assistant',
  content: null,
  refusal: null,
  tool_calls: [{ id, type: 'function', function: { name: call.name, arguments: call.arguments } }],
});

/** Stream deltas for one tool call: the first names it, the rest carry its arguments in two pieces. */
export function toolCallDeltas(id: string, call: FakeToolCall): unknown[] {
  const half = Math.ceil(call.arguments.length / 2);
  return [
    { role: 'assistant', content: null, tool_calls: [{ index: 0, id, type: 'function', function: { name: call.name, arguments: '' } }] },
    { tool_calls: [{ index: 0, function: { arguments: call.arguments.slice(0, half) } }] },
    { tool_calls: [{ index: 0, function: { arguments: call.arguments.slice(half) } }] },
  ];
}

/**
 * POST /v1/completions, the legacy text-completions endpoint (fill-in-the-middle with `suffix`):
 * `text_completion` objects with `choices[].text`, streamed as SSE chunks of the same object, a
 * final chunk with `finish_reason`, the usage-only chunk (empty `choices`) when
 * `stream_options.include_usage` is set, then `data: [DONE]`. The reply is `reply` split into
 * `parts`; `afterChunks` cuts the connection mid-stream, as the chat fake's fault does.
 */
export async function writeCompletion(
  res: import('node:http').ServerResponse,
  body: any,
  parts: string[],
  id: string,
  afterChunks?: number,
): Promise<void> {
  const created = Math.floor(Date.now() / 1000);
  const prompt = Array.isArray(body.prompt) ? body.prompt.join(' ') : String(body.prompt ?? '');
  const promptTokens =
    prompt.split(/\s+/).filter(Boolean).length +
    String(body.suffix ?? '')
      .split(/\s+/)
      .filter(Boolean).length;
  const usage = { prompt_tokens: promptTokens, completion_tokens: parts.length, total_tokens: promptTokens + parts.length };
  const object = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id,
    object: 'text_completion',
    created,
    model: body.model,
    system_fingerprint: 'fp_fake',
    choices,
    ...extra,
  });
  if (!body.stream) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(object([{ text: parts.join(''), index: 0, logprobs: null, finish_reason: 'stop' }], { usage })));
    return;
  }
  const includeUsage = body.stream_options?.include_usage === true;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const send = (value: unknown) => res.write(`data: ${JSON.stringify(value)}\n\n`);
  for (let i = 0; i < parts.length; i++) {
    if (afterChunks !== undefined && i >= afterChunks) {
      await new Promise<void>((resolve) => res.write('', () => resolve()));
      res.socket?.destroy();
      return;
    }
    send(object([{ text: parts[i], index: 0, logprobs: null, finish_reason: null }]));
  }
  send(object([{ text: '', index: 0, logprobs: null, finish_reason: 'stop' }]));
  if (includeUsage) send(object([], { usage }));
  res.end('data: [DONE]\n\n');
}
