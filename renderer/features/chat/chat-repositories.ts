// The two ConversationRepository implementations: the engine's conversation storage (the ledger
// database, through the contract) and an in-memory one for tests and the benchmark's seed.
import type { AppContract } from '../../../shared/contract';
import type { StoredMessage } from '../../../shared/types';
import { summarise, type ChatEntry, type Conversation, type ConversationRepository } from './chat-types';

export function createMemoryConversations(): ConversationRepository {
  const items = new Map<string, Conversation>();
  const matches = (c: Conversation, q: string) =>
    c.title.toLowerCase().includes(q) || c.entries.some((e) => e.text.toLowerCase().includes(q));
  return {
    engineStores: false,
    async list(query) {
      const q = query?.trim().toLowerCase() ?? '';
      return [...items.values()]
        .filter((c) => !q || matches(c, q))
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .map(summarise);
    },
    async get(id) {
      return items.get(id) ?? null;
    },
    async put(conversation) {
      items.set(conversation.id, conversation);
    },
    async rename(id, title) {
      const c = items.get(id);
      if (c) items.set(id, { ...c, title, updatedAt: Date.now() });
    },
    async remove(id) {
      items.delete(id);
    },
    async truncate(id, keep) {
      const c = items.get(id);
      if (c) items.set(id, { ...c, entries: c.entries.slice(0, keep) });
    },
    async setOptions(id, options) {
      const c = items.get(id);
      if (c) items.set(id, { ...c, ...options, model: options.model ?? c.model });
    },
  };
}

function toEntry(conversationId: string, m: StoredMessage, i: number): ChatEntry {
  // A reply that did not finish comes back as it ended: stopped, or failed with its error (and Retry).
  const entry: ChatEntry = {
    id: `${conversationId}:${i}`,
    role: m.role === 'user' ? 'user' : 'assistant',
    text: m.content,
    status: m.status ?? 'done',
  };
  if (m.images?.length) entry.images = [...m.images];
  if (m.role === 'assistant') {
    if (m.model) entry.requested = m.model;
    if (m.report) entry.report = m.report;
    if (m.status === 'error') entry.error = m.error ?? 'The request failed.';
    if (m.toolCalls?.length) entry.toolCalls = m.toolCalls;
  }
  return entry;
}

export function createEngineConversations(client: AppContract): ConversationRepository {
  return {
    engineStores: true,
    async list(query) {
      const rows = query?.trim() ? await client.conversations.search(query.trim()) : await client.conversations.list();
      return rows
        .filter((c) => c.kind === 'chat')
        .map((c) => ({ id: c.id, title: c.title, model: c.model ?? '', updatedAt: c.updatedAt, messageCount: c.messageCount ?? 0 }));
    },
    async get(id) {
      const c = await client.conversations.get(id);
      if (!c) return null;
      const messages = c.messages.filter((m) => m.role !== 'system');
      // The conversation's own route or model; a conversation stored before it had one falls back to
      // its last reply's model (then often who answered, not what was asked for).
      const model = c.model ?? [...messages].reverse().find((m) => m.role === 'assistant' && m.model)?.model ?? '';
      return {
        id: c.id,
        title: c.title,
        model,
        systemPrompt: c.systemPrompt ?? '',
        temperature: c.temperature ?? null,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
        entries: messages.map((m, i) => toEntry(c.id, m, i)),
      };
    },
    async put() {
      // The engine saved the exchange while it streamed the reply.
    },
    async rename(id, title) {
      await client.conversations.rename(id, title);
    },
    async remove(id) {
      await client.conversations.remove(id);
    },
    async truncate(id, keep) {
      await client.conversations.truncate(id, keep);
    },
    async setOptions(id, options) {
      await client.conversations.setOptions(id, options);
    },
  };
}
