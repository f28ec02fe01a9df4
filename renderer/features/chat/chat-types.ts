// What the chat screen keeps per message: the text so far, where the reply is in its life, and the
// engine's report once it finished.
import type { ChatStreamEvent } from '../../../shared/types';

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
