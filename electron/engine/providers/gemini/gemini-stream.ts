// Canonical events -> Gemini GenerateContentResponse chunks (streamGenerateContent) and the whole reply
// (generateContent), for Gemini CLI and Google's SDKs in front of any upstream. Function calls go out
// whole, as Gemini sends them; the last chunk carries finishReason and usageMetadata.
import type { CanonicalResponse, FinishReason, Part, StreamEvent } from '../../canonical/types';
import { parseArgs } from '../../canonical/types';
import { emptyUsage, toGeminiUsage } from '../../canonical/usage';
import { CallHoldingEncoder } from '../held-calls';

type Json = Record<string, any>;

/** Gemini reports STOP for a turn that ends in function calls too. */
const FINISH_OUT: Record<FinishReason, string> = {
  stop: 'STOP',
  length: 'MAX_TOKENS',
  tool_calls: 'STOP',
  content_filter: 'SAFETY',
  error: 'OTHER',
};

export interface GeminiEncodeOptions {
  /** The model named in the path: reported as modelVersion until the upstream names its own. */
  model: string;
  /** Thought parts are sent only to clients that asked (`thinkingConfig.includeThoughts`), as Gemini does. */
  includeThoughts: boolean;
}

const responseId = (): string => Math.random().toString(36).slice(2, 14);

const callPart = (c: { id: string; name: string; args: string }): Json => ({
  functionCall: { id: c.id, name: c.name, args: parseArgs(c.args) },
});

function candidate(parts: Json[], finish?: FinishReason): Json {
  return { content: { parts, role: 'model' }, ...(finish ? { finishReason: FINISH_OUT[finish] } : {}), index: 0 };
}

/** Canonical events -> GenerateContentResponse objects, each one SSE event (or array element) for the client. */
export class GeminiChunkEncoder extends CallHoldingEncoder {
  private model: string;
  private id = responseId();

  constructor(private readonly opts: GeminiEncodeOptions) {
    super();
    this.model = opts.model;
  }

  private chunk(parts: Json[], finish?: FinishReason): Json {
    const chunk: Json = { candidates: [candidate(parts, finish)] };
    if (finish) chunk.usageMetadata = toGeminiUsage(this.usage ?? emptyUsage());
    chunk.modelVersion = this.model;
    chunk.responseId = this.id;
    return chunk;
  }

  /** Calls whose arguments are complete (anything else has started since), in order. */
  private takeCalls(): Json[] {
    const parts = [...this.calls.values()].map(callPart);
    this.calls.clear();
    return parts;
  }

  private withCalls(part: Json): Json[] {
    const calls = this.takeCalls();
    return calls.length ? [this.chunk(calls), this.chunk([part])] : [this.chunk([part])];
  }

  encode(e: StreamEvent): Json[] {
    switch (e.type) {
      case 'start':
        if (e.id) this.id = e.id;
        if (e.model) this.model = e.model;
        return [];
      case 'text':
        return e.text ? this.withCalls({ text: e.text }) : [];
      case 'reasoning':
        return this.opts.includeThoughts && e.text ? this.withCalls({ text: e.text, thought: true }) : [];
      default:
        // Calls, finish and usage are held for the end; signatures and redacted thinking belong to their own vendor.
        this.hold(e);
        return [];
    }
  }

  /** The last chunk: any calls still held, the finish reason and the usage. */
  end(): Json {
    return this.chunk(this.takeCalls(), this.finish);
  }
}

function responsePart(p: Part, includeThoughts: boolean): Json | null {
  if (p.type === 'text') return p.text ? { text: p.text } : null;
  if (p.type === 'reasoning') return includeThoughts && p.text ? { text: p.text, thought: true } : null;
  if (p.type === 'tool_call') return callPart({ id: p.id, name: p.name, args: p.arguments });
  return null;
}

/** A whole reply as generateContent's GenerateContentResponse. */
export function geminiResponseBody(r: CanonicalResponse, opts: GeminiEncodeOptions): Json {
  const parts = r.parts.map((p) => responsePart(p, opts.includeThoughts)).filter((p): p is Json => p !== null);
  return {
    candidates: [candidate(parts, r.finishReason)],
    usageMetadata: toGeminiUsage(r.usage ?? emptyUsage()),
    modelVersion: r.model || opts.model,
    responseId: r.id || responseId(),
  };
}
