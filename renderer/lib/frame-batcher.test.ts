// The batcher must keep every delta, in order, and apply them in one update per frame.
import { describe, expect, it } from 'vitest';
import { createFrameBatcher } from './frame-batcher';

describe('createFrameBatcher', () => {
  it('coalesces deltas per key until the frame runs', () => {
    const frames: Array<() => void> = [];
    const applied: Array<Array<[string, string]>> = [];
    const b = createFrameBatcher<string>(
      (p) => applied.push([...p]),
      (run) => frames.push(run),
    );
    b.add('a', 'He');
    b.add('b', 'x');
    b.add('a', 'llo');
    expect(applied).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(applied).toEqual([
      [
        ['a', 'Hello'],
        ['b', 'x'],
      ],
    ]);
    b.add('a', '!');
    b.flush();
    expect(applied[1]).toEqual([['a', '!']]);
    frames[1]!(); // the scheduled frame finds nothing left
    expect(applied).toHaveLength(2);
  });
});
