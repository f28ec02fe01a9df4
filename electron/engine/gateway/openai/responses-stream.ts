// Turns a Chat Completions chunk stream into the Responses API's typed SSE events
// (response.created … output_text.delta … function_call_arguments.delta … response.completed).
import { toolPlan, type ToolPlan } from './responses-tools';
import { functionCallItem, messageItem, newId, responseEnvelope, responsesUsage } from './responses-translate';

type Json = Record<string, any>;

interface OpenItem {
  kind: 'message' | 'function_call';
  outputIndex: number;
  id: string;
  text: string;
  callId: string;
  name: string;
}

export class ResponsesStreamWriter {
  private seq = 0;
  private readonly id = newId('resp');
  private readonly createdAt = Math.floor(Date.now() / 1000);
  private readonly items: OpenItem[] = [];
  private message: OpenItem | null = null;
  private readonly calls = new Map<number, OpenItem>();
  private finishReason: string | null = null;
  usage: Json | null = null;
  /** Maps the chat names of namespaced tools back to the name and namespace the client offered. */
  private readonly plan: ToolPlan;

  constructor(
    private readonly request: Json,
    private readonly write: (text: string) => void,
  ) {
    this.plan = toolPlan(request);
  }

  private emit(type: string, payload: Json): void {
    this.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.seq++, ...payload })}\n\n`);
  }

  start(): void {
    const response = responseEnvelope(this.request, this.id, this.createdAt, 'in_progress', [], null);
    this.emit('response.created', { response });
    this.emit('response.in_progress', { response });
  }

  private openItem(kind: OpenItem['kind'], callId = '', name = ''): OpenItem {
    const item: OpenItem = { kind, outputIndex: this.items.length, id: newId(kind === 'message' ? 'msg' : 'fc'), text: '', callId, name };
    this.items.push(item);
    if (kind === 'message') {
      this.emit('response.output_item.added', { output_index: item.outputIndex, item: messageItem(item.id, '', 'in_progress') });
      this.emit('response.content_part.added', {
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
    } else {
      this.emit('response.output_item.added', {
        output_index: item.outputIndex,
        item: functionCallItem(item.id, callId, this.plan.refOf(name), '', 'in_progress'),
      });
    }
    return item;
  }

  /** One parsed chat.completion.chunk. */
  chunk(chunk: Json): void {
    if (chunk.usage) this.usage = chunk.usage;
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content) {
      this.message ??= this.openItem('message');
      this.message.text += delta.content;
      this.emit('response.output_text.delta', {
        item_id: this.message.id,
        output_index: this.message.outputIndex,
        content_index: 0,
        delta: delta.content,
        logprobs: [],
      });
    }
    for (const call of (delta.tool_calls ?? []) as Json[]) {
      const index = typeof call.index === 'number' ? call.index : 0;
      let item = this.calls.get(index);
      if (!item) {
        item = this.openItem('function_call', call.id ?? newId('call'), call.function?.name ?? '');
        this.calls.set(index, item);
      } else if (call.function?.name && !item.name) item.name = call.function.name;
      const args = call.function?.arguments;
      if (typeof args === 'string' && args) {
        item.text += args;
        this.emit('response.function_call_arguments.delta', { item_id: item.id, output_index: item.outputIndex, delta: args });
      }
    }
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  private finalItem(item: OpenItem): Json {
    return item.kind === 'message'
      ? messageItem(item.id, item.text, 'completed')
      : functionCallItem(item.id, item.callId, this.plan.refOf(item.name), item.text, 'completed');
  }

  /** Closes every open item and sends response.completed (or .incomplete when the model hit its limit). */
  finish(): void {
    for (const item of this.items) {
      if (item.kind === 'message') {
        this.emit('response.output_text.done', {
          item_id: item.id,
          output_index: item.outputIndex,
          content_index: 0,
          text: item.text,
          logprobs: [],
        });
        this.emit('response.content_part.done', {
          item_id: item.id,
          output_index: item.outputIndex,
          content_index: 0,
          part: { type: 'output_text', text: item.text, annotations: [] },
        });
      } else {
        this.emit('response.function_call_arguments.done', {
          item_id: item.id,
          output_index: item.outputIndex,
          name: this.plan.refOf(item.name).name,
          arguments: item.text,
        });
      }
      this.emit('response.output_item.done', { output_index: item.outputIndex, item: this.finalItem(item) });
    }
    const response = responseEnvelope(
      this.request,
      this.id,
      this.createdAt,
      'completed',
      this.items.map((i) => this.finalItem(i)),
      responsesUsage(this.usage),
      this.finishReason,
    );
    this.emit(response.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response });
  }

  /** After the stream started, a failure is an `error` event and `response.failed`, never a clean end. */
  fail(message: string): void {
    this.emit('error', { code: 'server_error', message, param: null });
    const response = responseEnvelope(
      this.request,
      this.id,
      this.createdAt,
      'failed',
      this.items.map((i) => this.finalItem(i)),
      responsesUsage(this.usage),
    );
    response.error = { code: 'server_error', message };
    this.emit('response.failed', { response });
  }
}
