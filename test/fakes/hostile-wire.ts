// Each provider protocol's wire format, reduced to what the hostile upstream needs: the frames of a
// streamed reply (opening, one token, the terminal frames), a mid-stream error event, a malformed event
// in the protocol's own framing, a whole JSON reply and an error body in the provider's shape.

export type HostileProtocol = 'openai' | 'anthropic' | 'ollama' | 'gemini';

export interface Wire {
  /** Content type of a streamed reply. */
  streamType: string;
  /** Frames before the first token (Ollama and Gemini have none: their first frame carries content). */
  opening: string[];
  token(text: string): string;
  /** The frames that end a reply cleanly: the protocol's terminal event is among them. */
  closing: string[];
  /** An error event sent after the stream started. */
  errorEvent(message: string): string;
  /** A frame whose JSON is cut short, framed as the protocol frames its events. */
  garbage: string;
  /** The whole reply as a non-streamed JSON body. */
  json(text: string): unknown;
  /** An error body for `status`, in the provider's shape. */
  errorBody(status: number, message: string): unknown;
}

const sse = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
const named = (data: { type: string; [field: string]: unknown }) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

function openai(model: string): Wire {
  const id = 'chatcmpl-hostile';
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    sse({ id, object: 'chat.completion.chunk', created: 1700000000, model, choices, ...extra });
  const delta = (d: unknown, finish: string | null = null) => chunk([{ index: 0, delta: d, logprobs: null, finish_reason: finish }]);
  return {
    streamType: 'text/event-stream',
    opening: [delta({ role: 'assistant', content: '' })],
    token: (text) => delta({ content: text }),
    closing: [delta({}, 'stop'), chunk([], { usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }), 'data: [DONE]\n\n'],
    errorEvent: (message) => sse({ error: { message, type: 'server_error', param: null, code: null } }),
    garbage: `data: {"id":"${id}","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"gar\n\n`,
    json: (text) => ({
      id,
      object: 'chat.completion',
      created: 1700000000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    }),
    errorBody: (status, message) => ({
      error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null },
    }),
  };
}

function anthropic(model: string): Wire {
  const id = 'msg_hostile';
  const usage = { input_tokens: 10, output_tokens: 5 };
  return {
    streamType: 'text/event-stream; charset=utf-8',
    opening: [
      named({
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: 1 },
        },
      }),
      named({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    ],
    token: (text) => named({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    closing: [
      named({ type: 'content_block_stop', index: 0 }),
      named({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 5 } }),
      named({ type: 'message_stop' }),
    ],
    errorEvent: (message) => named({ type: 'error', error: { type: 'api_error', message } }),
    garbage: 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"gar\n\n',
    json: (text) => ({
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage,
    }),
    errorBody: (status, message) => ({ type: 'error', error: { type: status >= 500 ? 'api_error' : 'invalid_request_error', message } }),
  };
}

function ollama(model: string): Wire {
  const line = (data: unknown) => `${JSON.stringify(data)}\n`;
  const base = { model, created_at: '2025-01-01T00:00:00Z' };
  const done = { done: true, done_reason: 'stop', total_duration: 1000, prompt_eval_count: 10, eval_count: 5 };
  return {
    streamType: 'application/x-ndjson',
    opening: [],
    token: (text) => line({ ...base, message: { role: 'assistant', content: text }, done: false }),
    closing: [line({ ...base, message: { role: 'assistant', content: '' }, ...done })],
    errorEvent: (message) => line({ error: message }),
    garbage: `{"model":"${model}","message":{"role":"assistant","content":"gar\n`,
    json: (text) => ({ ...base, message: { role: 'assistant', content: text }, ...done }),
    errorBody: (_status, message) => ({ error: message }),
  };
}

const GOOGLE_STATUS: Record<number, string> = { 400: 'INVALID_ARGUMENT', 404: 'NOT_FOUND', 500: 'INTERNAL', 503: 'UNAVAILABLE' };

function gemini(model: string): Wire {
  const frame = (data: unknown) => `data: ${JSON.stringify(data)}\r\n\r\n`;
  const candidate = (text: string, finish?: string) => ({
    content: { parts: [{ text }], role: 'model' },
    index: 0,
    ...(finish ? { finishReason: finish } : {}),
  });
  const usageMetadata = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 };
  return {
    streamType: 'text/event-stream',
    opening: [],
    token: (text) => frame({ candidates: [candidate(text)], modelVersion: model, responseId: 'resp_hostile' }),
    closing: [frame({ candidates: [candidate('', 'STOP')], usageMetadata, modelVersion: model, responseId: 'resp_hostile' })],
    errorEvent: (message) => frame({ error: { code: 500, message, status: 'INTERNAL' } }),
    garbage: 'data: {"candidates":[{"content":{"parts":[{"text":"gar\r\n\r\n',
    json: (text) => ({ candidates: [candidate(text, 'STOP')], usageMetadata, modelVersion: model, responseId: 'resp_hostile' }),
    errorBody: (status, message) => ({ error: { code: status, message, status: GOOGLE_STATUS[status] ?? 'UNKNOWN' } }),
  };
}

export function wireFor(protocol: HostileProtocol, model: string): Wire {
  switch (protocol) {
    case 'openai':
      return openai(model);
    case 'anthropic':
      return anthropic(model);
    case 'ollama':
      return ollama(model);
    case 'gemini':
      return gemini(model);
  }
}
