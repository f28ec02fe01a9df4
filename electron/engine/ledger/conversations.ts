// Conversations and their messages (chat and compare), in the ledger database beside the requests.
import { timeOrderedId } from '../ids';
import type Database from 'libsql';
import type {
  Conversation,
  ConversationInput,
  ConversationOptions,
  ConversationSummary,
  StoredMessage,
  ToolCallInfo,
} from '../../../shared/types';

export interface ConversationStore {
  /** Creates an empty conversation, with its own options (a chat's model, system prompt, temperature). */
  create(kind: 'chat' | 'compare', title: string, options?: ConversationOptions): ConversationSummary;
  /** Appends messages in order; the conversation's updated_at moves to now. */
  append(conversationId: string, messages: Array<Omit<StoredMessage, 'createdAt'>>): void;
  list(limit?: number): ConversationSummary[];
  get(id: string): Conversation | undefined;
  /** Whether the conversation exists (without flushing queued request rows, unlike get). */
  has(id: string): boolean;
  remove(id: string): boolean;
  /** Renames; false when there is no such conversation. */
  rename(id: string, title: string): boolean;
  /** Drops every message from position `keep` on (before a regenerate or an edited turn replaces them). */
  truncate(id: string, keep: number): boolean;
  /** Conversations whose title or messages contain `query` (case-insensitive), newest first. */
  search(query: string, limit?: number): ConversationSummary[];
  /** Creates the conversation, or replaces its title and messages when `id` exists (one transaction). */
  put(input: ConversationInput): ConversationSummary;
  /** Changes the conversation's own options (checked first); false when there is no such conversation. */
  setOptions(id: string, options: ConversationOptions): boolean;
}

type ConvRow = {
  id: string;
  kind: string;
  title: string;
  created_at: number;
  updated_at: number;
  message_count?: number;
  model: string | null;
  system_prompt: string | null;
  temperature: number | null;
};
type MsgRow = {
  role: string;
  content: string;
  images: string | null;
  model: string | null;
  request_id: string | null;
  created_at: number;
  status: string | null;
  error: string | null;
  tool_calls: string | null;
  // From the request that produced the message (LEFT JOIN), when the ledger has it.
  r_provider: string | null;
  r_model: string | null;
  r_input: number | null;
  r_output: number | null;
  r_cost: number | null;
  r_ttft: number | null;
  r_attempts: string | null;
};

/** What a stored image may be: the same URLs chat accepts. */
const IMAGE_URL = /^(data:image\/(png|jpeg|gif|webp);base64,|https:\/\/)/;

function parseImages(column: string | null): string[] | undefined {
  if (column === null) return undefined;
  try {
    const images = JSON.parse(column) as unknown;
    return Array.isArray(images) && images.every((u) => typeof u === 'string') && images.length ? (images as string[]) : undefined;
  } catch {
    return undefined; // an unreadable column leaves the text
  }
}

function parseToolCalls(column: string | null): ToolCallInfo[] | undefined {
  if (column === null) return undefined;
  try {
    const calls = JSON.parse(column) as ToolCallInfo[];
    return Array.isArray(calls) && calls.length
      ? calls.filter((c) => typeof c?.name === 'string' && typeof c.arguments === 'string')
      : undefined;
  } catch {
    return undefined;
  }
}

/** Checks a change to a conversation's options and turns it into columns (only those it names). */
export function optionColumns(options: ConversationOptions): Record<string, string | number | null> {
  if (!options || typeof options !== 'object') throw new Error('expected { model?, systemPrompt?, temperature? }');
  const columns: Record<string, string | number | null> = {};
  if (options.model !== undefined) {
    if (typeof options.model !== 'string' || !options.model.trim() || options.model.length > 300)
      throw new Error("a conversation's model is a route name or provider/model id");
    columns.model = options.model;
  }
  if (options.systemPrompt !== undefined) {
    if (typeof options.systemPrompt !== 'string' || options.systemPrompt.length > 100_000)
      throw new Error('a system prompt is text of at most 100,000 characters');
    columns.system_prompt = options.systemPrompt || null;
  }
  if (options.temperature !== undefined) {
    const t = options.temperature;
    if (t !== null && (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 2))
      throw new Error("a temperature is a number from 0 to 2 (or null for the model's default)");
    columns.temperature = t;
  }
  return columns;
}

const LIST_SQL = 'SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS message_count FROM conversations c';

/** LIKE with the user's text taken literally (% and _ escaped). */
const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

