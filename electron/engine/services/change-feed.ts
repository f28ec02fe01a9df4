// Live change events for the UI (`settings.changes`): every settings write (ours, or another process's
// picked up by the watcher) and every key stored or deleted names the parts that changed, so screens
// refresh without a Refresh button. Each subscriber holds at most one pending set of topics: a slow
// reader gets the changes merged, never an unbounded queue.
import { CHANGE_TOPICS, type ChangeEvent, type ChangesRequest, type ChangeTopic } from '../../../shared/setup-types';
import type { SettingsData, SettingsStore } from '../settings/types';

export interface ChangeFeed {
  /** Announces changes the settings file does not show (keys, refreshed prices). */
  notify(topics: readonly ChangeTopic[]): void;
  /** `ready` at once, then merged `changed` events until `signal` aborts or the feed closes. */
  subscribe(request: ChangesRequest | null | undefined, signal?: AbortSignal): AsyncIterable<ChangeEvent>;
  close(): void;
}

/** The settings sections each topic covers; a topic changed when its sections' JSON did. */
const SECTIONS: Array<[ChangeTopic, (d: SettingsData) => unknown]> = [
  ['providers', (d) => d.providers],
  ['routes', (d) => [d.routes, d.aliases ?? null, d.health ?? null]],
  ['tokens', (d) => d.tokens],
  ['budgets', (d) => d.budgets],
  ['prices', (d) => d.priceOverrides],
  ['port', (d) => d.port],
  ['preferences', (d) => d.app ?? null],
];

interface Subscriber {
  topics: ReadonlySet<ChangeTopic>;
  pending: Set<ChangeTopic>;
  wake: (() => void) | null;
}

export function createChangeFeed(settings: SettingsStore, sources: { onKeysChanged?(listener: () => void): () => void } = {}): ChangeFeed {
  const subscribers = new Set<Subscriber>();
  let closed = false;
  const fingerprint = (data: SettingsData) => new Map(SECTIONS.map(([topic, pick]) => [topic, JSON.stringify(pick(data))]));
  let last = fingerprint(settings.read());

  const notify = (topics: readonly ChangeTopic[]): void => {
    if (topics.length === 0) return;
    for (const s of subscribers) {
      let woke = false;
      for (const t of topics) {
        if (s.topics.has(t) && !s.pending.has(t)) {
          s.pending.add(t);
          woke = true;
        }
      }
      if (woke) s.wake?.();
    }
  };

  const offSettings = settings.onChange((data) => {
    const next = fingerprint(data);
    const changed = SECTIONS.map(([topic]) => topic).filter((t) => next.get(t) !== last.get(t));
    last = next;
    notify(changed);
  });
  const offKeys = sources.onKeysChanged?.(() => notify(['keys']));

  return {
    notify,
    async *subscribe(request, signal) {
      const wanted = Array.isArray(request?.topics) ? request.topics.filter((t) => CHANGE_TOPICS.includes(t)) : CHANGE_TOPICS;
      const me: Subscriber = { topics: new Set(wanted), pending: new Set(), wake: null };
      const onAbort = () => me.wake?.();
      signal?.addEventListener('abort', onAbort);
      subscribers.add(me);
      try {
        yield { type: 'ready' };
        while (!closed && !signal?.aborted) {
          if (me.pending.size === 0) {
            await new Promise<void>((resolve) => (me.wake = resolve));
            me.wake = null;
            continue;
          }
          const topics = CHANGE_TOPICS.filter((t) => me.pending.has(t));
          me.pending.clear();
          yield { type: 'changed', topics };
        }
      } finally {
        subscribers.delete(me);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    close() {
      closed = true;
      offSettings();
      offKeys?.();
      for (const s of subscribers) s.wake?.();
    },
  };
}
