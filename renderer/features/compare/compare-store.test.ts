// The compare store against a stand-in AppContract: parallel columns, blind aliases, one vote, runs kept.
import { describe, expect, it } from 'vitest';
import type { AppContract } from '../../../shared/contract';
import type { ChatRequest, ChatStreamEvent } from '../../../shared/types';
import { createMemoryRepository } from '../../lib/repository';
import { createCompareStore } from './compare-store';
import type { CompareRun, CompareRunRepository } from './compare-types';

function client(): { client: AppContract; started: string[] } {
  const started: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const c = {
    models: { list: async () => ['a/1', 'b/2', 'c/3'].map((id) => ({ id, kind: 'model', label: id })) },
    chat: {
      async *stream(req: ChatRequest): AsyncGenerator<ChatStreamEvent> {
        started.push(req.model);
        // Every column must have started before any may finish: they run in parallel.
        if (started.length === 3) release();
        await gate;
        yield { type: 'delta', text: `answer from ${req.model}` };
        if (req.model === 'c/3') yield { type: 'error', message: 'rate limited' };
        else
          yield {
            type: 'done',
            provider: req.model.split('/')[0]!,
            model: req.model.split('/')[1]!,
            usage: { inputTokens: 3, outputTokens: 4 },
            costUsd: 0.001,
            ttftMs: 10,
            attempts: 1,
          };
      },
    },
  } as unknown as AppContract;
  return { client: c, started };
}

describe('compare store', () => {
  it('streams every column in parallel, lets one vote count, and keeps the run', async () => {
    const { client: c, started } = client();
    const store = createCompareStore(c);
    await store.getState().loadModels();
    for (const id of ['a/1', 'b/2', 'c/3']) store.getState().toggleModel(id);
    store.getState().setBlind(true);
    store.getState().setPrompt('hello');
    await store.getState().start();
    expect(started.sort()).toEqual(['a/1', 'b/2', 'c/3']);
    const run = store.getState().run!;
    expect(run.columns.map((col) => col.alias)).toEqual(['Model A', 'Model B', 'Model C']);
    expect(run.columns.map((col) => col.model).sort()).toEqual(['a/1', 'b/2', 'c/3']);
    for (const col of run.columns) expect(col.text).toBe(`answer from ${col.model}`);
    const failed = run.columns.find((col) => col.model === 'c/3')!;
    expect(failed).toMatchObject({ status: 'error', error: 'rate limited' });
    expect(run.columns.filter((col) => col.status === 'done').map((col) => col.report?.usage.outputTokens)).toEqual([4, 4]);

    const winner = run.columns[1]!.id;
    await store.getState().vote(winner);
    await store.getState().vote(run.columns[0]!.id);
    expect(store.getState().run?.winner).toBe(winner);
    expect(store.getState().runs).toHaveLength(1);
    expect(store.getState().runs[0]).toMatchObject({ prompt: 'hello', winner, blind: true });
  });

  it('needs 2 to 6 models and a prompt', async () => {
    const { client: c, started } = client();
    const store = createCompareStore(c);
    await store.getState().loadModels();
    store.getState().toggleModel('a/1');
    store.getState().setPrompt('hello');
    await store.getState().start();
    expect(started).toEqual([]);
    expect(store.getState().run).toBeNull();
  });
});

