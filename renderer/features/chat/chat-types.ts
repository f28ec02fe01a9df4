// What the chat screen keeps per message and per conversation, and the persistence seam for them.
import type { ChatStreamEvent, ConversationOptions, ToolCallInfo } from '../../../shared/types';

export type ReplyReport = Omit<Extract<ChatStreamEvent, { type: 'done' }>, 'type'>;

export type EntryStatus = 'streaming' | 'done' | 'stopped' | 'error';

export interface ChatEntry {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  status: EntryStatus;
  /** The model id the user picked for this reply (a route name or `provider/model`). */
  requested?: string;
  report?: ReplyReport;
  error?: string;
  /** Thinking text the model streamed before or beside its answer (shown collapsed). */
  reasoning?: string;
  /** Images attached to a user message, as data: URLs (sent on; not kept in storage). */
  images?: string[];
  /** Tool calls the model made in this reply (shown; the chat runs no tools). */
  toolCalls?: ToolCallInfo[];
  /** The engine did not store this turn: the request was refused before it started. */
  unsaved?: boolean;
}

export interface Conversation {
  id: string;
  title: string;
  /** The route or model it talks to (what it was started with, or last switched to), restored when opened. */
  model: string;
  /** Its own system prompt ('' = none) and temperature (null = the model's default). */
  systemPrompt?: string;
  temperature?: number | null;
  createdAt: number;
  updatedAt: number;
  entries: ChatEntry[];
}

export interface ConversationSummary {
  id: string;
  title: string;
  model: string;
  updatedAt: number;
  messageCount: number;
}

/**
 * Where conversations live. The engine-backed one (chat-repositories.ts) stores each exchange as
 * the engine streams it (requests carry the conversation id); the in-memory one keeps whole
 * conversations put after each reply (tests and the benchmark seed).
 */
export interface ConversationRepository {
  /** True when the engine stores exchanges itself: requests carry conversationId, put() is not needed. */
  readonly engineStores: boolean;
  /** Newest first; with a query, only conversations whose title or messages contain it. */
  list(query?: string): Promise<ConversationSummary[]>;
  get(id: string): Promise<Conversation | null>;
  put(conversation: Conversation): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Keeps the first `keep` stored messages (before a regenerate or an edited turn replaces the rest). */
  truncate(id: string, keep: number): Promise<void>;
  /** Changes the conversation's own model, system prompt or temperature. */
  setOptions(id: string, options: ConversationOptions): Promise<void>;
}

export const summarise = (c: Conversation): ConversationSummary => ({
  id: c.id,
  title: c.title,
  model: c.model,
  updatedAt: c.updatedAt,
  messageCount: c.entries.length,
});
