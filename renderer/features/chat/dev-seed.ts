// Dev and benchmark aid: `?dev-seed-conversation=N` puts one N-message conversation into the
// in-memory repository, so the benchmark can time opening a long chat. It only writes to this
// tab's memory (no engine call); wave B seeds through the contract's storage instead.
import type { Conversation, ConversationRepository } from './chat-types';

const PARAGRAPH =
  'Here is a **markdown** reply with `inline code`, a list and a code block, as long replies tend to have.\n\n- first point\n- second point\n\n```ts\nconst total = items.reduce((a, b) => a + b, 0);\n```\n';

export async function seedFromUrl(repo: ConversationRepository, href: string): Promise<boolean> {
  const n = Number(new URL(href).searchParams.get('dev-seed-conversation'));
  if (!Number.isInteger(n) || n <= 0 || n > 100_000) return false;
  const now = Date.now();
  const conversation: Conversation = {
    id: 'seeded',
    title: `Seeded conversation (${n} messages)`,
    model: '',
    createdAt: now,
    updatedAt: now,
    entries: Array.from({ length: n }, (_, i) =>
      i % 2 === 0
        ? { id: `s${i}`, role: 'user' as const, text: `Question number ${i / 2 + 1}?`, status: 'done' as const }
        : { id: `s${i}`, role: 'assistant' as const, text: `Answer ${(i + 1) / 2}. ${PARAGRAPH}`, status: 'done' as const },
    ),
  };
  await repo.put(conversation);
  return true;
}
