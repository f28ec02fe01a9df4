// Masks a secret for display (`sk-…abcd`): enough to tell keys apart, never enough to use one.

/** Below this length the first and last characters would reveal too much of the key, so nothing is shown. */
const MIN_REVEAL_LENGTH = 16;

export function mask(secret: string): string {
  if (secret.length < MIN_REVEAL_LENGTH) return '****';
  return `${secret.slice(0, 3)}…${secret.slice(-4)}`;
}
