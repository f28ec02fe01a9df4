// Collects the tool calls a model streams in OpenAI's shape (`tool_calls` deltas: the first names a
// call, the rest carry its arguments in pieces), so the chat can show and keep each one whole. The
// chat offers no tools, but some models and servers call one anyway; an empty bubble hid that.
import type { ToolCallInfo } from '../../../shared/types';

/** More than this much argument text per call is cut: the chat shows calls, it does not run them. */
const MAX_ARGUMENTS = 256 * 1024;

type Delta = { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };

export class ToolCallCollector {
  private readonly calls = new Map<number, ToolCallInfo>();

  /** Reads one stream event's data; true when it carried part of a tool call. */
  read(data: string): boolean {
    // Most chunks are text: skip the parse unless the chunk can hold a call.
    if (data.indexOf('"tool_calls"') === -1) return false;
    let deltas: unknown;
    try {
      deltas = (JSON.parse(data) as { choices?: Array<{ delta?: { tool_calls?: unknown } }> }).choices?.[0]?.delta?.tool_calls;
    } catch {
      return false; // the stream tap reports unreadable chunks
    }
    if (!Array.isArray(deltas) || deltas.length === 0) return false;
    for (const d of deltas as Delta[]) {
      const index = typeof d?.index === 'number' ? d.index : this.calls.size;
      const call = this.calls.get(index) ?? { id: '', name: '', arguments: '' };
      if (typeof d?.id === 'string' && !call.id) call.id = d.id;
      if (typeof d?.function?.name === 'string') call.name += d.function.name;
      if (typeof d?.function?.arguments === 'string' && call.arguments.length < MAX_ARGUMENTS)
        call.arguments = (call.arguments + d.function.arguments).slice(0, MAX_ARGUMENTS);
      this.calls.set(index, call);
    }
    return true;
  }

  /** The calls so far, in the order the model numbered them (nameless fragments left out). */
  list(): ToolCallInfo[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .filter(([, c]) => c.name)
      .map(([index, c]) => ({ id: c.id || `call_${index}`, name: c.name, arguments: c.arguments }));
  }
}
