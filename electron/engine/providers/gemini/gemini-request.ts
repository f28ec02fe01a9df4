// Gemini generateContent request -> canonical request: what Gemini CLI and Google's SDKs send (contents
// and parts, systemInstruction, function declarations, toolConfig, generationConfig with thinkingConfig).
import { jsonSchemaFromGoogle, lowerGoogleTypeNames } from './google-schema';
import { mergeTurns } from '../openai/openai-request';
import type { CanonicalRequest, Effort, Message, Part, ToolChoice, ToolDef } from '../../canonical/types';

type Json = Record<string, any>;

/** A request body that is not a generateContent request; answered 400 INVALID_ARGUMENT. */
export class GeminiRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeminiRequestError';
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Call ids other vendors accept as they are (OpenAI caps them at 40 characters; Anthropic wants this alphabet). */
const PORTABLE_ID = /^[A-Za-z0-9_-]{1,40}$/;

/**
 * Gives every function call one id, unique in the request, and pairs each response with its call.
 * Google's API leaves ids out (responses answer by name, in order); Gemini CLI makes its own up as
 * `<name>__<id>`; a Gemini upstream numbers calls from `call_0` in every reply, so ids repeat across
 * turns, which Anthropic refuses.
 */
class CallIds {
  private seq = 0;
  private readonly used = new Set<string>();
  /** Calls of the latest model turn not yet answered. */
  private open: Array<{ name: string; id: string; clientId?: string }> = [];

  /** `wanted` when it is portable and still free, else a fresh `call_N`. */
  private unique(wanted?: string): string {
    let id = wanted !== undefined && PORTABLE_ID.test(wanted) ? wanted : undefined;
    while (id === undefined || this.used.has(id)) id = `call_${this.seq++}`;
    this.used.add(id);
    return id;
  }

  newTurn(): void {
    this.open = [];
  }

  call(name: string, clientId: unknown): string {
    const key = typeof clientId === 'string' && clientId ? clientId : undefined;
    const id = this.unique(key?.startsWith(`${name}__`) ? key.slice(name.length + 2) : key);
    this.open.push({ name, id, clientId: key });
    return id;
  }

  result(name: string, clientId: unknown): string {
    const key = typeof clientId === 'string' && clientId ? clientId : undefined;
    let i = key === undefined ? -1 : this.open.findIndex((c) => c.clientId === key);
    if (i === -1) i = this.open.findIndex((c) => c.name === name);
    if (i === -1 && key === undefined && this.open.length) i = 0;
    // A response to no call in the history gets an id of its own: the upstream says what is wrong.
    return i === -1 ? this.unique(key) : this.open.splice(i, 1)[0]!.id;
  }
}

/** The text a tool result carries: Gemini CLI wraps it as `{ output }` (or `{ error }`); anything else goes as JSON. */
function resultContent(response: unknown): { content: string; isError?: boolean } {
  if (isObject(response)) {
    const keys = Object.keys(response);
    if (keys.length === 1 && typeof response.error === 'string') return { content: response.error, isError: true };
    if (keys.length === 1 && typeof response[keys[0]!] === 'string' && ['output', 'content', 'result'].includes(keys[0]!))
      return { content: response[keys[0]!] };
  }
  return { content: JSON.stringify(response ?? {}) };
}

/** Inline data: images as images, text files as text; other media (PDF, audio) have no counterpart elsewhere. */
function inlinePart(d: Json): Part | null {
  const mime = typeof d.mimeType === 'string' ? d.mimeType.toLowerCase() : '';
  if (typeof d.data !== 'string') return null;
  if (mime.startsWith('image/')) return { type: 'image', data: d.data, mediaType: mime };
  if (mime.startsWith('text/')) return { type: 'text', text: Buffer.from(d.data, 'base64').toString('utf8') };
  return null;
}

