// Live engine changes for the screens: one `settings.changes` subscription per client, kept open for
// the page's life (reconnecting with backoff), turned into a counter per topic that screens watch to
// reload what they show. After a reconnect every counter moves, since changes may have been missed.
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppContract } from '../../shared/contract';
import { CHANGE_TOPICS, type ChangeTopic } from '../../shared/setup-types';

type Counters = Record<ChangeTopic, number>;

const feeds = new WeakMap<AppContract, StoreApi<Counters>>();
const MAX_BACKOFF_MS = 15_000;

const zero = (): Counters => Object.fromEntries(CHANGE_TOPICS.map((t) => [t, 0])) as Counters;

function bump(store: StoreApi<Counters>, topics: readonly ChangeTopic[]): void {
  store.setState((c) => {
    const next = { ...c };
    for (const t of topics) if (t in next) next[t] += 1;
    return next;
  });
}

async function follow(client: AppContract, store: StoreApi<Counters>): Promise<void> {
  let failures = 0;
  let first = true;
  for (;;) {
    try {
      for await (const event of client.settings.changes({})) {
        if (event.type === 'ready') {
          failures = 0;
          if (!first) bump(store, CHANGE_TOPICS);
          first = false;
        } else if (event.type === 'changed' && Array.isArray(event.topics)) {
          bump(store, event.topics);
        }
      }
    } catch {
      // The engine restarted or the connection dropped: try again below.
    }
    first = false;
    failures += 1;
    await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 5))));
  }
}

/** The client's change counters, subscribing on first use (a client without the stream, as in unit tests, never moves them). */
export function changesOf(client: AppContract): StoreApi<Counters> {
  let store = feeds.get(client);
  if (!store) {
    store = createStore<Counters>(zero);
    feeds.set(client, store);
    if (typeof client.settings?.changes === 'function') void follow(client, store);
  }
  return store;
}

/** A number that moves whenever one of `topics` changes in the engine: put it in an effect's dependencies to reload. */
export function useChanges(client: AppContract, topics: readonly ChangeTopic[]): number {
  return useStore(changesOf(client), (c) => topics.reduce((sum, t) => sum + c[t], 0));
}
