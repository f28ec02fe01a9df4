// How the compare columns scroll. While answers stream, every column follows its own end. The user
// takes over with the wheel, the keys or the scrollbar: moving up stops following, and from then on the
// columns scroll together (one moves the others to the same relative position, so the same part of
// each answer is in view); scrolling back down to an end follows again. Only the user's own input
// counts: layout shifts and our own scrolling never stop the following.
import { useLayoutEffect, useRef } from 'react';

/** Within this many pixels of the end counts as "at the end" (a fraction of a line). */
const END_SLACK = 24;
/** A wheel or key press owns the scroll events for this long (a smooth scroll runs for a while). */
const USER_MS = 700;
const UP_KEYS = new Set(['ArrowUp', 'PageUp', 'Home']);
const MOVE_KEYS = new Set([...UP_KEYS, 'ArrowDown', 'PageDown', 'End', ' ']);

const atEnd = (el: HTMLElement) => el.scrollHeight - el.scrollTop - el.clientHeight <= END_SLACK;

/**
 * Returns a stable ref callback per column id for its scrolling body. `version` changes with every
 * batch of streamed text; `runId` and `running` say whether this run streamed here (a past run opened
 * from the list stays at its top).
 */
export function useColumnScroll(runId: string, running: boolean, version: unknown): (id: string) => (el: HTMLDivElement | null) => void {
  const bodies = useRef(new Map<string, HTMLDivElement>());
  const refs = useRef(new Map<string, (el: HTMLDivElement | null) => void>());
  const lastTop = useRef(new Map<string, number>());
  const following = useRef(true);
  const userUntil = useRef(0);
  const held = useRef(false);
  const leader = useRef<string | null>(null);
  const current = useRef(runId);
  const streamed = useRef(running);

  // After each batch, following columns jump to their end (one layout read per column), and once
  // more when the run ends and the vote buttons take some height.
  useLayoutEffect(() => {
    if (current.current !== runId) {
      current.current = runId;
      following.current = true;
      streamed.current = false;
    }
    if (running) streamed.current = true;
    if (!following.current || !streamed.current) return;
    for (const [id, el] of bodies.current) {
      const top = el.scrollHeight - el.clientHeight;
      if (top > 0 && Math.abs(el.scrollTop - top) > 1) {
        el.scrollTop = top;
        lastTop.current.set(id, el.scrollTop);
      }
    }
  }, [version, running, runId]);

  const userScroll = (id: string, el: HTMLDivElement) => {
    const previous = lastTop.current.get(id) ?? el.scrollTop;
    lastTop.current.set(id, el.scrollTop);
    const byUser = held.current || performance.now() < userUntil.current;
    if (!byUser || (leader.current !== null && leader.current !== id)) return;
    // Back at the end on the way down: follow again. Anywhere else: the user reads; keep in step.
    if (atEnd(el) && el.scrollTop >= previous) following.current = true;
    else following.current = false;
    if (following.current) return;
    leader.current = id;
    const ratio = el.scrollTop / Math.max(1, el.scrollHeight - el.clientHeight);
    for (const [other, body] of bodies.current) {
      if (other === id) continue;
      body.scrollTop = ratio * (body.scrollHeight - body.clientHeight);
      lastTop.current.set(other, body.scrollTop);
    }
    requestAnimationFrame(() => (leader.current = null));
  };

  return (id) => {
    let fn = refs.current.get(id);
    if (fn) return fn;
    let cleanup: (() => void) | undefined;
    fn = (el) => {
      cleanup?.();
      cleanup = undefined;
      if (!el) {
        bodies.current.delete(id);
        refs.current.delete(id);
        return;
      }
      bodies.current.set(id, el);
      const soon = () => (userUntil.current = performance.now() + USER_MS);
      const onWheel = (e: WheelEvent) => {
        soon();
        if (e.deltaY < 0) following.current = false;
      };
      const onKey = (e: KeyboardEvent) => {
        if (!MOVE_KEYS.has(e.key)) return;
        soon();
        if (UP_KEYS.has(e.key) || (e.key === ' ' && e.shiftKey)) following.current = false;
      };
      const onDown = () => (held.current = true);
      const onUp = () => {
        if (held.current) soon();
        held.current = false;
      };
      const onScroll = () => userScroll(id, el);
      el.addEventListener('wheel', onWheel, { passive: true });
      el.addEventListener('keydown', onKey);
      el.addEventListener('pointerdown', onDown);
      el.addEventListener('touchstart', onDown, { passive: true });
      el.addEventListener('scroll', onScroll, { passive: true });
      window.addEventListener('pointerup', onUp);
      window.addEventListener('touchend', onUp);
      cleanup = () => {
        el.removeEventListener('wheel', onWheel);
        el.removeEventListener('keydown', onKey);
        el.removeEventListener('pointerdown', onDown);
        el.removeEventListener('touchstart', onDown);
        el.removeEventListener('scroll', onScroll);
        window.removeEventListener('pointerup', onUp);
        window.removeEventListener('touchend', onUp);
      };
    };
    refs.current.set(id, fn);
    return fn;
  };
}
