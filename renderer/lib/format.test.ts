// Durations in their natural unit with the unit kept on the number's line, and excerpts cut between words.
import { describe, expect, it } from 'vitest';
import { excerpt, formatDuration } from './format';

const nb = '\u00a0';

describe('formatDuration', () => {
  it('says a timeout in its natural unit, number and unit never split', () => {
    expect(formatDuration(900)).toBe(`900${nb}ms`);
    expect(formatDuration(8000)).toBe(`8${nb}s`);
    expect(formatDuration(1500)).toBe(`1.5${nb}s`);
    expect(formatDuration(180_000)).toBe(`3${nb}min`);
    expect(formatDuration(900_000)).toBe(`15${nb}min`);
    expect(formatDuration(150_000)).toBe(`2${nb}min 30${nb}s`);
    expect(formatDuration(3_600_000)).toBe(`1${nb}h`);
  });
});

describe('excerpt', () => {
  it('cuts at a word boundary with an ellipsis', () => {
    expect(excerpt('OK', 40)).toBe('OK');
    expect(excerpt('The quick brown fox jumps over the lazy dog, again and again', 30)).toBe('The quick brown fox jumps over…');
    expect(excerpt('  spaced\n\nout   text ', 40)).toBe('spaced out text');
  });
});
