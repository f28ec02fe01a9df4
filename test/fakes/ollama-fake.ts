// A fake Ollama server speaking its documented native API: POST /api/chat streaming NDJSON (one
// JSON object per line, `done: true` last with prompt_eval_count/eval_count and durations), whole
// tool_calls with object arguments, `thinking` when `think` is set, GET /api/tags, `{error}` bodies.
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

export interface OllamaFake {
  url: string;
  requests: Array<{ path: string; body: any; headers: Record<string, string> }>;
  fault(f: StreamFault | null): void;
  close(): Promise<void>;
}

function seen(body: any): SeenRequest {
  const s: SeenRequest = {
    lastUserText: '',
    toolNames: (body.tools ?? []).map((t: any) => t.function?.name),
    thinking: body.think !== undefined && body.think !== false,
  };
  const msgs = body.messages ?? [];
  const last = msgs.at(-1);
  if (last?.role === 'tool') s.toolResult = last.content;
  const lastUser = msgs.filter((m: any) => m.role === 'user').at(-1);
  if (lastUser) {
    s.lastUserText = lastUser.content;
    if (lastUser.images?.length && last?.role !== 'tool') s.image = { mediaType: 'base64', bytes: b64Bytes(lastUser.images[0]) };
  }
  return s;
}

export interface OllamaFakeOptions {
  models?: string[];
  promptEval?: number;
  evalCount?: number;
  /** Scripted mode (test/fakes/scenario.ts scriptedReply): tool calls and texts in order, for real clients' tool round trips. */
  script?: ScriptStep[];
}

export async function startOllamaFake(opts: OllamaFakeOptions = {}): Promise<OllamaFake> {
  const models = opts.models ?? ['llama3.2'];
  const requests: OllamaFake['requests'] = [];
  let fault: StreamFault | null = null;

  const error = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ error: message }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    requests.push({ path: req.url ?? '', body, headers: req.headers as Record<string, string> });
    const f = fault;
    if (f?.status)
      return error(
        res,
        f.status,
        f.status === 503 ? 'server busy, please try again. maximum pending requests exceeded' : `fake error ${f.status}`,
      );
    if (req.method === 'GET' && req.url === '/api/tags') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(
        JSON.stringify({
          models: models.map((name) => ({
            name,
            model: name,
            modified_at: '2025-01-01T00:00:00Z',
            size: 2019393189,
            digest: 'a80c4f17acd5',
            details: { format: 'gguf', family: 'llama', families: ['llama'], parameter_size: '3.2B', quantization_level: 'Q4_K_M' },
          })),
        }),
      );
    }
    if (req.method !== 'POST' || req.url !== '/api/chat') return error(res, 404, '404 page not found');
    if (!models.includes(body?.model)) return error(res, 404, `model "${body?.model}" not found, try pulling it first`);
    const offered = (body.tools ?? []).map((t: any) => t.function?.name);
    const turns = (body.messages ?? []).filter((m: any) => m.role === 'assistant').length;
    const reply = opts.script
      ? scriptedReply(opts.script, turns, offered, 'call_script_', typeof body.format === 'object' ? body.format : undefined)
      : replyFor(seen(body));
    const base = () => ({ model: body.model, created_at: new Date().toISOString() });
    const lines: any[] = [];
    if (reply.reasoning)
      for (const p of pieces(reply.reasoning))
        lines.push({ ...base(), message: { role: 'assistant', content: '', thinking: p }, done: false });
    if (reply.text) for (const p of pieces(reply.text)) lines.push({ ...base(), message: { role: 'assistant', content: p }, done: false });
    if (reply.toolCall)
      lines.push({
        ...base(),
        message: {
          role: 'assistant',
          content: '',
          tool_calls: [{ function: { name: reply.toolCall.name, arguments: reply.toolCall.args } }],
        },
        done: false,
      });
    const final = {
      ...base(),
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: 'stop',
      total_duration: 5191566416,
      load_duration: 2154458,
      prompt_eval_count: opts.promptEval ?? 100,
      prompt_eval_duration: 383809000,
      eval_count: opts.evalCount ?? 20,
      eval_duration: 4799921000,
    };
    if (body.stream === false) {
      const message: any = { role: 'assistant', content: reply.text ?? '' };
      if (reply.reasoning) message.thinking = reply.reasoning;
      if (reply.toolCall) message.tool_calls = [{ function: { name: reply.toolCall.name, arguments: reply.toolCall.args } }];
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      return res.end(JSON.stringify({ ...final, message }));
    }
    const frames = [...lines, final].map((l) => `${JSON.stringify(l)}\n`);
    if (f?.malformed) frames.unshift('{"model": "broken", \n');
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    await writeSplit(res, frames, 9, f);
  };

  const server = await listenFake(handle, (res) => error(res, 500, 'internal'));
  return {
    url: `http://127.0.0.1:${server.port}`,
    requests,
    fault: (x) => (fault = x),
    close: server.close,
  };
}
