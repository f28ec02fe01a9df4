// An upstream (OpenAI, Anthropic, Gemini and Ollama wire formats) that echoes the key it was sent, as
// real providers do, in error bodies, headers, stream error events and garbled stream data; the model
// name picks which (`auth`, `bad`, `server`, `text`, `pre`, `mid`, `junk`, `junkmid`).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from './fake-server';
import { readBody } from './scenario';

export const ECHO_MODES = ['bad', 'server', 'text', 'pre', 'mid', 'junk', 'junkmid', 'auth'] as const;
export type EchoMode = (typeof ECHO_MODES)[number];

export interface KeyEchoFake {
  url: string;
  /** Every key the fake was sent, as it arrived. */
  keysSeen: Set<string>;
  close(): Promise<void>;
}

type Protocol = 'openai' | 'anthropic' | 'gemini' | 'ollama';

function keyOf(req: IncomingMessage): string {
  const h = req.headers;
  const bearer = /^Bearer (.+)$/.exec(String(h.authorization ?? ''))?.[1];
  return String(h['x-api-key'] ?? h['x-goog-api-key'] ?? bearer ?? '');
}

/** The vendor's own error body for a status, carrying `text`. */
function errorBody(p: Protocol, status: number, text: string): string {
  if (p === 'anthropic') {
    const type = status === 401 ? 'authentication_error' : status === 400 ? 'invalid_request_error' : 'api_error';
    return JSON.stringify({ type: 'error', error: { type, message: text } });
  }
  if (p === 'gemini')
    return JSON.stringify({ error: { code: status, message: text, status: status === 400 ? 'INVALID_ARGUMENT' : 'INTERNAL' } });
  if (p === 'ollama') return JSON.stringify({ error: text });
  const code = status === 401 ? 'invalid_api_key' : null;
  return JSON.stringify({ error: { message: text, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code } });
}

/** One frame carrying an upstream error in the middle of a stream. */
function errorFrame(p: Protocol, text: string): string {
  if (p === 'anthropic')
    return `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: text } })}\n\n`;
  if (p === 'gemini') return `data: ${JSON.stringify({ error: { code: 500, message: text, status: 'INTERNAL' } })}\r\n\r\n`;
  if (p === 'ollama') return `${JSON.stringify({ error: text })}\n`;
  return `data: ${JSON.stringify({ error: { message: text, type: 'server_error', param: null, code: null } })}\n\n`;
}

/** The frames that carry the first token (and what comes before it). */
function firstTokenFrames(p: Protocol, model: string, legacy: boolean): string[] {
  if (p === 'anthropic') {
    const ev = (data: { type: string } & Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
    return [
      ev({
        type: 'message_start',
        message: {
          id: 'msg_echo',
          type: 'message',
          role: 'assistant',
          model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 5, output_tokens: 1 },
        },
      }),
      ev({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
      ev({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }),
    ];
  }
  if (p === 'gemini')
    return [
      `data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: 'Hel' }], role: 'model' }, index: 0 }], modelVersion: model, responseId: 'resp_echo' })}\r\n\r\n`,
    ];
  if (p === 'ollama')
    return [
      `${JSON.stringify({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content: 'Hel' }, done: false })}\n`,
    ];
  const choice = legacy
    ? { index: 0, text: 'Hel', finish_reason: null }
    : { index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null };
  return [
    `data: ${JSON.stringify({ id: 'chatcmpl-echo', object: legacy ? 'text_completion' : 'chat.completion.chunk', created: 1, model, choices: [choice] })}\n\n`,
  ];
}

const junkFrame = (p: Protocol, text: string) => (p === 'ollama' ? `${text}\n` : `data: ${text}\n\n`);

export async function startKeyEchoFake(decoys: string[]): Promise<KeyEchoFake> {
  const keysSeen = new Set<string>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : {};
    const url = new URL(req.url ?? '/', 'http://fake');
    const key = keyOf(req);
    if (key) keysSeen.add(key);
    const others = decoys.join(', ');
    // Every answer carries the key in a header too, as a careless gateway in front of a provider might.
    const headers = { 'x-echo-key': key, 'www-authenticate': `Bearer realm="api", error="invalid_token", token="${key}"` };
    const gemini = /^\/v1beta\/models\/([^:]+):streamGenerateContent$/.exec(url.pathname);
    const p: Protocol =
      gemini || url.pathname.startsWith('/v1beta')
        ? 'gemini'
        : url.pathname.startsWith('/api/')
          ? 'ollama'
          : req.headers['x-api-key']
            ? 'anthropic'
            : 'openai';
    const fail = (status: number, text: string, plain = false) => {
      res.writeHead(status, { 'content-type': plain ? 'text/plain' : 'application/json', ...headers });
      res.end(plain ? text : errorBody(p, status, text));
    };
    // Model lists (the key test, the providers' model list): always refused, the key echoed.
    if (req.method === 'GET')
      return fail(
        p === 'gemini' ? 400 : 401,
        p === 'gemini' ? `API key not valid: ${key} (also ${others})` : `Incorrect API key provided: ${key}. Others tried: ${others}`,
      );
    const model = decodeURIComponent(gemini?.[1] ?? String(body.model ?? ''));
    const mode = model.split('.')[0] as EchoMode;
    const echo = `key ${key} with ${others}`;
    switch (mode) {
      case 'auth':
        return p === 'gemini'
          ? fail(400, `API key not valid. Please pass a valid API key: ${key} (${others})`)
          : fail(
              401,
              p === 'ollama'
                ? `unauthorized: ${key} ${others}`
                : `Incorrect API key provided: ${key}. You can find your API key at https://platform.example/account/api-keys. Also: ${others}`,
            );
      case 'bad':
        return fail(400, `Invalid request made with ${echo}`);
      case 'server':
        return fail(500, `The server had an error processing ${echo}`);
      case 'text':
        return fail(502, `${key} <html>Bad gateway: upstream refused ${echo}</html>`, true);
    }
    if (p === 'openai' && body.stream !== true) {
      // Non-streamed: only a body that is not JSON (the other modes need a stream).
      res.writeHead(200, { 'content-type': 'application/json', ...headers });
      return res.end(`${key} is not JSON ${others}`);
    }
    const first = firstTokenFrames(p, model, url.pathname === '/v1/completions');
    const frames: string[] =
      mode === 'pre'
        ? [errorFrame(p, `Overloaded while serving ${echo}`)]
        : mode === 'mid'
          ? [...first, errorFrame(p, `Internal error after the first token for ${echo}`)]
          : mode === 'junk'
            ? [junkFrame(p, `${key} garbled ${others}`)]
            : [...first, junkFrame(p, `${key} garbled ${others}`)];
    res.writeHead(200, { 'content-type': p === 'ollama' ? 'application/x-ndjson' : 'text/event-stream', ...headers });
    for (const f of frames) {
      res.write(f);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    res.end();
  };

  const server = await listenFake(handle, (res) => {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"the key-echo fake crashed"}}');
  });
  return { url: `http://127.0.0.1:${server.port}`, keysSeen, close: server.close };
}
