// The model picker's logic without React: grouping the choices (routes first, then one group per
// provider), filtering them by what was typed, and what each key does. Kept apart so it is unit-tested.
import type { ModelChoice } from '../../shared/types';

export interface PickerGroup {
  /** Stable key: `routes`, or `p:<provider id>`. */
  key: string;
  label: string;
  options: ModelChoice[];
}

/** The provider of a `provider/model` choice ('' for a route). */
export function providerOf(choice: ModelChoice): string {
  if (choice.kind === 'route') return '';
  const slash = choice.id.indexOf('/');
  return slash > 0 ? choice.id.slice(0, slash) : choice.id;
}

/** What the picker shows for a choice: a route by its name (its group says it is a route), a model by its label. */
export const displayName = (choice: ModelChoice): string => (choice.kind === 'route' ? choice.id : choice.label);

/** Every whitespace-separated term of `query` appears in the choice's id or label (case-insensitive). */
export function matches(choice: ModelChoice, query: string): boolean {
  const terms = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const id = choice.id.toLowerCase();
  const label = choice.label.toLowerCase();
  return terms.every((t) => id.includes(t) || label.includes(t));
}

/**
 * The choices that match `query`, grouped: routes first (the usual pick), then each provider's models
 * in the order the engine listed them, providers in order of first appearance. Empty groups are left out.
 */
export function groupChoices(models: readonly ModelChoice[], query = ''): PickerGroup[] {
  const routes: ModelChoice[] = [];
  const byProvider = new Map<string, ModelChoice[]>();
  for (const m of models) {
    if (!matches(m, query)) continue;
    if (m.kind === 'route') routes.push(m);
    else {
      const p = providerOf(m);
      const list = byProvider.get(p);
      if (list) list.push(m);
      else byProvider.set(p, [m]);
    }
  }
  const groups: PickerGroup[] = routes.length ? [{ key: 'routes', label: 'Routes', options: routes }] : [];
  for (const [p, options] of byProvider) groups.push({ key: `p:${p}`, label: p, options });
  return groups;
}

/** The options in display order (what the arrow keys walk through). */
export const flatten = (groups: readonly PickerGroup[]): ModelChoice[] => groups.flatMap((g) => g.options);

export interface PickerState {
  open: boolean;
  /** Index of the highlighted option in the flattened list; -1 when none. */
  active: number;
}

export interface KeyResult {
  state: PickerState;
  /** Set when the key chose an option. */
  pick?: string;
  /** The key was the picker's (the caller prevents its default). */
  handled: boolean;
}

const PAGE = 8;

/**
 * What a key does in the combobox's text box. Closed: the arrows open the list on the current choice.
 * Open: arrows move (wrapping), Page Up/Down move by a page, Enter picks the highlighted option, Escape
 * closes without a change, Tab closes and lets focus move on. Home/End stay the text box's own.
 */
export function onKey(state: PickerState, key: string, options: readonly ModelChoice[], value: string): KeyResult {
  const count = options.length;
  const current = options.findIndex((o) => o.id === value);
  if (!state.open) {
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      const start = current >= 0 ? current : key === 'ArrowUp' ? count - 1 : 0;
      return { state: { open: true, active: count ? start : -1 }, handled: true };
    }
    return { state, handled: false };
  }
  switch (key) {
    case 'ArrowDown':
      return { state: { open: true, active: count ? (state.active + 1) % count : -1 }, handled: true };
    case 'ArrowUp':
      return { state: { open: true, active: count ? (state.active <= 0 ? count - 1 : state.active - 1) : -1 }, handled: true };
    case 'PageDown':
      return { state: { open: true, active: count ? Math.min(count - 1, Math.max(0, state.active) + PAGE) : -1 }, handled: true };
    case 'PageUp':
      return { state: { open: true, active: count ? Math.max(0, state.active - PAGE) : -1 }, handled: true };
    case 'Enter': {
      const chosen = state.active >= 0 ? options[state.active] : undefined;
      return chosen ? { state: { open: false, active: -1 }, pick: chosen.id, handled: true } : { state, handled: true };
    }
    case 'Escape':
      return { state: { open: false, active: -1 }, handled: true };
    case 'Tab':
      return { state: { open: false, active: -1 }, handled: false };
    default:
      return { state, handled: false };
  }
}

/** After typing: the list opens on its first match (Enter then picks it). */
export function afterTyping(options: readonly ModelChoice[]): PickerState {
  return { open: true, active: options.length ? 0 : -1 };
}
