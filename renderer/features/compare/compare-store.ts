// The compare screen's state: which models take part, one prompt sent to all of them in parallel
// (one chat.stream per column), votes, and the runs kept so far.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../../shared/contract';
import type { ModelChoice } from '../../../shared/types';
import { createFrameBatcher } from '../../lib/frame-batcher';
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

  loadModels(): Promise<void>;
  toggleModel(id: string): void;
  setPrompt(text: string): void;
  setBlind(on: boolean): void;
  start(): Promise<void>;
  stop(): void;
  vote(columnId: string): Promise<void>;
  openRun(id: string): Promise<void>;
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
  let controllers: AbortController[] = [];
  let seq = 0;

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
              return { ...c, text: c.text + text, status: 'streaming' as const, firstTokenAt: firstTokenAt.get(c.id), deltas: deltaCounts.get(c.id) ?? c.deltas };
            }),
          },
        };
      }),
      (run) => setTimeout(run, 100),
    );

    const streamColumn = async (column: CompareColumn, prompt: string, ctrl: AbortController) => {
      let deltas = 0;
      try {
        for await (const event of client.chat.stream({ model: column.model, messages: [{ role: 'user', content: prompt }], ephemeral: true, source: 'compare' }, ctrl.signal)) {
          if (event.type === 'delta') {
            deltas++;
            if (deltas === 1) firstTokenAt.set(column.id, performance.now());
            deltaCounts.set(column.id, deltas);
            batcher.add(column.id, event.text);
          } else if (event.type !== 'reasoning' && event.type !== 'conversation') {
            // Columns compare answers; thinking text is shown in chat only (and compare stores nothing).
            batcher.flush();
            const endedAt = performance.now();
            if (event.type === 'done') {
              const { type: _type, ...report } = event;
              patch(column.id, () => ({ status: 'done', report, endedAt, deltas }));
            } else patch(column.id, () => ({ status: 'error', error: event.message, endedAt, deltas }));
          }
        }
        batcher.flush();
        patch(column.id, (c) =>
          c.status === 'done' || c.status === 'error' ? {} : ctrl.signal.aborted ? { status: 'stopped', endedAt: performance.now() } : { status: 'error', error: 'The reply ended before it was complete.' },
        );
      } catch (error) {
        batcher.flush();
        patch(column.id, () => (ctrl.signal.aborted ? { status: 'stopped', endedAt: performance.now() } : { status: 'error', error: (error as Error).message }));
      }
    };

    return {
      models: [],
      modelsError: null,
      selected: [],
      prompt: '',
      blind: false,
      run: null,
      running: false,
      runs: [],

      async loadModels() {
        try {
          const models = await client.models.list();
          const keep = get().selected.filter((id) => models.some((m) => m.id === id));
          set({ models, modelsError: null, selected: keep });
          if (!get().running) set({ runs: await repo.list() });
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
        const run: CompareRun = { id: `run${Date.now().toString(36)}${++seq}`, updatedAt: Date.now(), prompt: text, blind, columns, winner: null };
        controllers = columns.map(() => new AbortController());
        set({ run, running: true });
        await Promise.all(columns.map((c, i) => streamColumn(c, text, controllers[i]!)));
        controllers = [];
        set({ running: false });
        const done = get().run;
        if (done) {
          await repo.put({ ...done, updatedAt: Date.now() });
          set({ runs: await repo.list() });
        }
      },

      stop() {
        for (const c of controllers) c.abort();
      },

      async vote(columnId) {
        const { run, running } = get();
        if (!run || running || run.winner || !run.columns.some((c) => c.id === columnId)) return;
        const voted = { ...run, winner: columnId, updatedAt: Date.now() };
        set({ run: voted });
        await repo.put(voted);
        set({ runs: await repo.list() });
      },

      async openRun(id) {
        if (get().running) return;
        const run = await repo.get(id);
        if (run) set({ run, prompt: run.prompt });
      },
    };
  });
}
