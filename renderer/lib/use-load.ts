// Loads read-only data for a screen and reloads it each time the screen is shown again, or when
// `refresh` moves (e.g. useChanges from lib/changes, so an engine-side change shows without a Refresh).
// usePagedLoad does the same for a list read a page at a time.
import { useCallback, useEffect, useRef, useState } from 'react';

export type Load<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: string };

export interface UseLoad<T> {
  state: Load<T>;
  /** The latest data that loaded, kept while a later load fails (for views that show it beside the error). */
  data: T | undefined;
  reload(): void;
}

/**
 * `refresh` is any value: the data loads again when it changes (compared with Object.is), e.g. a
 * counter bumped by useChanges or a Refresh button, or a string made of the query's inputs.
 */
export function useLoad<T>(load: () => Promise<T>, active: boolean, refresh: unknown = 0): UseLoad<T> {
  const [loaded, setLoaded] = useState<{ state: Load<T>; data: T | undefined }>({ state: { status: 'loading' }, data: undefined });
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
      (data) => live && setLoaded({ state: { status: 'ready', data }, data }),
      (error: Error) => live && setLoaded((l) => ({ state: { status: 'error', error: error.message }, data: l.data })),
    );
    return () => {
      live = false;
    };
  }, [active, tick, refresh]);
  return { state: loaded.state, data: loaded.data, reload };
}

export interface PagedLoad<T> {
  rows: T[];
  /** The last page was full, so there may be more. */
  more: boolean;
  /** Why the first page, or the last page asked for, did not load. */
  error: string | null;
  loadMore(): Promise<void>;
}

/**
 * A list read a page at a time: the first page loads and reloads as with useLoad, and loadMore
 * appends the page after the last row (`loadPage` gets that row; undefined for the first page). Later
 * pages belong to the first page they extend, so a reload (new filters, a refresh) starts again from
 * its own first page, and a page that arrives for an older first page is dropped.
 */
export function usePagedLoad<T>(
  loadPage: (after: T | undefined) => Promise<T[]>,
  pageSize: number,
  active: boolean,
  refresh: unknown = 0,
): PagedLoad<T> {
  const { state } = useLoad(() => loadPage(undefined), active, refresh);
  const first = state.status === 'ready' ? state.data : undefined;
  const [later, setLater] = useState<{ first: T[]; rows: T[]; more: boolean; error: string | null } | null>(null);
  const current = later !== null && later.first === first ? later : null;
  const rows = current?.rows ?? first ?? [];
  const more = current ? current.more : first !== undefined && first.length === pageSize;

  const loadMore = async () => {
    const last = rows.at(-1);
    if (first === undefined || last === undefined) return;
    const extending = (l: typeof later) => (l !== null && l.first === first ? l : { first, rows: first, more, error: null });
    try {
      const page = await loadPage(last);
      setLater((l) => {
        const base = extending(l);
        return { first, rows: [...base.rows, ...page], more: page.length === pageSize, error: null };
      });
    } catch (e) {
      setLater((l) => ({ ...extending(l), error: (e as Error).message }));
    }
  };

  return { rows, more, error: state.status === 'error' ? state.error : (current?.error ?? null), loadMore };
}
