// Sticky routing for prompt caching: a conversation's follow-up turns go to the target that served
// its earlier turns (which holds the warm cache) while that target is healthy.
import { hash } from 'node:crypto';

/** Prompt caches live for minutes; after this a conversation may go anywhere again. */
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 20_000;
/**
 * How stale an entry's place in the eviction order may grow while its conversation keeps the same
 * target. Moving it to the end (delete, then set) on every turn made the long-lived map reallocate its
 * table per request, garbage the young generation had to promote; far below TTL_MS, so eviction is
 * still least-recently-used to within a minute.
 */
const REORDER_MS = 60_000;

/**
 * A conversation's identity: the client's `prompt_cache_key` (or `user`) when sent, else a hash of the
 * messages up to and including the first user message (the same in every follow-up turn).
 */
export function conversationKey(scope: string, body: Record<string, unknown> | undefined): string | null {
  if (!body) return null;
  if (typeof body.prompt_cache_key === 'string' && body.prompt_cache_key) return `${scope}\0k:${body.prompt_cache_key}`;
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) return null;
  const firstUser = messages.findIndex((m) => (m as { role?: unknown })?.role === 'user');
  // One string, one one-shot hash: a third of an incremental hash's cost on every request of a
  // multi-target route. String contents are joined as they are (no JSON copy of a long system prompt).
  let text = scope;
  const opening = messages.slice(0, firstUser === -1 ? 1 : firstUser + 1) as Array<{ role?: unknown; content?: unknown }>;
  for (const m of opening)
    text += `\0${String(m?.role)}\0${typeof m?.content === 'string' ? m.content : JSON.stringify(m?.content ?? null)}`;
  return hash('sha1', text, 'base64url');
}

export class StickySessions {
  /** `at`: last use; `placed`: when the entry took its place in the map's order (the eviction order). */
  private readonly map = new Map<string, { target: string; at: number; placed: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): string | undefined {
    const hit = this.map.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at > TTL_MS) {
      this.map.delete(key);
      return undefined;
    }
    return hit.target;
  }

  set(key: string, target: string): void {
    const now = this.now();
    const hit = this.map.get(key);
    if (hit && hit.target === target && now - hit.placed < REORDER_MS) {
      hit.at = now;
      return;
    }
    this.map.delete(key); // re-insert: Map order doubles as least-recently-used order
    this.map.set(key, { target, at: now, placed: now });
    if (this.map.size > MAX_ENTRIES) this.map.delete(this.map.keys().next().value!);
  }

  get size(): number {
    return this.map.size;
  }
}
