// Coalesces many small stream deltas into one state update per animation frame, so a fast stream
// (or four of them) costs one React render per frame rather than one per token.

export interface FrameBatcher<K> {
  add(key: K, text: string): void;
  /** Applies everything pending now (call at the end of a stream). */
  flush(): void;
}

type Schedule = (run: () => void) => void;

const defaultSchedule: Schedule =
  typeof requestAnimationFrame === 'function' ? (run) => requestAnimationFrame(() => run()) : (run) => setTimeout(run, 16);

export function createFrameBatcher<K>(apply: (pending: Map<K, string>) => void, schedule: Schedule = defaultSchedule): FrameBatcher<K> {
  let pending = new Map<K, string>();
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    apply(batch);
  };
  return {
    add(key, text) {
      pending.set(key, (pending.get(key) ?? '') + text);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    },
    flush,
  };
}
