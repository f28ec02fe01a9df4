// The colour theme: light, dark or following the system. Stored in the page's localStorage (it is the
// window's look, not the engine's data); applied as `data-theme` on <html> so CSS has one switch.
import { createStore } from 'zustand/vanilla';

export type ThemeChoice = 'light' | 'dark' | 'system';
const KEY = 'switchboard.theme';

function readChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' || v === 'system' ? v : 'system';
  } catch {
    return 'system';
  }
}

const systemDark = () => typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

export function resolveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  return choice === 'system' ? (prefersDark ? 'dark' : 'light') : choice;
}

interface ThemeState {
  choice: ThemeChoice;
  /** What is shown now: the choice, or the OS's scheme under "system". Canvas charts redraw on change. */
  resolved: 'light' | 'dark';
  setChoice(choice: ThemeChoice): void;
}

export const themeStore = createStore<ThemeState>()((set) => ({
  choice: readChoice(),
  resolved: 'light',
  setChoice(choice) {
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // Storage may be disabled; the choice still holds for this session.
    }
    set({ choice });
    apply(choice);
  },
}));

function apply(choice: ThemeChoice) {
  const resolved = resolveTheme(choice, systemDark());
  document.documentElement.dataset.theme = resolved;
  if (themeStore.getState().resolved !== resolved) themeStore.setState({ resolved });
}

/** Applies the stored theme and follows the OS while the choice is "system". */
export function installTheme(): void {
  apply(themeStore.getState().choice);
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => apply(themeStore.getState().choice));
  }
}