function report(m: MsgRow): StoredMessage['report'] | undefined {
  if (m.r_provider === null || m.r_model === null) return undefined;
  let attempts = 1;
  try {
    attempts = (JSON.parse(m.r_attempts ?? '[]') as unknown[]).length || 1;
  } catch {
    /* an unreadable attempts column still leaves the rest of the report */
  }
  return {
    provider: m.r_provider,
    model: m.r_model,
    usage: { inputTokens: Number(m.r_input ?? 0), outputTokens: Number(m.r_output ?? 0) },
    costUsd: m.r_cost === null ? null : Number(m.r_cost),
    ttftMs: m.r_ttft === null ? null : Number(m.r_ttft),
    attempts,
  };
}

const summary = (r: ConvRow): ConversationSummary => ({
  id: r.id,
  kind: r.kind as ConversationSummary['kind'],
  title: r.title,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  ...(r.message_count !== undefined ? { messageCount: Number(r.message_count) } : {}),
  ...(r.model ? { model: r.model } : {}),
  ...(r.system_prompt ? { systemPrompt: r.system_prompt } : {}),
  ...(r.temperature !== null && r.temperature !== undefined ? { temperature: Number(r.temperature) } : {}),
});

/** `flush` writes queued request rows first, so a message's report can join the request that made it. */
export function conversationStore(db: Database.Database, now: () => number = Date.now, flush: () => void = () => {}): ConversationStore {
  db.exec('PRAGMA foreign_keys = ON');
  const insertConv = db.prepare('INSERT INTO conversations (id, kind, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const nextSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM messages WHERE conversation_id = ?');
  const insertMsg = db.prepare(
    'INSERT INTO messages (id, conversation_id, seq, role, content, images, model, request_id, created_at, status, error, tool_calls) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const imagesColumn = (images: string[] | undefined) => (images?.length ? JSON.stringify(images) : null);
  const outcomeColumns = (m: Omit<StoredMessage, 'createdAt'>) => [
    m.status ?? null,
    m.status === 'error' ? (m.error ?? null) : null,
    m.toolCalls?.length ? JSON.stringify(m.toolCalls) : null,
  ];
  /** A saved conversation's messages (a comparison's, an import) carry no outcome. */
  const NO_OUTCOME = [null, null, null];
  const insertMessage = (
    id: string,
    seq: number,
    m: Pick<StoredMessage, 'role' | 'content' | 'images' | 'model' | 'requestId'>,
    at: number,
    outcome: unknown[],
  ) =>
    insertMsg.run(
      timeOrderedId(),
      id,
      seq,
      m.role,
      m.content,
      imagesColumn(m.images),
      m.model ?? null,
      m.requestId ?? null,
      at,
      ...outcome,
    );
  const touch = db.prepare('UPDATE conversations SET updated_at = ? WHERE id = ?');
  const exists = db.prepare('SELECT 1 FROM conversations WHERE id = ?');
  const append = db.transaction((id: string, messages: Array<Omit<StoredMessage, 'createdAt'>>) => {
    const at = now();
    if (touch.run(at, id).changes === 0) throw new Error(`no conversation "${id}"`);
    let seq = Number((nextSeq.get(id) as { seq: number }).seq);
    for (const m of messages) insertMessage(id, ++seq, m, at, outcomeColumns(m));
  });
  const setOptions = (id: string, options: ConversationOptions): boolean => {
    const columns = optionColumns(options);
    const names = Object.keys(columns);
    if (names.length === 0) return exists.get(id) !== undefined;
    // The column names come from optionColumns' fixed set, never from the caller.
    const sql = `UPDATE conversations SET ${names.map((n) => `${n} = ?`).join(', ')} WHERE id = ?`;
    return db.prepare(sql).run(...Object.values(columns), id).changes > 0;
  };
  const ROLES = new Set(['system', 'user', 'assistant']);
  const put = db.transaction((input: ConversationInput): ConversationSummary => {
    if (!input || (input.kind !== 'chat' && input.kind !== 'compare')) throw new Error('a conversation needs kind "chat" or "compare"');
    if (typeof input.title !== 'string' || !input.title.trim()) throw new Error('a conversation needs a title');
    if (!Array.isArray(input.messages) || input.messages.some((m) => !ROLES.has(m?.role) || typeof m.content !== 'string')) {
      throw new Error('messages must be {role: system|user|assistant, content: text}');
    }
    if (
      input.messages.some(
        (m) => m.images !== undefined && (!Array.isArray(m.images) || m.images.some((u) => typeof u !== 'string' || !IMAGE_URL.test(u))),
      )
    ) {
      throw new Error("a message's images must be data:image/… or https: URLs");
    }
    if (input.id !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(input.id))
      throw new Error('a conversation id is 1 to 64 letters, digits, "_" or "-"');
    const at = now();
    const id = input.id ?? timeOrderedId();
    const title = input.title.trim().slice(0, 200);
    const existing = db.prepare('SELECT created_at FROM conversations WHERE id = ?').get(id) as { created_at: number } | undefined;
    if (existing) {
      db.prepare('UPDATE conversations SET title = ?, kind = ?, updated_at = ? WHERE id = ?').run(title, input.kind, at, id);
      db.prepare('DELETE FROM messages WHERE conversation_id = ?').run(id);
    } else insertConv.run(id, input.kind, title, at, at);
    input.messages.forEach((m, i) => insertMessage(id, i + 1, m, at, NO_OUTCOME));
    return {
      id,
      kind: input.kind,
      title,
      createdAt: existing ? Number(existing.created_at) : at,
      updatedAt: at,
      messageCount: input.messages.length,
    };
  });
  return {
    put,
    create(kind, title, options = {}) {
      optionColumns(options); // checked before anything is written
      const at = now();
      const conv = { id: timeOrderedId(), kind, title: title.slice(0, 200), createdAt: at, updatedAt: at };
      insertConv.run(conv.id, kind, conv.title, at, at);
      setOptions(conv.id, options);
      return { ...conv, ...(options.model ? { model: options.model } : {}) };
    },
    setOptions,
    append,
    list(limit = 200) {
      return (db.prepare(`${LIST_SQL} ORDER BY c.updated_at DESC LIMIT ?`).all(limit) as ConvRow[]).map(summary);
    },
    get(id) {
      const row = db.prepare(`${LIST_SQL} WHERE c.id = ?`).get(id) as ConvRow | undefined;
      if (!row) return undefined;
      flush();
      const rows = db
        .prepare(
          `SELECT m.*, r.provider AS r_provider, r.model AS r_model, r.input_tokens AS r_input, r.output_tokens AS r_output,
                  r.cost_usd AS r_cost, r.ttft_ms AS r_ttft, r.attempts AS r_attempts
             FROM messages m LEFT JOIN requests r ON r.id = m.request_id
            WHERE m.conversation_id = ? ORDER BY m.seq`,
        )
        .all(id) as MsgRow[];
      const messages = rows.map((m): StoredMessage => {
        const msg: StoredMessage = { role: m.role as StoredMessage['role'], content: m.content, createdAt: Number(m.created_at) };
        const images = parseImages(m.images);
        if (images) msg.images = images;
        if (m.model !== null) msg.model = m.model;
        if (m.request_id !== null) msg.requestId = m.request_id;
        const r = report(m);
        if (r) msg.report = r;
        if (m.status === 'stopped' || m.status === 'error') msg.status = m.status;
        if (m.status === 'error') msg.error = m.error ?? 'The request failed.';
        const calls = parseToolCalls(m.tool_calls);
        if (calls?.length) msg.toolCalls = calls;
        return msg;
      });
      return { ...summary(row), messages };
    },
    has(id) {
      return exists.get(id) !== undefined;
    },
    remove(id) {
      return db.prepare('DELETE FROM conversations WHERE id = ?').run(id).changes > 0;
    },
    rename(id, title) {
      const name = String(title).trim().slice(0, 200);
      if (!name) throw new Error('a conversation needs a non-empty title');
      return db.prepare('UPDATE conversations SET title = ?, updated_at = ? WHERE id = ?').run(name, now(), id).changes > 0;
    },
    truncate(id, keep) {
      if (!Number.isInteger(keep) || keep < 0) throw new Error('keep must be a whole number of messages, 0 or more');
      if (!db.prepare('SELECT 1 FROM conversations WHERE id = ?').get(id)) return false;
      // seq runs 1..n in order, so "the first `keep` messages" are those with the lowest seq values.
      db.prepare(
        'DELETE FROM messages WHERE conversation_id = ? AND seq NOT IN (SELECT seq FROM messages WHERE conversation_id = ? ORDER BY seq LIMIT ?)',
      ).run(id, id, keep);
      return true;
    },
    search(query, limit = 200) {
      const text = String(query ?? '').trim();
      if (!text) return this.list(limit);
      const like = likePattern(text);
      return (
        db
          .prepare(
            `${LIST_SQL} WHERE c.title LIKE ? ESCAPE '\\'
                OR EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ? ESCAPE '\\')
              ORDER BY c.updated_at DESC LIMIT ?`,
          )
          .all(like, like, limit) as ConvRow[]
      ).map(summary);
    },
  };
}
