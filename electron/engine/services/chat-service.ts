// The chat screen's service: sends a conversation through the same router and ledger as the port,
// and turns the upstream stream into the contract's ChatStreamEvents.
import type { ChatService } from '../../../shared/contract';
import type { ChatMessage, ChatRequest, ChatStreamEvent } from '../../../shared/types';
import { RequestMeter } from '../accounting';
import { budgetPreflight } from '../budgets';
import type { Budgets } from '../budgets/budgets';
import { APP_CLIENT, type Ledger } from '../ledger/types';
import { OpenAIStreamTap } from '../providers/openai-chunks';
import { dispatchStream } from '../router/dispatch';
import { RoutingError } from '../router/failures';
import type { RouteTable } from '../router/resolve';
import type { Vault } from '../vault/types';

/** Checks image parts: a `data:image/...` URL or an https URL, nothing else reaches an upstream. */
function checkContent(content: ChatMessage['content']): void {
  if (typeof content === 'string') return;
  if (!Array.isArray(content)) throw new Error('a message content must be text or a list of parts');
  for (const part of content) {
    if (part?.type === 'text' && typeof part.text === 'string') continue;
    const url = part?.type === 'image_url' ? part.image_url?.url : undefined;
    if (typeof url === 'string' && (/^data:image\/(png|jpeg|gif|webp);base64,/.test(url) || url.startsWith('https://'))) continue;
    throw new Error('a message part must be {type:"text"} or {type:"image_url"} with a data:image/… or https URL');
  }
}

/** A message's text parts, joined. */
function storedText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

/** What the conversation store keeps of a message: its text and its images' URLs. */
function storedMessage(m: ChatMessage): { role: ChatMessage['role']; content: string; images?: string[] } {
  const images = typeof m.content === 'string' ? [] : m.content.flatMap((p) => (p.type === 'image_url' ? [p.image_url.url] : []));
  return images.length ? { role: m.role, content: storedText(m.content), images } : { role: m.role, content: storedText(m.content) };
}

function toOpenAIBody(request: ChatRequest): Record<string, unknown> {
  if (!request || typeof request.model !== 'string' || !Array.isArray(request.messages) || request.messages.length === 0) {
    throw new Error('a chat request needs a model and at least one message');
  }
  for (const m of request.messages) checkContent(m?.content);
  const body: Record<string, unknown> = { model: request.model, messages: request.messages, stream: true };
  if (request.maxTokens !== undefined) body.max_tokens = request.maxTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  if (request.reasoningEffort !== undefined) {
    if (!['low', 'medium', 'high'].includes(request.reasoningEffort)) throw new Error('reasoningEffort must be low, medium or high');
    body.reasoning_effort = request.reasoningEffort;
  }
  return body;
}

