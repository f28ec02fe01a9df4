// Conversations and their messages (chat and compare), in the ledger database beside the requests.
import { randomUUID } from 'node:crypto';
import type Database from 'libsql';
import type { Conversation, ConversationSummary, StoredMessage } from '../../../shared/types';

export interface ConversationStore {
  create(kind: 'chat' | 'compare', title: string): ConversationSummary;
  /** Appends messages in order; the conversation's updated_at moves to now. */
  append(conversationId: string, messages: Array<Omit<StoredMessage, 'createdAt'>>): void;
  list(limit?: number): ConversationSummary[];
  get(id: string): Conversation | undefined;
  remove(id: string): boolean;
}

type ConvRow = { id: string; kind: string; title: string; created_at: number; updated_at: number };
type MsgRow = { role: string; content: string; model: string | null; request_id: string | null; created_at: number };

const summary = (r: ConvRow): ConversationSummary => ({
  id: r.id,
  kind: r.kind as ConversationSummary['kind'],
  title: r.title,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export function conversationStore(db: Database.Database, now: () => number = Date.now): ConversationStore {
  db.exec('PRAGMA foreign_keys = ON');
  const insertConv = db.prepare('INSERT INTO conversations (id, kind, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const nextSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE conversation_id = ?');
  const insertMsg = db.prepare('INSERT INTO messages (id, conversation_id, seq, role, content, model, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const touch = db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?');
  const append = db.transaction((id: string, messages: Array<Omit<StoredMessage, 'createdAt'>>) => {
    const at = now();
    if (touch.run(at, id).changes === 0) throw new Error(`no conversation "${id}"`);
    let seq = Number((nextSeq.get(id) as { seq: number }).seq);
    for (const m of messages) insertMsg.run(randomUUID(), id, ++seq, m.role, m.content, m.model ?? null, m.requestId ?? null, at);
  });
  return {
    create(kind, title) {
      const at = now();
      const conv = { id: randomUUID(), kind, title: title.slice(0, 200), createdAt: at, updatedAt: at };
      insertConv.run(conv.id, kind, conv.title, at, at);
      return conv;
    },
    append,
    list(limit = 200) {
      return (db.prepare('SELECT * FROM conversations ORDER BY updated_at DESC LIMIT ?').all(limit) as ConvRow[]).map(summary);
    },
    get(id) {
      const row = db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as ConvRow | undefined;
      if (!row) return undefined;
      const messages = (db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq').all(id) as MsgRow[]).map((m): StoredMessage => {
        const msg: StoredMessage = { role: m.role as StoredMessage['role'], content: m.content, createdAt: Number(m.created_at) };
        if (m.model !== null) msg.model = m.model;
        if (m.request_id !== null) msg.requestId = m.request_id;
        return msg;
      });
      return { ...summary(row), messages };
    },
    remove(id) {
      return db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes > 0;
    },
  };
}
