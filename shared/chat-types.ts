// Chat as it crosses the boundary: requests, the reply's stream events, stored conversations and the
// chat defaults. Plain data only; re-exported by types.ts.

/** A part of a message: text, or an image (a `data:` URL or an https URL), sent on as OpenAI's image_url part. */
export type ChatContentPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string | ChatContentPart[];
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  /** Ask a reasoning model to think first (OpenAI's `reasoning_effort`; adapters translate it). */
  reasoningEffort?: 'low' | 'medium' | 'high';
  /** Do not store this exchange as a conversation (a route test, a compare column). */
  ephemeral?: boolean;
  /** What the ledger records as the request's source (default 'chat'). */
  source?: 'chat' | 'compare';
  /** Continue this stored conversation (its earlier messages are already saved); absent: start a new one. */
  conversationId?: string;
  /** Sent upstream first, as a system message; stored as the conversation's own (not as a message). */
  systemPrompt?: string;
  /** An id the caller picks so `chat.stop(stopId)` can end this reply early and still get its `done`. */
  stopId?: string;
}

/** A tool call a model made in a reply: the tool's name and its arguments (JSON text, as the model sent it). */
export interface ToolCallInfo {
  id: string;
  name: string;
  arguments: string;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
}

export type ChatStreamEvent =
  /**
   * Sent once, before the first text, when the exchange is stored: the conversation it is saved to
   * (new or continued). A reply the user stops is kept there with the text it had.
   */
  | { type: 'conversation'; conversationId: string }
  | { type: 'delta'; text: string }
  /** Thinking text the model streams apart from its answer (reasoning_content / reasoning). */
  | { type: 'reasoning'; text: string }
  /** A tool call the model made, once its arguments are complete (the chat runs no tools: it shows them). */
  | { type: 'tool_call'; call: ToolCallInfo }
  /** The request passed a soft budget: it went through, and the budget's message says by how much. */
  | { type: 'warning'; message: string }
  | {
      type: 'done';
      provider: string;
      model: string;
      usage: ChatUsage;
      costUsd: number | null;
      ttftMs: number | null;
      attempts: number;
      /** The stored conversation this exchange was saved to. */
      conversationId?: string;
      /** The ledger row of this request (links a stored message to what it cost). */
      requestId?: string;
      /** `chat.stop` ended the reply early: the text so far is kept; usage and cost are what it used. */
      stopped?: boolean;
    }
  | { type: 'error'; message: string };

export interface ConversationSummary {
  id: string;
  kind: 'chat' | 'compare';
  title: string;
  createdAt: number;
  updatedAt: number;
  /** How many messages it holds (set by list, get and search). */
  messageCount?: number;
  /** The route or `provider/model` it talks to: what it was started with, or last switched to. */
  model?: string;
  /** Its own system prompt, sent first with every request. */
  systemPrompt?: string;
  /** Its own temperature; absent: the model's default. */
  temperature?: number;
}

/** A change to a conversation's own settings (absent: unchanged; a null temperature: the model's default). */
export interface ConversationOptions {
  model?: string;
  systemPrompt?: string;
  temperature?: number | null;
}

export interface StoredMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /** Images the message carried (data: or https: URLs), in order. */
  images?: string[];
  model?: string;
  requestId?: string;
  createdAt: number;
  /** For a reply: what the request that produced it reported, from the ledger. */
  report?: Omit<Extract<ChatStreamEvent, { type: 'done' }>, 'type' | 'conversationId' | 'requestId' | 'stopped'>;
  /** A reply that did not finish: stopped by the user, or failed (with `error`); absent: complete. */
  status?: 'stopped' | 'error';
  error?: string;
  /** Tool calls the model made in this reply. */
  toolCalls?: ToolCallInfo[];
}

export interface Conversation extends ConversationSummary {
  messages: StoredMessage[];
}

/** App-wide defaults for the chat screen (Settings), kept in the engine's settings. */
export interface ChatDefaults {
  /** A new chat starts with this route or `provider/model`; null: the first route. */
  model: string | null;
  /** A new chat's system prompt ('' = none). */
  systemPrompt: string;
  /** A new chat's temperature (0 to 2); null: the model's default. */
  temperature: number | null;
  /** The chat's text size in CSS pixels. */
  fontSize: number;
}

/** A whole conversation written at once (a compare run): created, or replaced when `id` exists. */
export interface ConversationInput {
  id?: string;
  kind: 'chat' | 'compare';
  title: string;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string; images?: string[]; model?: string; requestId?: string }>;
}
