// The chat store's shape: its state and actions (chat-store.ts builds it; chat-reply.ts streams the
// replies and chat-undo.ts keeps deletes and clears undoable for a while).
import type { StoreApi } from 'zustand/vanilla';
import type { ChatDefaults, ModelChoice } from '../../../shared/types';
import type { ChatEntry, ConversationSummary } from './chat-types';

/** A delete or a clear that can still be taken back; it is done when its toast goes. */
export type PendingChange =
  { kind: 'delete'; id: string; title: string; wasOpen: boolean } | { kind: 'clear'; id: string; title: string; entries: ChatEntry[] };

export interface ChatState {
  models: ModelChoice[];
  modelsStatus: 'idle' | 'loading' | 'ready' | 'error';
  modelsError: string | null;
  /** The selected model choice id (route name or `provider/model`), '' until models load. */
  model: string;
  conversations: ConversationSummary[];
  /** The open conversation; null for a new one that has not been sent yet. */
  activeId: string | null;
  entries: ChatEntry[];
  draft: string;
  /** Asked of reasoning models with each request; '' = not asked. */
  reasoningEffort: '' | 'low' | 'medium' | 'high';
  setReasoningEffort(effort: '' | 'low' | 'medium' | 'high'): void;
  /** The open conversation's own system prompt ('' = none) and temperature (null = the model's default). */
  systemPrompt: string;
  temperature: number | null;
  /** App-wide defaults from Settings (null until loaded): a new chat starts from them. */
  defaults: ChatDefaults | null;
  /** The last soft-budget warning sent with a reply; null when there is none or it was dismissed. */
  budgetWarning: string | null;
  pending: PendingChange | null;
  /** Images (data: URLs) to send with the next message. */
  attachments: string[];
  streaming: boolean;
  /** The conversation list's search text. */
  query: string;

  loadModels(): Promise<void>;
  loadConversations(): Promise<void>;
  searchConversations(query: string): Promise<void>;
  attach(dataUrl: string): void;
  detach(index: number): void;
  openConversation(id: string): Promise<void>;
  newConversation(): void;
  renameConversation(id: string, title: string): Promise<void>;
  /** Hides the conversation at once; it is deleted when the undo toast goes (or on commitPending). */
  deleteConversation(id: string): Promise<void>;
  /** Empties the open conversation (it stays, with its settings); undoable like a delete. */
  clear(): Promise<void>;
  undo(): void;
  /** Does the pending delete or clear now. */
  commitPending(): Promise<void>;
  selectModel(id: string): void;
  setOptions(patch: { systemPrompt?: string; temperature?: number | null }): void;
  /** Stores the open conversation's system prompt and temperature (after they were edited). */
  saveOptions(): Promise<void>;
  applyDefaults(defaults: ChatDefaults): void;
  dismissWarning(): void;
  setDraft(text: string): void;
  /** Sends the draft as the next user message and streams the reply into the list. */
  send(): Promise<void>;
  /** Asks again for the last reply, dropping the old one (also Retry after a failure). */
  regenerate(): Promise<void>;
  /** Replaces a user message, drops everything after it and asks again. */
  editAndResend(entryId: string, text: string): Promise<void>;
  stop(): void;
}

export type ChatStore = StoreApi<ChatState>;

export interface ChatStoreOptions {
  /** How long a delete or clear can be undone (ms). */
  undoMs?: number;
  /** How long a reply may take to end after the engine was asked to stop it, before the stream is cut. */
  stopGraceMs?: number;
}

/** The store's setter and getter, as the parts that build it share them. */
export type SetChat = StoreApi<ChatState>['setState'];
export type GetChat = StoreApi<ChatState>['getState'];
