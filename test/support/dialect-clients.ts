// Sends one chat request in each client dialect of the port with plain fetch and reports what the
// client got, checking the dialect's wire shape strictly: an answer that ended with the dialect's own
// clean stop, an error answer in the dialect's error shape, or a stream that began and then ended in
// the dialect's error event (and nothing that looks like a clean stop). Anything else is `invalid`.

export const CLIENT_MODES = [
  'openai-stream',
  'openai-json',
  'responses-stream',
  'responses-json',
  'anthropic-stream',
  'anthropic-json',
  'ollama-stream',
  'ollama-json',
  'gemini-stream',
  'gemini-json',
] as const;
export type ClientMode = (typeof CLIENT_MODES)[number];

export type ClientOutcome =
  | { kind: 'answer'; text: string }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'midstream'; text: string; message: string }
  | { kind: 'invalid'; detail: string };

type Json = Record<string, any>;

const invalid = (detail: string): ClientOutcome => ({ kind: 'invalid', detail });

function parseJson(text: string): Json | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** SSE blocks as `{ event, data }`; every data payload must be JSON unless `raw` accepts it. */
function sseEvents(text: string): Array<{ event?: string; data: string }> {
  const out: Array<{ event?: string; data: string }> = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    out.push({ event, data: data.join('\n') });
  }
  return out;
}

/** The dialect's error body: OpenAI `{error:{message,type}}`, Anthropic `{type:'error',error:{type,message}}`, Ollama `{error}`, Gemini `{error:{code,message,status}}`. */
function errorMessage(mode: ClientMode, body: Json | undefined): string | undefined {
  if (!body) return undefined;
  if (mode.startsWith('anthropic'))
    return body.type === 'error' && typeof body.error?.type === 'string' && typeof body.error?.message === 'string'
      ? body.error.message
      : undefined;
  if (mode.startsWith('ollama')) return typeof body.error === 'string' ? body.error : undefined;
  if (mode.startsWith('gemini'))
    return typeof body.error?.message === 'string' && typeof body.error?.status === 'string' && typeof body.error?.code === 'number'
      ? body.error.message
      : undefined;
  return typeof body.error?.message === 'string' && typeof body.error?.type === 'string' ? body.error.message : undefined;
}

function readOpenAIStream(text: string): ClientOutcome {
  let out = '';
  let finished = false;
  let done = false;
  const events = sseEvents(text);
  for (const [i, e] of events.entries()) {
    const last = i === events.length - 1;
    if (e.data === '[DONE]') {
      done = true;
      if (!last) return invalid('[DONE] was not the last event');
      continue;
    }
    const chunk = parseJson(e.data);
    if (!chunk) return invalid(`the client got an event that is not JSON: ${e.data.slice(0, 60)}`);
    if (chunk.error) {
      if (!last) return invalid('events followed the error event');
      if (typeof chunk.error.message !== 'string') return invalid('the error event has no message');
      return finished
        ? invalid('an error event after a clean finish_reason')
        : { kind: 'midstream', text: out, message: chunk.error.message };
    }
    const choice = chunk.choices?.[0];
    if (typeof choice?.delta?.content === 'string') out += choice.delta.content;
    if (choice?.finish_reason) finished = true;
  }
  return finished && done
    ? { kind: 'answer', text: out }
    : invalid(`the stream ended without ${finished ? '[DONE]' : 'a finish_reason'} and without an error`);
}

function readResponsesStream(text: string): ClientOutcome {
  let out = '';
  let error: string | undefined;
  const events = sseEvents(text);
  for (const [i, e] of events.entries()) {
    const data = parseJson(e.data);
    if (!data || data.type !== e.event) return invalid(`a Responses event that is not JSON of its own type: ${e.data.slice(0, 60)}`);
    const last = i === events.length - 1;
    if (e.event === 'response.output_text.delta') out += String(data.delta);
    else if (e.event === 'error') error = String(data.message);
    else if (e.event === 'response.failed')
      return last && error !== undefined
        ? { kind: 'midstream', text: out, message: error }
        : invalid('response.failed without an error event, or not last');
    else if (e.event === 'response.completed' || e.event === 'response.incomplete') {
      if (error !== undefined) return invalid('a completed response after an error event');
      return last ? { kind: 'answer', text: out } : invalid('events after response.completed');
    }
  }
  return invalid('the Responses stream ended without response.completed or response.failed');
}

function readAnthropicStream(text: string): ClientOutcome {
  let out = '';
  let stopped = false;
  const events = sseEvents(text);
  for (const [i, e] of events.entries()) {
    const data = parseJson(e.data);
    if (!data) return invalid(`the client got an event that is not JSON: ${e.data.slice(0, 60)}`);
    const last = i === events.length - 1;
    if (e.event === 'error') {
      if (!last || stopped) return invalid('the error event is not the last, or came after message_stop');
      const message = errorMessage('anthropic-stream', data);
      return message === undefined ? invalid('the error event is not in Anthropic shape') : { kind: 'midstream', text: out, message };
    }
    if (e.event === 'content_block_delta' && data.delta?.type === 'text_delta') out += String(data.delta.text);
    if (e.event === 'message_stop') stopped = true;
  }
  return stopped && events.at(-1)?.event === 'message_stop'
    ? { kind: 'answer', text: out }
    : invalid('the stream ended without message_stop and without an error event');
}

