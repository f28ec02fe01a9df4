// The compare screen's state: which models take part, one prompt sent to all of them in parallel
// (one chat.stream per column, each stoppable and retryable on its own), votes, and the runs kept so far.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import type { ChatStreamEvent, ModelChoice } from '../../../shared/types';
import { createFrameBatcher } from '../../lib/frame-batcher';
import { readReply } from '../../lib/reply-stream';
import { createMemoryRepository } from '../../lib/repository';
import type { CompareColumn, CompareRun, CompareRunRepository } from './compare-types';

export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 6;

export interface CompareState {
  models: ModelChoice[];
  modelsError: string | null;
  selected: string[];
  prompt: string;
  blind: boolean;
  run: CompareRun | null;
  running: boolean;
  runs: CompareRun[];
  /** The last soft-budget warning a column's reply carried; null when there is none or it was dismissed. */
  budgetWarning: string | null;

  loadModels(): Promise<void>;
  toggleModel(id: string): void;
  setPrompt(text: string): void;
  setBlind(on: boolean): void;
  start(): Promise<void>;
  /** Stops every column still streaming. */
  stop(): void;
  /** Stops one column; the others go on. */
  stopColumn(columnId: string): void;
  /** Asks a finished column's model again (before the vote); resolves when that column ends. */
  retryColumn(columnId: string): Promise<void>;
  vote(columnId: string): Promise<void>;
  openRun(id: string): Promise<void>;
  dismissWarning(): void;
}

export type CompareStore = StoreApi<CompareState>;

