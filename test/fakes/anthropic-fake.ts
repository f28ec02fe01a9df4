// A fake Anthropic Messages API speaking its documented wire format: `x-api-key` and
// `anthropic-version` headers, SSE events (message_start, content_block_start/delta/stop with
// text_delta, input_json_delta, thinking_delta, signature_delta, ping, message_delta, message_stop),
// usage with cache_creation/cache_read apart from input_tokens, `{type:'error', error:{...}}` bodies;
// `role: "system"` messages inside the conversation only under the `mid-conversation-*` beta.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenFake } from './fake-server';
import {
  b64Bytes,
  pieces,
  readBody,
  replyFor,
  scriptedReply,
  writeSplit,
  type ScriptStep,
  type SeenRequest,
  type StreamFault,
} from './scenario';

/** Token counts the fake reports; `cacheWrite1h` of the `cacheWrite` tokens were written with `ttl: "1h"` (the rest for 5 minutes). */
export interface AnthropicUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cacheWrite1h?: number;
}

export interface AnthropicFake {
  /** Base URL without /v1 (the SDK convention). */
  url: string;
  requests: Array<{ path: string; body: any; headers: Record<string, string> }>;
  fault(f: (StreamFault & { errorEvent?: boolean }) | null): void;
  close(): Promise<void>;
}

const ERRORS: Record<number, [string, string]> = {
  400: ['invalid_request_error', 'messages: field required'],
  401: ['authentication_error', 'invalid x-api-key'],
  403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
  404: ['not_found_error', 'model: not found'],
  413: ['request_too_large', 'Request exceeds the maximum allowed number of bytes.'],
  429: ['rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'],
  500: ['api_error', 'Internal server error'],
  529: ['overloaded_error', 'Overloaded'],
};

/** The checks the real API makes on conversation shape (its 400 messages, verbatim in spirit). */
function requestError(body: any, beta: string): string | null {
  // System messages inside `messages` are a beta Claude Code opts into with its anthropic-beta header.
  const system = (body.messages ?? []).findIndex((m: any) => m.role === 'system');
  if (system >= 0 && !/\bmid-conversation-/.test(beta)) return `messages.${system}.role: Input should be 'user' or 'assistant'`;
  if (body.thinking?.type === 'enabled') {
    if (!(body.thinking.budget_tokens >= 1024)) return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    if (body.max_tokens <= body.thinking.budget_tokens) return '`max_tokens` must be greater than `thinking.budget_tokens`.';
    if (body.temperature !== undefined && body.temperature !== 1) return '`temperature` may only be set to 1 when thinking is enabled.';
  }
  for (const m of body.messages ?? []) {
    for (const b of Array.isArray(m.content) ? m.content : [])
      if (b.type === 'text' && !b.text) return 'messages: text content blocks must be non-empty';
  }
  return conversationError((body.messages ?? []).filter((m: any) => m.role !== 'system'));
}

