// Loads read-only data for a screen and reloads it each time the screen is shown again, or when
// `refresh` moves (e.g. useChanges from lib/changes, so an engine-side change shows without a Refresh).
import { useCallback, useEffect, useRef, useState } from 'react';

export type Load<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: string };

export function useLoad<T>(load: () => Promise<T>, active: boolean, refresh = 0): { state: Load<T>; reload(): void } {
  const [state, setState] = useState<Load<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  // Callers recreate `load` every render; the latest one is used, and activation, reload and
  // `refresh` decide when it runs.
  const latest = useRef(load);
  useEffect(() => {
    latest.current = load;
  });
  useEffect(() => {
    if (!active) return;
    let live = true;
    latest.current().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: Error) => live && setState({ status: 'error', error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [active, tick, refresh]);
  return { state, reload };
}