function shuffle<T>(items: T[]): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export function createCompareStore(client: AppContract, repo: CompareRunRepository = createMemoryRepository((r) => r)): CompareStore {
  /** Column id -> its stream's controller, while the column streams. */
  const active = new Map<string, AbortController>();
  let seq = 0;
  /** Whether a column started since the screen last went idle carried a budget warning. */
  let warned = false;

  return createStore<CompareState>()((set, get) => {
    const patch = (id: string, change: (c: CompareColumn) => Partial<CompareColumn>) =>
      set((s) => (s.run ? { run: { ...s.run, columns: s.run.columns.map((c) => (c.id === id ? { ...c, ...change(c) } : c)) } } : {}));
    // All columns' deltas land in one update every 100 ms: six fast streams cost ten renders a
    // second, which reads as smooth for side-by-side text and leaves the main thread free.
    // Counted per delta without a render; the batch applies them.
    const deltaCounts = new Map<string, number>();
    const firstTokenAt = new Map<string, number>();
    const batcher = createFrameBatcher<string>(
      (pending) =>
        set((s) => {
          if (!s.run) return {};
          return {
            run: {
              ...s.run,
              columns: s.run.columns.map((c) => {
                const text = pending.get(c.id);
                if (text === undefined) return c;
                return {
                  ...c,
                  text: c.text + text,
                  status: 'streaming' as const,
                  firstTokenAt: firstTokenAt.get(c.id),
                  deltas: deltaCounts.get(c.id) ?? c.deltas,
                };
              }),
            },
          };
        }),
      (run) => setTimeout(run, 100),
    );

    const streamColumn = async (column: CompareColumn, prompt: string, ctrl: AbortController) => {
      let deltas = 0;
      const onEvent = (event: ChatStreamEvent) => {
        if (event.type === 'delta') {
          deltas++;
          if (deltas === 1) firstTokenAt.set(column.id, performance.now());
          deltaCounts.set(column.id, deltas);
          batcher.add(column.id, event.text);
        } else if (event.type === 'warning') {
          // One banner for the run, not per column: the message names the budget, never the model,
          // so it gives nothing away in blind mode.
          warned = true;
          set({ budgetWarning: event.message });
        } else if (event.type === 'done' || event.type === 'error') {
          // Columns compare answers; thinking and tool calls are shown in chat only (and compare stores nothing).
          batcher.flush();
          const endedAt = performance.now();
          if (event.type === 'done') {
            const { type: _type, ...report } = event;
            patch(column.id, () => ({ status: 'done', report, endedAt, deltas }));
          } else patch(column.id, () => ({ status: 'error', error: event.message, endedAt, deltas }));
        }
      };
      const request = {
        model: column.model,
        messages: [{ role: 'user' as const, content: prompt }],
        ephemeral: true,
        source: 'compare' as const,
      };
      const ending = await readReply(client.chat.stream(request, ctrl.signal), onEvent, () => ctrl.signal.aborted);
      batcher.flush();
      if (ending.kind === 'stopped') patch(column.id, () => ({ status: 'stopped', endedAt: performance.now() }));
      else if (ending.kind === 'broken') patch(column.id, () => ({ status: 'error', error: ending.message }));
    };

    /** Streams one column; when the last active column ends, the run is kept. */
    const runColumn = async (column: CompareColumn, prompt: string) => {
      const ctrl = new AbortController();
      active.set(column.id, ctrl);
      await streamColumn(column, prompt, ctrl);
      active.delete(column.id);
      if (active.size > 0) return;
      // Columns start together but are admitted one by one, so only when all have ended does "no
      // warning" mean the run stayed under every budget, and an older warning can go.
      set(warned ? { running: false } : { running: false, budgetWarning: null });
      warned = false;
      const done = get().run;
      if (done) {
        await repo.put({ ...done, updatedAt: Date.now() });
        await refreshRuns();
      }
    };

    // Lists can overlap (a run's save, a vote, the models reloading on a change): only the latest one
    // started may set the runs, so an older answer cannot hide a run that was just saved.
    let listing = 0;
    async function refreshRuns(): Promise<void> {
      const ticket = ++listing;
      const runs = await repo.list();
      if (ticket === listing) set({ runs });
    }

    return {
      models: [],
      modelsError: null,
      selected: [],
      prompt: '',
      blind: false,
      run: null,
      running: false,
      runs: [],
      budgetWarning: null,

      async loadModels() {
        try {
          const models = await client.models.list();
          const keep = get().selected.filter((id) => models.some((m) => m.id === id));
          set({ models, modelsError: null, selected: keep });
          if (!get().running) await refreshRuns();
        } catch (error) {
          set({ modelsError: (error as Error).message });
        }
      },

      toggleModel(id) {
        const { selected } = get();
        if (selected.includes(id)) set({ selected: selected.filter((s) => s !== id) });
        else if (selected.length < MAX_COLUMNS) set({ selected: [...selected, id] });
      },

      setPrompt(text) {
        set({ prompt: text });
      },

      setBlind(on) {
        set({ blind: on });
      },

      async start() {
        const { selected, prompt, running, blind } = get();
        const text = prompt.trim();
        if (running || !text || selected.length < MIN_COLUMNS || selected.length > MAX_COLUMNS) return;
        const startedAt = performance.now();
        // In blind mode the order is shuffled too, so the position gives nothing away.
        const models = blind ? shuffle(selected) : selected;
        const columns: CompareColumn[] = models.map((model, i) => ({
          id: `col${++seq}`,
          model,
          alias: `Model ${String.fromCharCode(65 + i)}`,
          text: '',
          status: 'waiting',
          startedAt,
          deltas: 0,
        }));
        const run: CompareRun = {
          id: `run${Date.now().toString(36)}${++seq}`,
          updatedAt: Date.now(),
          prompt: text,
          blind,
          columns,
          winner: null,
        };
        set({ run, running: true });
        await Promise.all(columns.map((c) => runColumn(c, text)));
      },

      stop() {
        for (const c of active.values()) c.abort();
      },

      stopColumn(columnId) {
        active.get(columnId)?.abort();
      },

      async retryColumn(columnId) {
        const { run } = get();
        const old = run?.columns.find((c) => c.id === columnId);
        if (!run || !old || run.winner || active.has(columnId) || old.status === 'waiting' || old.status === 'streaming') return;
        // A new id, so nothing still pending for the old stream can land in the new one.
        const fresh: CompareColumn = {
          id: `col${++seq}`,
          model: old.model,
          alias: old.alias,
          text: '',
          status: 'waiting',
          startedAt: performance.now(),
          deltas: 0,
        };
        set({ running: true, run: { ...run, columns: run.columns.map((c) => (c.id === columnId ? fresh : c)) } });
        await runColumn(fresh, run.prompt);
      },

      async vote(columnId) {
        const { run, running } = get();
        if (!run || running || run.winner || !run.columns.some((c) => c.id === columnId)) return;
        const voted = { ...run, winner: columnId, updatedAt: Date.now() };
        set({ run: voted });
        await repo.put(voted);
        await refreshRuns();
      },

      async openRun(id) {
        if (get().running) return;
        const run = await repo.get(id);
        if (run) set({ run, prompt: run.prompt });
      },

      dismissWarning() {
        set({ budgetWarning: null });
      },
    };
  });
}
