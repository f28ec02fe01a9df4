// A fake Gemini API (generativelanguage v1beta) speaking its documented wire format:
// `x-goog-api-key`, POST models/{m}:generateContent and :streamGenerateContent?alt=sse (SSE frames
// ending in \r\n\r\n), thought parts, functionCall parts, usageMetadata with cachedContentTokenCount
// inside promptTokenCount and thoughtsTokenCount apart from candidatesTokenCount, Google error bodies.
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

export interface GeminiUsage {
  prompt: number;
  cached: number;
  candidates: number;
  thoughts: number;
}

export interface GeminiFake {
  /** Base URL including /v1beta. */
  url: string;
  requests: Array<{ path: string; body: any; headers: Record<string, string> }>;
  fault(f: StreamFault | null): void;
  close(): Promise<void>;
}

/** The signature this fake issues on function calls (Gemini's are opaque base64). */
const SIGNATURE = 'c2lnX2Zha2U=';

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

function seen(body: any): SeenRequest {
  const s: SeenRequest = {
    lastUserText: '',
    toolNames: (body.tools ?? []).flatMap((t: any) => (t.functionDeclarations ?? []).map((d: any) => d.name)),
    thinking: Boolean(body.generationConfig?.thinkingConfig?.includeThoughts),
  };
  const last = (body.contents ?? []).filter((c: any) => c.role === 'user').at(-1);
  for (const p of last?.parts ?? []) {
    if (typeof p.text === 'string') s.lastUserText = p.text;
    if (p.inlineData) s.image = { mediaType: p.inlineData.mimeType, bytes: b64Bytes(p.inlineData.data) };
    if (p.fileData) s.image = { mediaType: 'url', bytes: p.fileData.fileUri.length };
    if (p.functionResponse) s.toolResult = p.functionResponse.response?.content ?? JSON.stringify(p.functionResponse.response);
  }
  return s;
}

export interface GeminiFakeOptions {
  apiKey?: string;
  usage?: GeminiUsage;
  models?: string[];
  /** Scripted mode (test/fakes/scenario.ts scriptedReply): function calls and texts in order, for real clients' tool round trips. */
  script?: ScriptStep[];
}