describe('one column at a time', () => {
  /** Streams that wait for the test to release them, and end early when aborted. */
  function gated() {
    const releases = new Map<string, () => void>();
    const calls: string[] = [];
    const c = {
      models: { list: async () => ['a/1', 'b/2'].map((id) => ({ id, kind: 'model', label: id })) },
      chat: {
        async *stream(req: ChatRequest, signal?: AbortSignal): AsyncGenerator<ChatStreamEvent> {
          calls.push(req.model);
          yield { type: 'delta', text: `start ${req.model} ` };
          await new Promise<void>((resolve) => {
            releases.set(req.model, resolve);
            signal?.addEventListener('abort', () => resolve());
          });
          if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
          yield { type: 'delta', text: 'end' };
          yield {
            type: 'done',
            provider: req.model.split('/')[0]!,
            model: req.model.split('/')[1]!,
            usage: { inputTokens: 1, outputTokens: 2 },
            costUsd: 0,
            ttftMs: 1,
            attempts: 1,
          };
        },
      },
    } as unknown as AppContract;
    return { client: c, calls, release: (model: string) => releases.get(model)?.() };
  }
  const tick = () => new Promise((r) => setTimeout(r, 150));

  it('stops one column while the other goes on, then retries it alone before the vote', async () => {
    const { client: c, calls, release } = gated();
    const store = createCompareStore(c);
    await store.getState().loadModels();
    store.getState().toggleModel('a/1');
    store.getState().toggleModel('b/2');
    store.getState().setPrompt('hi');
    const started = store.getState().start();
    await tick();
    const [a, b] = store.getState().run!.columns;
    store.getState().stopColumn(a!.id);
    await tick();
    expect(store.getState().run!.columns.map((col) => col.status)).toEqual(['stopped', 'streaming']);
    expect(store.getState().running).toBe(true);
    release('b/2');
    await started;
    expect(store.getState().run!.columns.map((col) => col.status)).toEqual(['stopped', 'done']);
    expect(store.getState().running).toBe(false);

    const retried = store.getState().retryColumn(a!.id);
    await tick();
    expect(store.getState().running).toBe(true);
    const again = store.getState().run!.columns[0]!;
    expect(again).toMatchObject({ model: 'a/1', alias: a!.alias, status: 'streaming', text: 'start a/1 ' });
    expect(again.id).not.toBe(a!.id);
    release('a/1');
    await retried;
    expect(store.getState().run!.columns.map((col) => [col.status, col.text])).toEqual([
      ['done', 'start a/1 end'],
      ['done', `start b/2 end`],
    ]);
    expect(calls).toEqual(['a/1', 'b/2', 'a/1']);
    expect(store.getState().runs[0]!.columns[0]!.text).toBe('start a/1 end');

    // After the vote, a column is what it is.
    await store.getState().vote(b!.id);
    await store.getState().retryColumn(store.getState().run!.columns[0]!.id);
    expect(calls).toHaveLength(3);
  });
});

describe('soft budgets', () => {
  /** Each run's columns warn as `warnFor` says at the moment they stream. */
  function warning(warnFor: Set<string>) {
    return {
      models: { list: async () => ['a/1', 'b/2'].map((id) => ({ id, kind: 'model', label: id })) },
      chat: {
        async *stream(req: ChatRequest): AsyncGenerator<ChatStreamEvent> {
          if (warnFor.has(req.model)) yield { type: 'warning', message: 'soft budget "tiny" (global, monthly, <$0.0001) reached' };
          yield { type: 'delta', text: 'ok' };
          yield { type: 'done', provider: 'a', model: '1', usage: { inputTokens: 1, outputTokens: 1 }, costUsd: 0, ttftMs: 1, attempts: 1 };
        },
      },
    } as unknown as AppContract;
  }

  it("shows a column's warning for the run, keeps it when only one column warned, clears it after a run under budget", async () => {
    const warnFor = new Set(['b/2']);
    const store = createCompareStore(warning(warnFor));
    await store.getState().loadModels();
    store.getState().toggleModel('a/1');
    store.getState().toggleModel('b/2');
    store.getState().setPrompt('hi');
    await store.getState().start();
    // The warning survives the other column ending under every budget.
    expect(store.getState().budgetWarning).toMatch(/^soft budget "tiny"/);

    store.getState().dismissWarning();
    expect(store.getState().budgetWarning).toBeNull();

    await store.getState().start();
    expect(store.getState().budgetWarning).toMatch(/"tiny"/);
    warnFor.clear();
    await store.getState().start();
    expect(store.getState().budgetWarning).toBeNull();
  });
  it('a list that answers late cannot hide a run saved after it began', async () => {
    const { client: c } = client();
    const memory = createMemoryRepository<CompareRun>((r) => r);
    // The first list (the models reloading) reads the runs at once but answers only after the run is saved.
    let late: (() => void) | undefined;
    const repo: CompareRunRepository = {
      ...memory,
      async list() {
        const runs = await memory.list();
        if (!late) await new Promise<void>((resolve) => (late = resolve));
        return runs;
      },
    } as CompareRunRepository;
    const store = createCompareStore(c, repo);
    const reloading = store.getState().loadModels();
    for (const id of ['a/1', 'b/2', 'c/3']) store.getState().toggleModel(id);
    store.getState().setPrompt('hello');
    await new Promise((r) => setTimeout(r, 10));
    const run = store.getState().start();
    // Let the run finish and save; its own list must answer first.
    while (!late) await new Promise((r) => setTimeout(r, 5));
    await run;
    expect(store.getState().runs).toHaveLength(1);
    late();
    await reloading;
    expect(store.getState().runs).toHaveLength(1);
  });
});
