// The canonical request, message, stream-event and response types every dialect and provider
// translates through (docs/architecture.md §4): one shape that carries what users actually send,
// losslessly.
import type { Usage } from './usage';

/**
 * `system` is a system message inside the conversation (Anthropic clients such as Claude Code send them
 * mid-conversation); encoders keep it at its position. The leading system prompt is `CanonicalRequest.system`.
 */
export type Role = 'user' | 'assistant' | 'system';

export type Part =
  | { type: 'text'; text: string; cache?: boolean }
  /** An image by URL (http(s)) or inline base64 `data` with its media type. */
  | { type: 'image'; url?: string; data?: string; mediaType?: string }
  /** A tool call the assistant made; `arguments` is the JSON text of the call's input. */
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_result'; toolCallId: string; name?: string; content: string; isError?: boolean }
  /** Thinking the model showed; `signature` (Anthropic, Gemini) must go back unchanged on later turns. */
  | { type: 'reasoning'; text: string; signature?: string; redacted?: string };

export interface Message {
  role: Role;
  parts: Part[];
}

export interface ToolDef {
  name: string;
  description?: string;
  /** JSON Schema of the input. */
  parameters: Record<string, unknown>;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type ResponseFormat =
  { type: 'json_object' } | { type: 'json_schema'; name?: string; schema: Record<string, unknown>; strict?: boolean };

export type Effort = 'minimal' | 'low' | 'medium' | 'high';

export interface CanonicalRequest {
  /** The model the client asked for (routing replaces it with each target's model). */
  model: string;
  system?: string;
  /** The client marked its system prompt for prompt caching (Anthropic `cache_control`). */
  systemCache?: boolean;
  messages: Message[];
  tools?: ToolDef[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  stop?: string[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  /** Thinking asked for: an effort level, a token budget, or both (each adapter uses what its API takes). */
  reasoning?: { effort?: Effort; budgetTokens?: number };
  stream: boolean;
}

export type FinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter' | 'error';

/** One thing that happened in a reply, in order. Tool calls arrive as a start and argument deltas. */
export type StreamEvent =
  | { type: 'start'; id?: string; model?: string }
  | { type: 'text'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'reasoning_signature'; signature: string }
  | { type: 'reasoning_redacted'; data: string }
  | { type: 'tool_call_start'; index: number; id: string; name: string }
  | { type: 'tool_call_delta'; index: number; arguments: string }
  | { type: 'finish'; reason: FinishReason; stopSequence?: string }
  | { type: 'usage'; usage: Usage };

/** A whole reply (non-streaming), built from the events. */
export interface CanonicalResponse {
  id: string;
  model: string;
  parts: Part[];
  finishReason: FinishReason;
  stopSequence?: string;
  usage: Usage | null;
}

/** Events that show the client something (or end the reply): the first one commits a target. */
export const isFirstToken = (e: StreamEvent): boolean => e.type !== 'start' && e.type !== 'usage';

/** The text of a message's parts of one kind (its answer, or its reasoning), joined. */
export const partsText = (parts: readonly Part[], type: 'text' | 'reasoning'): string =>
  parts
    .filter((p) => p.type === type)
    .map((p) => (p as { text: string }).text)
    .join('');

/**
 * Tool-call argument text as the JSON value it spells, for a vendor's request or reply (empty: `{}`); text
 * that is not JSON goes as `{ _raw }` rather than failing the request. Unlike parseArgs, any value passes.
 */
export function argumentsValue(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return { _raw: text };
  }
}

/** Parses tool-call argument text into an object, tolerating an empty string. */
export function parseArgs(text: string): Record<string, unknown> {
  if (!text.trim()) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { _raw: text };
  }
}

/** Splits a `data:` URL into media type and base64 data. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | null {
  const m = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(url);
  return m ? { mediaType: m[1]!, data: m[2]! } : null;
}

/** The words a system message is wrapped in where a protocol has no system turn inside the conversation. */
export const markSystemText = (text: string): string => `<system>\n${text}\n</system>`;

/**
 * For protocols whose only system prompt is the leading one (Gemini, Anthropic without its beta): each
 * system message becomes user text marked as system at its position, merged into the user turn it meets
 * so turns still alternate.
 */
export function systemAsUserTurns(messages: Message[]): Message[] {
  const out: Message[] = [];
  for (const m of messages) {
    const text =
      m.role === 'system'
        ? m.parts
            .map((p) => (p.type === 'text' ? p.text : ''))
            .filter(Boolean)
            .join('\n')
        : '';
    if (m.role === 'system' && !text) continue;
    const turn: Message = m.role === 'system' ? { role: 'user', parts: [{ type: 'text', text: markSystemText(text) }] } : m;
    const prev = out[out.length - 1];
    if (prev && prev.role === turn.role) out[out.length - 1] = { role: prev.role, parts: [...prev.parts, ...turn.parts] };
    else out.push(turn);
  }
  return out;
}

/** Fills tool_result names from the assistant calls they answer (Gemini and Ollama need the name). */
export function nameToolResults(messages: Message[]): void {
  const names = new Map<string, string>();
  for (const m of messages) {
    for (const p of m.parts) {
      if (p.type === 'tool_call') names.set(p.id, p.name);
      else if (p.type === 'tool_result' && !p.name) p.name = names.get(p.toolCallId);
    }
  }
}
