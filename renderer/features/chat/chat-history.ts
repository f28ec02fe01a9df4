// Pure helpers of the chat store: which model a chat starts with, what of a conversation goes
// upstream, and how many of its turns the engine holds (what a regenerate truncates to).
import type { ChatContentPart, ChatDefaults, ChatMessage, ModelChoice } from '../../../shared/types';
import type { ChatEntry } from './chat-types';

/** The default model if it still exists, else the first route, else whatever is first. */
export function startingModel(models: ModelChoice[], defaults: ChatDefaults | null): string {
  if (defaults?.model && models.some((m) => m.id === defaults.model)) return defaults.model;
  return (models.find((m) => m.kind === 'route') ?? models[0])?.id ?? '';
}

/**
 * How many of these entries the engine stored: it keeps every user turn and every reply (finished,
 * stopped or failed), except a request it refused before starting (marked `unsaved`).
 */
export const storedCount = (entries: ChatEntry[]) => entries.filter((e) => !e.unsaved).length;

function contentOf(e: ChatEntry): ChatMessage['content'] {
  if (!e.images?.length) return e.text;
  const parts: ChatContentPart[] = e.text ? [{ type: 'text', text: e.text }] : [];
  for (const url of e.images) parts.push({ type: 'image_url', image_url: { url } });
  return parts;
}

/**
 * The conversation as the upstream should see it: failed or empty replies are left out, and so are
 * tool calls (the chat runs no tools, and a call without its result is refused upstream).
 */
export function historyOf(entries: ChatEntry[]): ChatMessage[] {
  return entries
    .filter((e) => e.role === 'user' || (e.text.length > 0 && (e.status === 'done' || e.status === 'stopped')))
    .map((e) => ({ role: e.role, content: contentOf(e) }));
}

export const titleOf = (text: string) => {
  const line = text.split('\n')[0]!.trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New chat';
};
