// Moving keyboard focus where the user's attention goes: to a screen's heading when the screen changes
// (so screen readers announce it and Tab continues from the top), and back to the control that opened
// an editor once the editor closes (so focus never falls to <body>).

/** Focuses the first `h1` of the element matching `rootSelector`, making it focusable by script only. */
export function focusHeading(rootSelector: string): boolean {
  const heading = document.querySelector<HTMLElement>(`${rootSelector} h1`);
  if (!heading) return false;
  if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
  heading.focus();
  return true;
}

/**
 * Focuses the element matching `selector` after React has committed the next render (the element may
 * not exist yet: an Edit button that comes back when its editor closes, or after a reload). Gives up
 * after about half a second.
 */
export function focusSoon(selector: string, tries = 30): void {
  requestAnimationFrame(() => {
    const el = document.querySelector<HTMLElement>(selector);
    if (el && !el.matches(':disabled')) el.focus();
    else if (tries > 1) focusSoon(selector, tries - 1);
  });
}

/** A CSS attribute-selector value with quotes and backslashes escaped. */
export const attr = (value: string): string => `"${value.replace(/["\\]/g, '\\$&')}"`;