function conversationError(messages: any[]): string | null {
  if (messages[0]?.role !== 'user') return 'messages: first message must use the "user" role';
  for (let i = 1; i < messages.length; i++) {
    if (messages[i].role === messages[i - 1].role)
      return `messages: roles must alternate between "user" and "assistant", but found multiple "${messages[i].role}" roles in a row`;
  }
  for (let i = 0; i < messages.length; i++) {
    const blocks = Array.isArray(messages[i].content) ? messages[i].content : [];
    const prev = Array.isArray(messages[i - 1]?.content) ? messages[i - 1].content : [];
    for (const b of blocks) {
      if (b.type === 'tool_result' && !prev.some((p: any) => p.type === 'tool_use' && p.id === b.tool_use_id)) {
        return `messages.${i}.content: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${b.tool_use_id}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
      }
    }
  }
  return null;
}

function seen(body: any): SeenRequest {
  const s: SeenRequest = {
    lastUserText: '',
    toolNames: (body.tools ?? []).filter((t: any) => t.input_schema).map((t: any) => t.name),
    thinking: body.thinking?.type === 'enabled',
  };
  const last = (body.messages ?? []).filter((m: any) => m.role === 'user').at(-1);
  const blocks = typeof last?.content === 'string' ? [{ type: 'text', text: last.content }] : (last?.content ?? []);
  for (const b of blocks) {
    if (b.type === 'text') s.lastUserText = b.text;
    if (b.type === 'image' && b.source?.type === 'base64') s.image = { mediaType: b.source.media_type, bytes: b64Bytes(b.source.data) };
    if (b.type === 'image' && b.source?.type === 'url') s.image = { mediaType: 'url', bytes: b.source.url.length };
    if (b.type === 'tool_result') s.toolResult = typeof b.content === 'string' ? b.content : b.content.map((c: any) => c.text).join('');
  }
  return s;
}

export interface AnthropicFakeOptions {
  apiKey?: string;
  usage?: AnthropicUsage;
  models?: string[];
  /** Scripted mode (test/fakes/scenario.ts scriptedReply): tool calls and texts in order, for real clients' tool round trips. */
  script?: ScriptStep[];
}

export async function startAnthropicFake(opts: AnthropicFakeOptions = {}): Promise<AnthropicFake> {
  const usage = opts.usage ?? { input: 100, output: 20, cacheRead: 40, cacheWrite: 10 };
  const models = opts.models ?? ['claude-sonnet-4-5'];
  const requests: AnthropicFake['requests'] = [];
  let fault: (StreamFault & { errorEvent?: boolean }) | null = null;

  const error = (res: ServerResponse, status: number, extra: Record<string, string> = {}) => {
    const [type, message] = ERRORS[status] ?? ['api_error', `error ${status}`];
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...extra });
    res.end(JSON.stringify({ type: 'error', error: { type, message } }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    const path = req.url ?? '';
    requests.push({ path, body, headers: req.headers as Record<string, string> });
    if (opts.apiKey && req.headers['x-api-key'] !== opts.apiKey) return error(res, 401);
    if (!req.headers['anthropic-version']) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'anthropic-version: header is required' } }),
      );
    }
    const f = fault;
    if (f?.status) return error(res, f.status, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
    if (req.method === 'GET' && path.startsWith('/v1/models')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          data: models.map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' })),
          has_more: false,
          first_id: models[0],
          last_id: models.at(-1),
        }),
      );
    }
    if (path === '/v1/messages/count_tokens') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ input_tokens: 1234 }));
    }
    if (req.method !== 'POST' || path !== '/v1/messages') return error(res, 404);
    if (!models.includes(body?.model)) return error(res, 404);
    if (typeof body.max_tokens !== 'number') return error(res, 400);
    const shape = requestError(body, String(req.headers['anthropic-beta'] ?? ''));
    if (shape) {
      res.writeHead(400, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: shape } }));
    }
    const offered = (body.tools ?? []).filter((t: any) => t.input_schema).map((t: any) => t.name);
    const turns = (body.messages ?? []).filter((m: any) => m.role === 'assistant').length;
    const reply = opts.script ? scriptedReply(opts.script, turns, offered, 'toolu_script_') : replyFor(seen(body));
    const id = `msg_fake${requests.length}`;
    const stop = reply.toolCall ? 'tool_use' : 'end_turn';
    // As Anthropic sends it: cache_creation_input_tokens is the sum, `cache_creation` splits it by lifetime.
    const oneHour = usage.cacheWrite1h ?? 0;
    const u = {
      input_tokens: usage.input,
      cache_creation_input_tokens: usage.cacheWrite,
      cache_read_input_tokens: usage.cacheRead,
      cache_creation: { ephemeral_5m_input_tokens: usage.cacheWrite - oneHour, ephemeral_1h_input_tokens: oneHour },
      output_tokens: usage.output,
      service_tier: 'standard',
    };
    const content: any[] = [];
    if (reply.reasoning) content.push({ type: 'thinking', thinking: reply.reasoning, signature: 'sig_fake_abc' });
    if (reply.text) content.push({ type: 'text', text: reply.text });
    if (reply.toolCall)
      content.push({
        type: 'tool_use',
        id: opts.script ? reply.toolCall.id : 'toolu_fake_1',
        name: reply.toolCall.name,
        input: reply.toolCall.args,
      });
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_fake' });
      return res.end(
        JSON.stringify({
          id,
          type: 'message',
          role: 'assistant',
          model: body.model,
          content,
          stop_reason: stop,
          stop_sequence: null,
          usage: u,
        }),
      );
    }
    const frames: string[] = [];
    const ev = (data: any) => frames.push(`event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`);
    if (f?.malformed) frames.push('event: message_start\ndata: {"type": "message_start", "message": {\n\n');
    // `x_fake_field` is a field no client knows: the pass-through path must deliver it untouched.
    ev({
      type: 'message_start',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        x_fake_field: 'kept',
        usage: { ...u, output_tokens: 1 },
      },
    });
    ev({ type: 'ping' });
    content.forEach((block, index) => {
      if (block.type === 'thinking') {
        ev({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
        for (const p of pieces(block.thinking)) ev({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking: p } });
        ev({ type: 'content_block_delta', index, delta: { type: 'signature_delta', signature: block.signature } });
      } else if (block.type === 'text') {
        ev({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
        for (const p of pieces(block.text)) ev({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: p } });
      } else {
        ev({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: block.id, name: block.name, input: {} } });
        ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: '' } });
        for (const p of pieces(JSON.stringify(block.input), 4))
          ev({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: p } });
      }
      ev({ type: 'content_block_stop', index });
    });
    if (f?.errorEvent) ev({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    ev({ type: 'message_delta', delta: { stop_reason: stop, stop_sequence: null }, usage: { output_tokens: usage.output } });
    ev({ type: 'message_stop' });
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'request-id': 'req_fake' });
    await writeSplit(res, frames, 7, f);
  };

  const server = await listenFake(handle, (res) => error(res, 500));
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    fault: (x) => (fault = x),
    close: server.close,
  };
}