function decodeParts(parts: Json[], role: 'user' | 'assistant', ids: CallIds): Part[] {
  const out: Part[] = [];
  const trailing: Part[] = [];
  for (const p of parts) {
    if (!isObject(p)) continue;
    if (typeof p.text === 'string') {
      // Gemini's thought signatures are Google's alone: other vendors refuse them, so they are not carried.
      if (p.text) out.push(p.thought === true ? { type: 'reasoning', text: p.text } : { type: 'text', text: p.text });
    } else if (isObject(p.inlineData)) {
      const part = inlinePart(p.inlineData);
      if (part) out.push(part);
    } else if (isObject(p.fileData)) {
      const uri = String(p.fileData.fileUri ?? '');
      if (/^https?:\/\//i.test(uri) && String(p.fileData.mimeType ?? 'image/').startsWith('image/')) out.push({ type: 'image', url: uri });
    } else if (isObject(p.functionCall) && role === 'assistant') {
      const name = String(p.functionCall.name ?? '');
      out.push({ type: 'tool_call', id: ids.call(name, p.functionCall.id), name, arguments: JSON.stringify(p.functionCall.args ?? {}) });
    } else if (isObject(p.functionResponse)) {
      const name = String(p.functionResponse.name ?? '');
      out.push({
        type: 'tool_result',
        toolCallId: ids.result(name, p.functionResponse.id),
        name,
        ...resultContent(p.functionResponse.response),
      });
      // Images a tool returned follow the results as user images (no vendor's tool message carries them).
      for (const inner of Array.isArray(p.functionResponse.parts) ? (p.functionResponse.parts as Json[]) : []) {
        const part = isObject(inner?.inlineData) ? inlinePart(inner.inlineData) : null;
        if (part) trailing.push(part);
      }
    }
    // executableCode, codeExecutionResult, videoMetadata: Google's hosted tools, served by no other vendor.
  }
  return [...out, ...trailing];
}

function systemText(instruction: unknown): string {
  if (typeof instruction === 'string') return instruction;
  if (!isObject(instruction) || !Array.isArray(instruction.parts)) return '';
  return (instruction.parts as Json[])
    .filter((p) => typeof p?.text === 'string')
    .map((p) => p.text as string)
    .join('\n');
}

function decodeTools(tools: unknown): ToolDef[] {
  const out: ToolDef[] = [];
  // googleSearch, codeExecution, urlContext...: Google's hosted tools are left out.
  for (const tool of Array.isArray(tools) ? (tools as Json[]) : []) {
    for (const d of Array.isArray(tool?.functionDeclarations) ? (tool.functionDeclarations as Json[]) : []) {
      if (!isObject(d) || typeof d.name !== 'string' || !d.name) continue;
      const parameters = isObject(d.parametersJsonSchema)
        ? (lowerGoogleTypeNames(d.parametersJsonSchema) as Json)
        : isObject(d.parameters)
          ? jsonSchemaFromGoogle(d.parameters)
          : { type: 'object', properties: {} };
      out.push({ name: d.name, ...(typeof d.description === 'string' ? { description: d.description } : {}), parameters });
    }
  }
  return out;
}

function decodeToolChoice(config: unknown): ToolChoice | undefined {
  const f = isObject(config) ? config.functionCallingConfig : undefined;
  if (!isObject(f)) return undefined;
  const mode = String(f.mode ?? '').toUpperCase();
  if (mode === 'NONE') return 'none';
  if (mode === 'ANY') {
    const names = Array.isArray(f.allowedFunctionNames) ? f.allowedFunctionNames : [];
    return names.length === 1 ? { name: String(names[0]) } : 'required';
  }
  return mode === 'AUTO' || mode === 'VALIDATED' ? 'auto' : undefined;
}

const LEVELS: Record<string, Effort> = { MINIMAL: 'minimal', LOW: 'low', MEDIUM: 'medium', HIGH: 'high' };

/** thinkingBudget 0 turns thinking off, -1 lets the model decide; Gemini 3 names a level instead. */
function decodeThinking(t: unknown): CanonicalRequest['reasoning'] {
  if (!isObject(t)) return undefined;
  const level = typeof t.thinkingLevel === 'string' ? LEVELS[t.thinkingLevel.toUpperCase()] : undefined;
  if (level) return { effort: level };
  if (typeof t.thinkingBudget === 'number') {
    if (t.thinkingBudget === 0) return undefined;
    return t.thinkingBudget > 0 ? { budgetTokens: t.thinkingBudget } : { effort: 'medium' };
  }
  return t.includeThoughts === true ? { effort: 'medium' } : undefined;
}

function applyGenerationConfig(req: CanonicalRequest, g: Json): void {
  if (typeof g.temperature === 'number') req.temperature = g.temperature;
  if (typeof g.topP === 'number') req.topP = g.topP;
  if (typeof g.topK === 'number') req.topK = g.topK;
  if (typeof g.maxOutputTokens === 'number' && g.maxOutputTokens > 0) req.maxTokens = g.maxOutputTokens;
  if (Array.isArray(g.stopSequences) && g.stopSequences.length) req.stop = g.stopSequences.map(String);
  if (g.responseMimeType === 'application/json') {
    if (isObject(g.responseJsonSchema))
      req.responseFormat = { type: 'json_schema', schema: lowerGoogleTypeNames(g.responseJsonSchema) as Json };
    else if (isObject(g.responseSchema)) req.responseFormat = { type: 'json_schema', schema: jsonSchemaFromGoogle(g.responseSchema) };
    else req.responseFormat = { type: 'json_object' };
  }
  const reasoning = decodeThinking(g.thinkingConfig);
  if (reasoning) req.reasoning = reasoning;
}

/** What is wrong with a generateContent body, in Google's words, or null. */
export function validateGeminiRequest(body: unknown): string | null {
  if (!isObject(body)) return 'Invalid JSON payload received: the request body must be a JSON object.';
  if (!Array.isArray(body.contents) || body.contents.length === 0) return '* GenerateContentRequest.contents: contents is not specified';
  for (const [i, c] of (body.contents as unknown[]).entries()) {
    if (!isObject(c) || !Array.isArray(c.parts) || c.parts.length === 0)
      return `* GenerateContentRequest.contents[${i}].parts: contents.parts must not be empty.`;
    if (c.role !== undefined && c.role !== 'user' && c.role !== 'model' && c.role !== 'function')
      return `* GenerateContentRequest.contents[${i}].role: Please use a valid role: user, model.`;
  }
  if (body.generationConfig !== undefined && !isObject(body.generationConfig))
    return 'Invalid JSON payload received: generationConfig must be an object.';
  return null;
}

/** Decodes a validated body; the model comes from the path (`models/{model}:generateContent`). */
export function decodeGeminiRequest(body: Json, model: string, stream: boolean): CanonicalRequest {
  const invalid = validateGeminiRequest(body);
  if (invalid) throw new GeminiRequestError(invalid);
  const ids = new CallIds();
  const messages: Message[] = [];
  for (const c of body.contents as Json[]) {
    const role = c.role === 'model' ? 'assistant' : 'user';
    if (role === 'assistant') ids.newTurn();
    messages.push({ role, parts: decodeParts(c.parts as Json[], role, ids) });
  }
  const req: CanonicalRequest = { model, messages: mergeTurns(messages.filter((m) => m.parts.length > 0)), stream };
  const system = systemText(body.systemInstruction);
  if (system) req.system = system;
  const tools = decodeTools(body.tools);
  if (tools.length) {
    req.tools = tools;
    const choice = decodeToolChoice(body.toolConfig);
    if (choice) req.toolChoice = choice;
  }
  if (isObject(body.generationConfig)) applyGenerationConfig(req, body.generationConfig);
  return req;
}
