// Whether the sections sidebar is collapsed to an icon rail. Until the user chooses, it follows the
// window: collapsed below 1100 px, so a 900 px window keeps its width for the screen. A choice is kept.
import { useEffect, useState } from 'react';

const KEY = 'switchboard.sidebar';
const NARROW = '(max-width: 1099px)';

function stored(): 'collapsed' | 'expanded' | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'collapsed' || v === 'expanded' ? v : null;
  } catch {
    return null;
  }
}

const narrow = () => typeof matchMedia === 'function' && matchMedia(NARROW).matches;

export function useSidebar(): { collapsed: boolean; toggle(): void } {
  const [choice, setChoice] = useState(stored);
  const [isNarrow, setNarrow] = useState(narrow);
  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia(NARROW);
    const onChange = () => setNarrow(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);
  const collapsed = choice === null ? isNarrow : choice === 'collapsed';
  const toggle = () => {
    const next = collapsed ? 'expanded' : 'collapsed';
    try {
      localStorage.setItem(KEY, next);
    } catch {
      // Storage may be disabled; the choice holds for this session.
    }
    setChoice(next);
  };
  return { collapsed, toggle };
}
