// A local estimate of a request's input tokens, for count-tokens endpoints whose model has no exact
// counter: BPE-counted text and tool schemas, plus a few tokens per message and image.
import { countTokens } from '../catalog/tokenizer';
import type { CanonicalRequest } from './types';

/** Rough but stable: the same request always counts the same. */
export function estimateCanonicalTokens(req: CanonicalRequest): number {
  let tokens = req.system ? countTokens(req.system) : 0;
  for (const m of req.messages) {
    tokens += 4;
    for (const p of m.parts) {
      if (p.type === 'text' || p.type === 'reasoning') tokens += countTokens(p.text);
      else if (p.type === 'tool_result') tokens += countTokens(p.content);
      else if (p.type === 'tool_call') tokens += countTokens(p.name + p.arguments);
      else if (p.type === 'image') tokens += 1000; // Anthropic's own rule of thumb for a ~1MP image
    }
  }
  for (const t of req.tools ?? []) tokens += countTokens(`${t.name} ${t.description ?? ''} ${JSON.stringify(t.parameters)}`);
  return tokens;
}
