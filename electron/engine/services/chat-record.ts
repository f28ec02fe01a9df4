// What the chat keeps of each exchange in the conversation store: the user's new turns, then the
// reply however it ended (finished, stopped with the text it had, or failed with its error and what
// had arrived), and the conversation's own settings (its route or model, system prompt, temperature).
// A storage failure never fails the chat: it is logged, and the reply still reaches the screen.
import type { ChatMessage, ChatRequest, ConversationOptions, StoredMessage, ToolCallInfo } from '../../../shared/types';
import type { Ledger } from '../ledger/types';

/** A message's text parts, joined. */
export function storedText(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return content.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('\n');
}

/** What the conversation store keeps of a message: its text and its images' URLs. */
function storedMessage(m: ChatMessage): Omit<StoredMessage, 'createdAt'> {
  const images = typeof m.content === 'string' ? [] : m.content.flatMap((p) => (p.type === 'image_url' ? [p.image_url.url] : []));
  return images.length ? { role: m.role, content: storedText(m.content), images } : { role: m.role, content: storedText(m.content) };
}

export interface ReplyRecord {
  content: string;
  requestId?: string;
  /** Absent: the reply finished. */
  status?: 'stopped' | 'error';
  error?: string;
  toolCalls?: ToolCallInfo[];
}

export class ChatRecord {
  private id: string | undefined;
  private saved = false;
  private announced = false;

  constructor(
    private readonly ledger: Ledger,
    private readonly request: ChatRequest,
  ) {}

  /** Stores the request's new user turns, once; the conversation's id (undefined when storing failed). */
  turns(): string | undefined {
    if (!this.saved) {
      this.saved = true;
      this.id = saveTurns(this.ledger, this.request);
    }
    return this.id;
  }

  /** The id for the caller's `conversation` event: given once, after the turns are stored. */
  announce(): string | undefined {
    if (this.announced || !this.turns()) return undefined;
    this.announced = true;
    return this.id;
  }

  /** Stores the reply after the turns (storing those first if that has not happened yet). */
  reply(reply: ReplyRecord): void {
    const id = this.turns();
    if (!id) return;
    const { content, requestId, status, error, toolCalls } = reply;
    const message: Omit<StoredMessage, 'createdAt'> = { role: 'assistant', content, model: this.request.model };
    if (requestId) message.requestId = requestId;
    if (status) message.status = status;
    if (status === 'error' && error) message.error = error;
    if (toolCalls?.length) message.toolCalls = toolCalls;
    try {
      this.ledger.conversations.append(id, [message]);
    } catch (e) {
      console.error(`switchboard chat: could not save the reply: ${(e as Error).message}`);
    }
  }
}

/** Stores the request's new user turns (creating the conversation if needed) and its current settings. */
function saveTurns(ledger: Ledger, request: ChatRequest): string | undefined {
  try {
    const store = ledger.conversations;
    // The request carries the conversation's settings as they are now: what it talks to, its prompt and temperature.
    const options: ConversationOptions = {
      model: request.model,
      systemPrompt: request.systemPrompt ?? '',
      temperature: request.temperature ?? null,
    };
    let id = request.conversationId;
    // A continued conversation already holds the earlier turns: only the newest user turn is new.
    let fresh = id ? request.messages.slice(-1) : request.messages;
    // `has`, not `get`: get would wait for the ledger writer, on the event loop that serves the port.
    if (!id || !store.has(id)) {
      const firstUser = storedText(request.messages.find((m) => m.role === 'user')?.content ?? 'Chat') || 'Chat';
      id = store.create('chat', firstUser.slice(0, 80), options).id;
      fresh = request.messages;
    } else store.setOptions(id, options);
    store.append(id, fresh.map(storedMessage));
    return id;
  } catch (error) {
    console.error(`switchboard chat: could not save the conversation: ${(error as Error).message}`);
    return undefined;
  }
}
