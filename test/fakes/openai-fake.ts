// A fake OpenAI-compatible upstream speaking the documented Chat Completions wire format:
// JSON bodies, SSE chunks (`data: {...}\n\n` ending in `data: [DONE]`), the usage chunk sent when
// `stream_options.include_usage` is set, OpenAI error bodies, and fault knobs for failover tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { embeddingsBody, toolCallDeltas, toolCallMessage, wantsToolCall, writeCompletion, type FakeToolCall } from './openai-fake-extras';
import { b64Bytes, pieces, replyFor, scriptedReply, writeSplit, type ScriptStep, type SeenRequest } from './scenario';

export interface FakeFault {
  /** Answer every request with this HTTP status and an OpenAI error body. */
  status?: number;
  /** Retry-After header to send with `status`. */
  retryAfter?: string;
  /** Delay before sending headers. */
  delayMs?: number;
  /** Delay between stream chunks. */
  chunkDelayMs?: number;
  /** Destroy the connection after this many content chunks (streaming only). */
  afterChunks?: number;
  /** Send one malformed SSE data line before the content. */
  malformed?: boolean;
  /** `retry-after-ms` header to send with `status` (OpenAI sends both forms). */
  retryAfterMs?: string;
  /** Destroy the connection as soon as the request arrives: no status line at all. */
  resetBeforeHeaders?: boolean;
  /** Send headers (and the role chunk) at once, then wait this long before the first content chunk. */
  firstTokenDelayMs?: number;
  /** Send this many content chunks, then nothing more while keeping the connection open. */
  stallAfterChunks?: number;
  /** Answer 200 with a body that is not JSON (non-streaming requests). */
  invalidJson?: boolean;
  /** Answer 400 with OpenAI's `context_length_exceeded` error body. */
  contextLength?: boolean;
  /** With `status`: the error body's `type` / `code` instead of the status's usual ones (e.g. `insufficient_quota`). */
  errorType?: string;
  errorCode?: string | null;
  /** Stream without any usage chunk even when `stream_options.include_usage` asks for one (some OpenAI-compatible servers do). */
  omitUsage?: boolean;
}

export interface FakeRequest {
  path: string;
  method: string;
  body: any;
  headers: Record<string, string>;
}

export interface FakeOptions {
  /** The text every completion answers with. */
  reply?: string;
  /** How many stream chunks the reply is split into. */
  chunks?: number;
  /** The API key the fake accepts (`Authorization: Bearer <key>`); omit to accept any. */
  apiKey?: string;
  /** Model ids listed by GET /v1/models. */
  models?: string[];
  /** Cached prompt tokens to report in usage.prompt_tokens_details (counted inside prompt_tokens). */
  cachedTokens?: number;
  /** When set, requests that offer tools get this tool call (until the conversation ends with a tool result). */
  toolCall?: FakeToolCall;
  /** Keep every request in `requests` (default); benchmarks turn it off so memory stays flat. */
  record?: boolean;
  /** Fault to start with (benchmarks run the fake in another process). */
  fault?: FakeFault;
  /** Several accepted keys (`apiKey` is one more); any other key gets OpenAI's 401. */
  apiKeys?: string[];
  /** Prompts counted above this many tokens get OpenAI's 400 `context_length_exceeded`. */
  contextWindow?: number;
  /**
   * Answer from the request like every protocol fake (test/fakes/scenario.ts): tool calls, tool-result
   * echoes, image descriptions; usage prompt 140 (40 cached), completion 20 (5 reasoning).
   */
  scenario?: boolean;
  /** Stream thinking text in this delta field (DeepSeek: reasoning_content; OpenRouter: reasoning). */
  reasoningField?: 'reasoning_content' | 'reasoning';
  /** Azure OpenAI paths (`/openai/deployments/{d}/chat/completions?api-version=`, `/openai/v1/...`) and the `api-key` header. */
  azure?: boolean;
  /** Extra usage fields to report (e.g. OpenRouter's `cost`). */
  usageExtra?: Record<string, unknown>;
  /** Behave like OpenAI's reasoning models: refuse `max_tokens`, and sampling settings with reasoning. */
  reasoningModel?: boolean;
  /** Scripted mode (test/fakes/scenario.ts scriptedReply) in scenario mode's wire format: tool calls and texts in order. */
  script?: ScriptStep[];
}

export interface OpenAIFake {
  /** Base URL including `/v1`, as a provider's baseUrl. */
  url: string;
  requests: FakeRequest[];
  /** Connections currently open to the fake. */
  openConnections(): number;
  fault(f: FakeFault | null): void;
  /** A fault chosen per request (n counts chat requests from 1, `body` is the request's); overrides `fault` while set. */
  faultBy(pick: ((n: number, body: any) => FakeFault | null) | null): void;
  /** Responses still being written (or stalled): should be 0 once every client is done. */
  inFlight(): number;
  close(): Promise<void>;
}

