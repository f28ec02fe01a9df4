// What every protocol fake answers, decided from what it understood of the request, so the
// translation matrix can assert the same reply whatever the pair: a tool call when tools are offered,
// an echo of the tool result, a description of an image, or an echo of the text; thinking when asked.
import type { ServerResponse } from 'node:http';

export interface SeenRequest {
  lastUserText: string;
  toolResult?: string;
  toolNames: string[];
  image?: { mediaType: string; bytes: number };
  thinking: boolean;
}

export interface Reply {
  reasoning?: string;
  text?: string;
  toolCall?: { id: string; name: string; args: Record<string, unknown> };
}

export const TOOL_ARGS = { city: 'Paris', unit: 'celsius' };
// Multi-byte characters, so byte-level splits land inside them.
export const THOUGHT = 'Let me think — naïvely, step by step… ✓';

export function replyFor(seen: SeenRequest): Reply {
  const reasoning = seen.thinking ? THOUGHT : undefined;
  if (seen.toolResult !== undefined) return { reasoning, text: `Tool said: ${seen.toolResult}` };
  if (seen.toolNames.length) return { reasoning, toolCall: { id: 'call_fake_1', name: seen.toolNames[0]!, args: TOOL_ARGS } };
  if (seen.image) return { reasoning, text: `I see a ${seen.image.mediaType} image of ${seen.image.bytes} bytes.` };
  return { reasoning, text: `Echo: ${seen.lastUserText}` };
}

/** One reply of a scripted conversation: final text, or a call of one of the client's own tools. */
export type ScriptStep = { text: string } | { toolCall: { name: string; args: Record<string, unknown> } };

/**
 * Scripted mode: a conversation that already holds N assistant turns gets step N (the first request
 * step 0, the one carrying step 0's tool result step 1), so a client's side requests cannot shift the
 * script. A tool call is made only when the request offers that tool; past the script's end, text.
 */
export function scriptedReply(
  script: readonly ScriptStep[],
  assistantTurns: number,
  offered: readonly string[],
  idPrefix: string,
  jsonSchema?: unknown,
): Reply {
  // A side request that wants JSON by a schema (a client's routing classifier, say) gets what a model would send.
  if (jsonSchema !== undefined && jsonSchema !== null) return { text: JSON.stringify(schemaInstance(jsonSchema)) };
  const step = script[assistantTurns];
  if (!step) return { text: "(the fake upstream's script has ended)" };
  if ('text' in step) return { text: step.text };
  if (!offered.includes(step.toolCall.name))
    return { text: `(the fake upstream's script calls ${step.toolCall.name}, which this request does not offer)` };
  return { toolCall: { id: `${idPrefix}${assistantTurns + 1}`, name: step.toolCall.name, args: step.toolCall.args } };
}

/** The smallest value a JSON Schema accepts, roughly: required properties filled, numbers at their minimum (else 1). */
export function schemaInstance(schema: unknown, depth = 0): unknown {
  const s = (schema ?? {}) as Record<string, any>;
  if (depth > 16) return null;
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const type = String(Array.isArray(s.type) ? s.type[0] : (s.type ?? 'object')).toLowerCase();
  if (type === 'string') return '';
  if (type === 'integer' || type === 'number') return typeof s.minimum === 'number' ? s.minimum : 1;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  if (type === 'null') return null;
  const required: string[] = Array.isArray(s.required) ? s.required : [];
  return Object.fromEntries(required.map((name) => [name, schemaInstance(s.properties?.[name], depth + 1)]));
}

/** Bytes of a base64 payload. */
export const b64Bytes = (data: string): number => Buffer.from(data, 'base64').length;

/** Splits text into pieces (the way a model streams tokens). */
export function pieces(text: string, n = 3): string[] {
  const size = Math.max(1, Math.ceil(text.length / n));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

export interface StreamFault {
  status?: number;
  retryAfter?: string;
  /** Cut the connection after this many frames. */
  afterFrames?: number;
  /** Send a malformed frame first. */
  malformed?: boolean;
  /** Delay between frames (for cancellation tests). */
  frameDelayMs?: number;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes frames split at awkward byte boundaries (every `split` bytes, straight through multi-byte
 * characters and frame separators), so readers must reassemble what they get.
 */
export async function writeSplit(res: ServerResponse, frames: string[], split = 7, fault: StreamFault | null = null): Promise<void> {
  let sent = 0;
  for (const frame of frames) {
    if (fault?.afterFrames !== undefined && sent >= fault.afterFrames) {
      await new Promise<void>((resolve) => res.write('', () => resolve()));
      await new Promise((resolve) => setTimeout(resolve, 10));
      res.socket?.destroy();
      return;
    }
    if (fault?.frameDelayMs) await new Promise((resolve) => setTimeout(resolve, fault.frameDelayMs));
    const bytes = Buffer.from(frame, 'utf8');
    for (let i = 0; i < bytes.length; i += split) {
      if (res.destroyed) return;
      res.write(bytes.subarray(i, i + split));
      await tick();
    }
    sent++;
  }
  res.end();
}

export async function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  let raw = '';
  req.setEncoding('utf8');
  for await (const d of req) raw += d as string;
  return raw;
}
