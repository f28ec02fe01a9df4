// Compare runs kept by the engine: each run is a conversation of kind "compare" (the prompt, one
// reply per column with its model and ledger request, and a last system message holding the run's
// own facts as JSON: blind mode, the winner, each column's status and streaming time).
import type { AppContract } from '../../../shared/contract';
import type { Conversation } from '../../../shared/types';
import type { CompareColumn, CompareRun, CompareRunRepository } from './compare-types';

/** Runs listed at once (each is a small conversation, fetched one by one). */
const LISTED = 20;

interface RunFacts {
  blind: boolean;
  winner: number | null;
  columns: Array<{ status: CompareColumn['status']; error?: string; streamMs?: number }>;
}

const FACTS_MARK = 'compare-run:';

export function toConversationInput(run: CompareRun) {
  const facts: RunFacts = {
    blind: run.blind,
    winner: run.winner ? run.columns.findIndex((c) => c.id === run.winner) : null,
    columns: run.columns.map((c) => ({
      status: c.status,
      ...(c.error ? { error: c.error } : {}),
      ...(c.firstTokenAt !== undefined && c.endedAt !== undefined ? { streamMs: Math.round(c.endedAt - c.firstTokenAt) } : {}),
    })),
  };
  return {
    id: run.id,
    kind: 'compare' as const,
    title: run.prompt.slice(0, 200),
    messages: [
      { role: 'user' as const, content: run.prompt },
      ...run.columns.map((c) => ({
        role: 'assistant' as const,
        content: c.text,
        model: c.model,
        ...(c.report?.requestId ? { requestId: c.report.requestId } : {}),
      })),
      { role: 'system' as const, content: FACTS_MARK + JSON.stringify(facts) },
    ],
  };
}

export function fromConversation(c: Conversation): CompareRun | null {
  const factsMsg = c.messages.at(-1);
  if (c.kind !== 'compare' || factsMsg?.role !== 'system' || !factsMsg.content.startsWith(FACTS_MARK)) return null;
  let facts: RunFacts;
  try {
    facts = JSON.parse(factsMsg.content.slice(FACTS_MARK.length)) as RunFacts;
  } catch {
    return null;
  }
  const replies = c.messages.filter((m) => m.role === 'assistant');
  const columns: CompareColumn[] = replies.map((m, i) => {
    const f = facts.columns[i];
    const ttft = m.report?.ttftMs ?? 0;
    return {
      id: `${c.id}-c${i}`,
      model: m.model ?? '?',
      alias: `Model ${String.fromCharCode(65 + i)}`,
      text: m.content,
      status: f?.status ?? 'done',
      startedAt: 0,
      ...(f?.streamMs !== undefined ? { firstTokenAt: ttft, endedAt: ttft + f.streamMs } : {}),
      deltas: 0,
      ...(m.report ? { report: m.report } : {}),
      ...(f?.error ? { error: f.error } : {}),
    };
  });
  const winner = facts.winner !== null && facts.winner >= 0 ? (columns[facts.winner]?.id ?? null) : null;
  return {
    id: c.id,
    updatedAt: c.updatedAt,
    prompt: c.messages.find((m) => m.role === 'user')?.content ?? c.title,
    blind: facts.blind,
    columns,
    winner,
  };
}

export function createEngineCompareRuns(client: AppContract): CompareRunRepository {
  const get = async (id: string) => {
    const c = await client.conversations.get(id);
    return c ? fromConversation(c) : null;
  };
  return {
    async list() {
      const summaries = (await client.conversations.list()).filter((c) => c.kind === 'compare').slice(0, LISTED);
      const runs = await Promise.all(summaries.map((s) => get(s.id)));
      return runs.filter((r): r is CompareRun => r !== null);
    },
    get,
    async put(run) {
      await client.conversations.put(toConversationInput(run));
    },
    async remove(id) {
      await client.conversations.remove(id);
    },
  };
}