function readOllamaStream(text: string): ClientOutcome {
  let out = '';
  const lines = text.split('\n').filter((l) => l.trim());
  for (const [i, l] of lines.entries()) {
    const line = parseJson(l);
    if (!line) return invalid(`the client got a line that is not JSON: ${l.slice(0, 60)}`);
    const last = i === lines.length - 1;
    if (typeof line.error === 'string')
      return last ? { kind: 'midstream', text: out, message: line.error } : invalid('lines followed the error line');
    if (typeof line.message?.content === 'string') out += line.message.content;
    if (line.done === true) return last ? { kind: 'answer', text: out } : invalid('lines followed done: true');
  }
  return invalid('the stream ended without done: true and without an error line');
}

/** Gemini's SSE (`alt=sse`): GenerateContentResponse chunks; the last carries `finishReason`; a failure is an `error` chunk. */
function readGeminiStream(text: string): ClientOutcome {
  let out = '';
  let finished = false;
  const events = sseEvents(text);
  for (const [i, e] of events.entries()) {
    const chunk = parseJson(e.data);
    if (!chunk) return invalid(`the client got an event that is not JSON: ${e.data.slice(0, 60)}`);
    const last = i === events.length - 1;
    if (chunk.error) {
      const message = errorMessage('gemini-stream', chunk);
      if (!last || finished || message === undefined)
        return invalid('the error chunk is not last, came after finishReason, or is not in Google shape');
      return { kind: 'midstream', text: out, message };
    }
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) if (typeof part.text === 'string' && !part.thought) out += part.text;
    if (candidate?.finishReason) finished = true;
  }
  return finished ? { kind: 'answer', text: out } : invalid('the stream ended without a finishReason and without an error chunk');
}

function readJsonAnswer(mode: ClientMode, body: Json): ClientOutcome {
  if (mode === 'gemini-json') {
    const candidate = body.candidates?.[0];
    const text = (candidate?.content?.parts ?? [])
      .filter((p: Json) => typeof p.text === 'string' && !p.thought)
      .map((p: Json) => p.text)
      .join('');
    return candidate?.finishReason ? { kind: 'answer', text } : invalid('a 200 that is not a finished GenerateContentResponse');
  }
  if (mode === 'openai-json') {
    const content = body.choices?.[0]?.message?.content;
    return typeof content === 'string' && body.choices[0].finish_reason
      ? { kind: 'answer', text: content }
      : invalid('a 200 that is not a chat completion');
  }
  if (mode === 'responses-json') {
    const message = (body.output ?? []).find((o: Json) => o.type === 'message');
    const part = message?.content?.find((c: Json) => c.type === 'output_text');
    return body.status === 'completed' && typeof part?.text === 'string'
      ? { kind: 'answer', text: part.text }
      : invalid('a 200 that is not a completed Response');
  }
  if (mode === 'anthropic-json') {
    const block = body.type === 'message' ? body.content?.find((c: Json) => c.type === 'text') : undefined;
    return typeof block?.text === 'string' && body.stop_reason
      ? { kind: 'answer', text: block.text }
      : invalid('a 200 that is not an Anthropic message');
  }
  return body.done === true && typeof body.message?.content === 'string'
    ? { kind: 'answer', text: body.message.content }
    : invalid('a 200 that is not a finished Ollama chat');
}

function request(mode: ClientMode, model: string): { path: string; body: Json } {
  const stream = mode.endsWith('-stream');
  const messages = [{ role: 'user', content: 'hello' }];
  if (mode.startsWith('openai')) return { path: '/v1/chat/completions', body: { model, messages, stream } };
  if (mode.startsWith('responses')) return { path: '/v1/responses', body: { model, input: 'hello', stream } };
  if (mode.startsWith('anthropic')) return { path: '/v1/messages', body: { model, messages, max_tokens: 64, stream } };
  if (mode.startsWith('gemini')) {
    const method = stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    return {
      path: `/v1beta/models/${encodeURIComponent(model)}:${method}`,
      body: { contents: [{ role: 'user', parts: [{ text: 'hello' }] }] },
    };
  }
  return { path: '/api/chat', body: { model, messages, stream } };
}

/** Sends `model` a greeting in `mode`'s dialect and reads the whole answer (bounded by `timeoutMs`). */
export async function askInDialect(
  baseUrl: string,
  token: string,
  mode: ClientMode,
  model: string,
  timeoutMs = 20_000,
): Promise<ClientOutcome & { requestId: string | null }> {
  const { path, body } = request(mode, model);
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  const requestId = res.headers.get('x-request-id');
  if (res.status !== 200) {
    const message = errorMessage(mode, parseJson(text));
    return {
      ...(message === undefined
        ? invalid(`a ${res.status} not in the dialect's error shape: ${text.slice(0, 80)}`)
        : { kind: 'error', status: res.status, message }),
      requestId,
    };
  }
  if (mode === 'openai-stream') return { ...readOpenAIStream(text), requestId };
  if (mode === 'responses-stream') return { ...readResponsesStream(text), requestId };
  if (mode === 'anthropic-stream') return { ...readAnthropicStream(text), requestId };
  if (mode === 'ollama-stream') return { ...readOllamaStream(text), requestId };
  if (mode === 'gemini-stream') return { ...readGeminiStream(text), requestId };
  const json = parseJson(text);
  return { ...(json ? readJsonAnswer(mode, json) : invalid(`a 200 body that is not JSON: ${text.slice(0, 60)}`)), requestId };
}