export function createChatService(deps: { table: () => RouteTable; vault: Vault; ledger: Ledger; budgets?: Budgets }): ChatService {
  return {
    async *stream(request: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent> {
      const body = toOpenAIBody(request);
      const abort = signal ?? new AbortController().signal;
      let resolution;
      try {
        resolution = deps.table().resolve(request.model);
      } catch (error) {
        yield { type: 'error', message: (error as Error).message };
        return;
      }
      // The app's own requests are a client like any tool's: named `app` in spend and held to its budgets.
      const meter = new RequestMeter(deps.ledger, request.source === 'compare' ? 'compare' : 'chat', APP_CLIENT, resolution.route);
      meter.requestedModel = request.model;
      meter.body = body;
      const preflight = budgetPreflight({ budgets: deps.budgets, meter, client: APP_CLIENT, body, targets: resolution.targets, deadlineMs: resolution.plan.timeouts.totalMs });
      let served;
      try {
        served = await dispatchStream({ body, targets: resolution.targets, vault: deps.vault, signal: abort, plan: resolution.plan, stream: true, scope: `chat\0${resolution.route ?? request.model}`, preflight, onAttempt: meter.attempted });
      } catch (error) {
        const e = error as RoutingError;
        meter.finish({ status: abort.aborted ? 'cancelled' : 'error', httpStatus: e.status ?? 500, attempts: e.attempts ?? [], errorMessage: e.message });
        if (!abort.aborted) yield { type: 'error', message: e.message };
        return;
      }
      const tap = new OpenAIStreamTap();
      const outcome = { target: served.target, attempts: served.attempts };
      const usedModel = `${served.target.provider.id}/${served.target.model}`;
      let reply = '';
      // The user's turns are stored when the reply's first text arrives (a request that fails before
      // then leaves no trace); the reply is stored when it ends, or as far as it got when it is stopped.
      let conversationId: string | undefined;
      let stored = false;
      let finished = false;
      let failed = false;
      try {
        for (const source of [served.head, served.rest]) {
          for await (const event of source) {
            const chunk = tap.read(event);
            if (chunk.reasoning) {
              meter.firstToken();
              yield { type: 'reasoning', text: chunk.reasoning };
            }
            if (chunk.text) {
              meter.firstToken();
              if (!stored && !request.ephemeral) {
                stored = true;
                conversationId = saveTurns(deps.ledger, request);
                if (conversationId) yield { type: 'conversation', conversationId };
              }
              reply += chunk.text;
              yield { type: 'delta', text: chunk.text };
            }
          }
        }
        finished = true;
      } catch (error) {
        const cancelled = abort.aborted;
        // Stopped (the signal aborted the stream under us) is not failed: the text so far is kept.
        failed = !cancelled;
        meter.finish({ status: cancelled ? 'cancelled' : 'error', httpStatus: cancelled ? 499 : 502, ...outcome, usage: tap.finalUsage(), output: tap.text, errorMessage: (error as Error).message });
        if (!cancelled) yield { type: 'error', message: `${served.target.provider.id} failed mid-stream: ${(error as Error).message}` };
        return;
      } finally {
        // A consumer that stops iterating early (the user pressed Stop) lands here too.
        const stopped = !finished && !failed;
        if (abort.aborted || stopped) meter.finish({ status: 'cancelled', httpStatus: 499, ...outcome, usage: tap.finalUsage(), output: tap.text });
        if (stopped && conversationId && reply) saveReply(deps.ledger, conversationId, reply, usedModel, meter.id);
      }
      // Without reported usage the row's figures are rough until the tokenizer's count replaces them in the ledger.
      const row = meter.finish({ status: 'ok', httpStatus: 200, ...outcome, usage: tap.finalUsage(), output: tap.text });
      if (!stored && !request.ephemeral) conversationId = saveTurns(deps.ledger, request);
      if (conversationId) saveReply(deps.ledger, conversationId, reply, usedModel, meter.id);
      yield {
        type: 'done',
        provider: served.target.provider.id,
        model: served.target.model,
        usage: { inputTokens: row?.inputTokens ?? 0, outputTokens: row?.outputTokens ?? 0 },
        costUsd: row?.costUsd ?? null,
        ttftMs: meter.ttftMs,
        attempts: served.attempts.length,
        requestId: meter.id,
        ...(conversationId ? { conversationId } : {}),
      };
    },
  };
}

/** Stores the request's new user turns (creating the conversation if needed); a storage failure never fails the chat. */
function saveTurns(ledger: Ledger, request: ChatRequest): string | undefined {
  try {
    const store = ledger.conversations;
    let id = request.conversationId;
    // A continued conversation already holds the earlier turns: only the newest user turn is new.
    let fresh = id ? request.messages.slice(-1) : request.messages;
    // `has`, not `get`: get would wait for the ledger writer, on the event loop that serves the port.
    if (!id || !store.has(id)) {
      const firstUser = storedText(request.messages.find((m) => m.role === 'user')?.content ?? 'Chat') || 'Chat';
      id = store.create('chat', firstUser.slice(0, 80)).id;
      fresh = request.messages;
    }
    store.append(id, fresh.map(storedMessage));
    return id;
  } catch (error) {
    console.error(`switchboard chat: could not save the conversation: ${(error as Error).message}`);
    return undefined;
  }
}

/** Stores the reply (whole, or as far as it got when stopped) after the turns saveTurns stored. */
function saveReply(ledger: Ledger, conversationId: string, reply: string, model: string, requestId: string): void {
  try {
    ledger.conversations.append(conversationId, [{ role: 'assistant', content: reply, model, requestId }]);
  } catch (error) {
    console.error(`switchboard chat: could not save the reply: ${(error as Error).message}`);
  }
}
