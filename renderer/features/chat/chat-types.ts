// What the chat screen keeps per message and per conversation, and the persistence seam for them.
import type { ChatStreamEvent } from '../../../shared/types';
import type { Repository } from '../../lib/repository';

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
}

export interface Conversation {
  id: string;
  title: string;
  /** The model choice last used, restored when the conversation is opened. */
  model: string;
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

/** Wave A: in memory (createMemoryRepository). Wave B: the engine's conversation storage. */
export type ConversationRepository = Repository<Conversation, ConversationSummary>;

export const summarise = (c: Conversation): ConversationSummary => ({
  id: c.id,
  title: c.title,
  model: c.model,
  updatedAt: c.updatedAt,
  messageCount: c.entries.length,
});