const errorTypes: Record<number, { type: string; code: string | null; message: string }> = {
  400: { type: 'invalid_request_error', code: null, message: 'Invalid request.' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Incorrect API key provided.' },
  404: { type: 'invalid_request_error', code: 'model_not_found', message: 'The model does not exist.' },
  429: { type: 'requests', code: 'rate_limit_exceeded', message: 'Rate limit reached for requests.' },
  500: { type: 'server_error', code: null, message: 'The server had an error while processing your request.' },
  503: { type: 'server_error', code: null, message: 'The engine is currently overloaded, please try again later.' },
  529: { type: 'overloaded_error', code: null, message: 'Overloaded' },
};

/** Rough prompt token count: the fake only needs it to be deterministic. */
function countPromptTokens(body: any): number {
  const messages: Array<{ content?: unknown }> = Array.isArray(body?.messages) ? body.messages : [];
  let words = 0;
  for (const m of messages) words += typeof m?.content === 'string' ? m.content.split(/\s+/).filter(Boolean).length : 1;
  return words + 3 * messages.length;
}

function splitReply(reply: string, chunks: number): string[] {
  const size = Math.max(1, Math.ceil(reply.length / chunks));
  const parts: string[] = [];
  for (let i = 0; i < reply.length; i += size) parts.push(reply.slice(i, i + size));
  return parts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startOpenAIFake(options: FakeOptions = {}): Promise<OpenAIFake> {
  const reply = options.reply ?? 'Hello from the fake upstream. It streams in pieces.';
  const chunkCount = options.chunks ?? 5;
  const models = options.models ?? ['m1'];
  const requests: FakeRequest[] = [];
  const sockets = new Set<Socket>();
  let fault: FakeFault | null = options.fault ?? null;
  const record = options.record !== false;
  let pickFault: ((n: number, body: any) => FakeFault | null) | null = null;
  let chatRequests = 0;
  let inFlight = 0;
  const accepted = new Set([...(options.apiKeys ?? []), ...(options.apiKey ? [options.apiKey] : [])]);

  const sendError = (res: ServerResponse, status: number, extraHeaders: Record<string, string> = {}, f?: FakeFault | null) => {
    const usual = errorTypes[status] ?? { type: 'server_error', code: null, message: `Error ${status}` };
    const info = { ...usual, ...(f?.errorType ? { type: f.errorType } : {}), ...(f?.errorCode !== undefined ? { code: f.errorCode } : {}) };
    res.writeHead(status, { 'content-type': 'application/json', ...extraHeaders });
    res.end(JSON.stringify({ error: { message: info.message, type: info.type, param: null, code: info.code } }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    let body: any = null;
    if (raw) {
      try {
        body = JSON.parse(raw);
      } catch {
        return sendError(res, 400);
      }
    }
    if (record) requests.push({ path: req.url ?? '', method: req.method ?? '', body, headers: req.headers as Record<string, string> });
    const isChat = req.url === '/v1/chat/completions';
    const f = (isChat && pickFault ? pickFault(++chatRequests, body) : fault) ?? null;
    if (f?.resetBeforeHeaders) {
      res.socket?.destroy();
      return;
    }
    if (f?.delayMs) await sleep(f.delayMs);
    if (res.destroyed) return;
    const presented = options.azure ? req.headers['api-key'] : req.headers.authorization?.replace(/^Bearer /, '');
    if (accepted.size > 0 && !accepted.has(String(presented ?? ''))) return sendError(res, 401);
    if (f?.status) {
      const headers: Record<string, string> = {};
      if (f.retryAfter) headers['retry-after'] = f.retryAfter;
      if (f.retryAfterMs) headers['retry-after-ms'] = f.retryAfterMs;
      return sendError(res, f.status, headers, f);
    }
    const url = new URL(req.url ?? '/', 'http://fake');
    let path = url.pathname;
    if (options.azure) {
      if (!url.searchParams.get('api-version') && !path.startsWith('/openai/v1/')) return sendError(res, 404);
      const deployment = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/.exec(path);
      if (deployment) {
        body.model = decodeURIComponent(deployment[1]!);
        path = '/v1/chat/completions';
      } else if (path === '/openai/v1/chat/completions') path = '/v1/chat/completions';
      else if (path === '/openai/models' || path === '/openai/v1/models') path = '/v1/models';
    }

    if (
      path === '/v1/chat/completions' &&
      (f?.contextLength || (options.contextWindow !== undefined && countPromptTokens(body) > options.contextWindow))
    ) {
      const limit = options.contextWindow ?? 8192;
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          error: {
            message: `This model's maximum context length is ${limit} tokens. However, your messages resulted in ${Math.max(limit + 1, countPromptTokens(body))} tokens. Please reduce the length of the messages.`,
            type: 'invalid_request_error',
            param: 'messages',
            code: 'context_length_exceeded',
          },
        }),
      );
    }

    if (req.method === 'GET' && path === '/v1/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ object: 'list', data: models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake' })) }),
      );
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      if (!models.includes(body?.model)) return sendError(res, 404);
      const answer = embeddingsBody(body);
      if (!answer) return sendError(res, 400);
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify(answer));
    }
    if (req.method === 'POST' && path === '/v1/completions') {
      if (!models.includes(body?.model)) return sendError(res, 404);
      if (body.prompt === undefined) return sendError(res, 400);
      return writeCompletion(res, body, splitReply(reply, chunkCount), `cmpl-fake${requests.length}`, f?.afterChunks);
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return sendError(res, 404);
    if (!models.includes(body?.model)) return sendError(res, 404);
    // OpenAI refuses a message that is not an object with a 400 (it does not fail on it).
    const bad = Array.isArray(body.messages)
      ? body.messages.findIndex((m: unknown) => m === null || typeof m !== 'object' || Array.isArray(m))
      : -1;
    if (bad !== -1) {
      const got = body.messages[bad] === null ? 'null' : Array.isArray(body.messages[bad]) ? 'an array' : `a ${typeof body.messages[bad]}`;
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          error: {
            message: `Invalid type for 'messages[${bad}]': expected an object, but got ${got} instead.`,
            type: 'invalid_request_error',
            param: `messages[${bad}]`,
            code: 'invalid_type',
          },
        }),
      );
    }
    if (options.scenario || options.script) return scenarioReply(res, body, requests.length, options);
    const callTool = wantsToolCall(body, options.toolCall);

    const id = `chatcmpl-fake${requests.length}`;
    const created = Math.floor(Date.now() / 1000);
    const promptTokens = countPromptTokens(body);
    const parts = splitReply(reply, chunkCount);
    const usage = {
      prompt_tokens: promptTokens,
      completion_tokens: parts.length,
      total_tokens: promptTokens + parts.length,
      prompt_tokens_details: { cached_tokens: options.cachedTokens ?? 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    };

    if (!body.stream) {
      if (f?.invalidJson) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id });
        return res.end('{"id": "chatcmpl-broken", "choices": [ <html>upstream proxy error</html>');
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': id });
      return res.end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: body.model,
          system_fingerprint: 'fp_fake',
          choices: [
            callTool
              ? {
                  index: 0,
                  message: toolCallMessage(`call_fake${requests.length}`, options.toolCall!),
                  logprobs: null,
                  finish_reason: 'tool_calls',
                }
              : { index: 0, message: { role: 'assistant', content: reply, refusal: null }, logprobs: null, finish_reason: 'stop' },
          ],
          usage,
          service_tier: 'default',
        }),
      );
    }

    const includeUsage = body.stream_options?.include_usage === true && !f?.omitUsage;
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_fake', choices, ...(includeUsage ? { usage: null } : {}), ...extra })}\n\n`;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    if (callTool) {
      for (const delta of toolCallDeltas(`call_fake${requests.length}`, options.toolCall!))
        res.write(chunk([{ index: 0, delta, logprobs: null, finish_reason: null }]));
      res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' }]));
      if (includeUsage) res.write(chunk([], { usage }));
      return res.end('data: [DONE]\n\n');
    }
    res.write(chunk([{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }]));
    if (f?.malformed) res.write('data: {"id": "broken", "choices": [\n\n');
    if (f?.firstTokenDelayMs) await sleep(f.firstTokenDelayMs);
    for (let i = 0; i < parts.length; i++) {
      if (f?.stallAfterChunks !== undefined && i >= f.stallAfterChunks) {
        // Keep the connection open and silent until the client gives up on it.
        if (!res.destroyed) await new Promise((resolve) => res.once('close', resolve));
        return;
      }
      if (f?.afterChunks !== undefined && i >= f.afterChunks) {
        // Let what was written reach the client first, then reset the connection mid-body.
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        await sleep(10);
        res.socket?.destroy();
        return;
      }
      if (f?.chunkDelayMs) await sleep(f.chunkDelayMs);
      if (res.destroyed) return;
      res.write(chunk([{ index: 0, delta: { content: parts[i] }, logprobs: null, finish_reason: null }]));
    }
    res.write(chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]));
    if (includeUsage) res.write(chunk([], { usage }));
    res.end('data: [DONE]\n\n');
  };

  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => inFlight--);
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (raw += d));
    req.on('end', () => {
      handle(req, res, raw).catch((error) => {
        if (!res.headersSent) sendError(res, 500);
        else res.destroy(error as Error);
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    openConnections: () => sockets.size,
    fault: (f) => {
      fault = f;
    },
    faultBy: (pick) => {
      pickFault = pick;
      chatRequests = 0;
    },
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function seen(body: any): SeenRequest {
  const msgs: any[] = body.messages ?? [];
  const s: SeenRequest = {
    lastUserText: '',
    toolNames: (body.tools ?? []).map((t: any) => t.function?.name),
    thinking: body.reasoning_effort !== undefined,
  };
  const last = msgs.at(-1);
  if (last?.role === 'tool') s.toolResult = typeof last.content === 'string' ? last.content : last.content.map((c: any) => c.text).join('');
  const user = msgs.filter((m) => m.role === 'user').at(-1);
  const parts = typeof user?.content === 'string' ? [{ type: 'text', text: user.content }] : (user?.content ?? []);
  for (const p of parts) {
    if (p.type === 'text') s.lastUserText = p.text;
    if (p.type === 'image_url' && last?.role !== 'tool') {
      const m = /^data:([^;]+);base64,(.*)$/.exec(p.image_url.url);
      s.image = m ? { mediaType: m[1]!, bytes: b64Bytes(m[2]!) } : { mediaType: 'url', bytes: p.image_url.url.length };
    }
  }
  return s;
}

/** Scenario mode: the reply every protocol fake gives, in OpenAI's wire format, split at odd byte boundaries. */
async function scenarioReply(res: ServerResponse, body: any, n: number, options: FakeOptions): Promise<void> {
  const refuse = (message: string, param: string) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', param, code: 'unsupported_parameter' } }));
  };
  if (options.reasoningModel && body.max_tokens !== undefined)
    return refuse(
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      'max_tokens',
    );
  if (options.reasoningModel && body.reasoning_effort !== undefined && body.temperature !== undefined && body.temperature !== 1) {
    return refuse(
      `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
      'temperature',
    );
  }
  const msgs: any[] = body.messages ?? [];
  for (let i = 0; i < msgs.length; i++) {
    if (msgs[i].role !== 'tool') continue;
    let j = i - 1;
    while (j >= 0 && msgs[j].role === 'tool') j--;
    if (!(msgs[j]?.tool_calls ?? []).some((c: any) => c.id === msgs[i].tool_call_id)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
            type: 'invalid_request_error',
            param: `messages.[${i}].role`,
            code: null,
          },
        }),
      );
      return;
    }
  }
  const offered = (body.tools ?? []).map((t: any) => t.function?.name);
  const reply = options.script
    ? scriptedReply(
        options.script,
        msgs.filter((m) => m.role === 'assistant').length,
        offered,
        'call_script_',
        body.response_format?.json_schema?.schema,
      )
    : replyFor(seen(body));
  const id = `chatcmpl-scn${n}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = {
    prompt_tokens: 140,
    completion_tokens: 20,
    total_tokens: 160,
    prompt_tokens_details: { cached_tokens: 40, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 5, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    ...options.usageExtra,
  };
  const finish = reply.toolCall ? 'tool_calls' : 'stop';
  const call = reply.toolCall
    ? { id: reply.toolCall.id, type: 'function', function: { name: reply.toolCall.name, arguments: JSON.stringify(reply.toolCall.args) } }
    : null;
  const showReasoning = options.reasoningField && reply.reasoning;
  if (!body.stream) {
    const message: any = { role: 'assistant', content: reply.text ?? null, refusal: null };
    if (call) message.tool_calls = [call];
    if (showReasoning) message[options.reasoningField!] = reply.reasoning;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
        usage,
        x_fake_field: 'kept',
      }),
    );
    return;
  }
  const include = body.stream_options?.include_usage === true;
  const frame = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, system_fingerprint: 'fp_fake', choices, ...(include ? { usage: null } : {}), ...extra })}\n\n`;
  const d = (delta: unknown, finish_reason: string | null = null) => frame([{ index: 0, delta, logprobs: null, finish_reason }]);
  const frames = [d({ role: 'assistant', content: '', refusal: null })];
  if (showReasoning) for (const p of pieces(reply.reasoning!)) frames.push(d({ [options.reasoningField!]: p }));
  if (reply.text) for (const p of pieces(reply.text)) frames.push(d({ content: p }));
  if (call) {
    frames.push(d({ tool_calls: [{ index: 0, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    for (const p of pieces(call.function.arguments, 4)) frames.push(d({ tool_calls: [{ index: 0, function: { arguments: p } }] }));
  }
  frames.push(frame([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }], { x_fake_field: 'kept' }));
  if (include) frames.push(frame([], { usage }));
  frames.push('data: [DONE]\n\n');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  await writeSplit(res, frames, 13);
}