export async function startGeminiFake(opts: GeminiFakeOptions = {}): Promise<GeminiFake> {
  const usage = opts.usage ?? { prompt: 140, cached: 40, candidates: 15, thoughts: 5 };
  const models = opts.models ?? ['gemini-2.5-flash'];
  const requests: GeminiFake['requests'] = [];
  let fault: StreamFault | null = null;

  const error = (res: ServerResponse, code: number, message = `fake error ${code}`, extra: Record<string, string> = {}) => {
    res.writeHead(code, { 'content-type': 'application/json; charset=UTF-8', ...extra });
    res.end(JSON.stringify({ error: { code, message, status: STATUS[code] ?? 'UNKNOWN' } }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const body = raw ? JSON.parse(raw) : null;
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname + url.search, body, headers: req.headers as Record<string, string> });
    const key = req.headers['x-goog-api-key'] ?? url.searchParams.get('key');
    if (opts.apiKey && key !== opts.apiKey) return error(res, 400, 'API key not valid. Please pass a valid API key.');
    const f = fault;
    if (f?.status) return error(res, f.status, `fake error ${f.status}`, f.retryAfter ? { 'retry-after': f.retryAfter } : {});
    if (req.method === 'GET' && url.pathname === '/v1beta/models') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          models: models.map((m) => ({ name: `models/${m}`, displayName: m, supportedGenerationMethods: ['generateContent'] })),
        }),
      );
    }
    const m = /^\/v1beta\/models\/([^:]+):(generateContent|streamGenerateContent)$/.exec(url.pathname);
    if (req.method !== 'POST' || !m) return error(res, 404, 'not found');
    if (!models.includes(decodeURIComponent(m[1]!))) return error(res, 404, `models/${m[1]} is not found for API version v1beta`);
    const contents: any[] = body.contents ?? [];
    for (let i = 0; i < contents.length; i++) {
      const responses = (contents[i].parts ?? []).filter((p: any) => p.functionResponse).map((p: any) => p.functionResponse.name);
      if (!responses.length) continue;
      const calls = (contents[i - 1]?.parts ?? []).filter((p: any) => p.functionCall).map((p: any) => p.functionCall.name);
      if (contents[i - 1]?.role !== 'model' || calls.join() !== responses.join()) {
        return error(
          res,
          400,
          'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.',
        );
      }
      // Gemini 3 models refuse a replayed function call turn whose first call lacks its thought signature.
      const first = (contents[i - 1].parts ?? []).find((p: any) => p.functionCall);
      if (m[1]!.startsWith('gemini-3') && !first.thoughtSignature) {
        return error(
          res,
          400,
          `Function call \`${first.functionCall.name}\` in the ${i - 1}. content block is missing a \`thought_signature\`.`,
        );
      }
      if (
        m[1]!.startsWith('gemini-3') &&
        first.thoughtSignature !== SIGNATURE &&
        first.thoughtSignature !== 'skip_thought_signature_validator'
      )
        return error(res, 400, 'Corrupted thought signature.');
    }
    for (const d of (body.tools ?? []).flatMap((t: any) => t.functionDeclarations ?? [])) {
      if (d.parameters && d.parametersJsonSchema)
        return error(
          res,
          400,
          `Invalid value at 'tools[0].function_declarations': parameters and parameters_json_schema are mutually exclusive.`,
        );
    }
    const offered = (body.tools ?? []).flatMap((t: any) => (t.functionDeclarations ?? []).map((d: any) => d.name));
    const turns = contents.filter((c) => c.role === 'model').length;
    const schema = body.generationConfig?.responseJsonSchema ?? body.generationConfig?.responseSchema;
    const reply = opts.script ? scriptedReply(opts.script, turns, offered, 'call_script_', schema) : replyFor(seen(body));
    const usageMetadata = {
      promptTokenCount: usage.prompt,
      cachedContentTokenCount: usage.cached,
      candidatesTokenCount: usage.candidates,
      thoughtsTokenCount: usage.thoughts,
      totalTokenCount: usage.prompt + usage.candidates + usage.thoughts,
      promptTokensDetails: [{ modality: 'TEXT', tokenCount: usage.prompt }],
    };
    const chunks: any[][] = [];
    if (reply.reasoning) chunks.push([{ text: reply.reasoning, thought: true }]);
    if (reply.text) for (const p of pieces(reply.text)) chunks.push([{ text: p }]);
    if (reply.toolCall)
      chunks.push([{ functionCall: { name: reply.toolCall.name, args: reply.toolCall.args }, thoughtSignature: SIGNATURE }]);
    const wrap = (parts: any[], last: boolean) => ({
      candidates: [{ content: { parts, role: 'model' }, index: 0, ...(last ? { finishReason: 'STOP' } : {}) }],
      usageMetadata: last ? usageMetadata : { promptTokenCount: usage.prompt, totalTokenCount: usage.prompt },
      modelVersion: m[1],
      responseId: 'resp_fake',
    });
    if (m[2] === 'generateContent') {
      res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' });
      return res.end(JSON.stringify(wrap(chunks.flat(), true)));
    }
    if (url.searchParams.get('alt') !== 'sse') return error(res, 400, 'this fake only streams SSE (alt=sse)');
    const frames = chunks.map((parts, i) => `data: ${JSON.stringify(wrap(parts, i === chunks.length - 1))}\r\n\r\n`);
    if (f?.malformed) frames.unshift('data: {"candidates": [\r\n\r\n');
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-goog-fake': '1' });
    await writeSplit(res, frames, 11, f);
  };

  const server = await listenFake(handle, (res) => error(res, 500));
  return {
    url: `http://127.0.0.1:${server.port}/v1beta`,
    requests,
    fault: (x) => (fault = x),
    close: server.close,
  };
}
