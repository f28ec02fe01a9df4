// ChurnSet against a plain Set: the same members after any sequence of adds and deletes, each visited once.
import { describe, expect, it } from 'vitest';
import { ChurnSet } from './churn-set';

interface Item {
  name: number;
  churnSlot: number;
}

describe('ChurnSet', () => {
  it('holds what a Set holds, through generated adds, deletes and deleting visits', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const items: Item[] = Array.from({ length: 40 }, (_, name) => ({ name, churnSlot: -1 }));
    const churn = new ChurnSet<Item>();
    const plain = new Set<Item>();
    for (let step = 0; step < 5_000; step++) {
      const item = items[Math.floor(random() * items.length)]!;
      const r = random();
      if (r < 0.5) {
        churn.add(item);
        plain.add(item);
      } else if (r < 0.95) {
        expect(churn.delete(item)).toBe(plain.delete(item));
      } else {
        // A visit that deletes some of what it is given sees each member once.
        const seen: number[] = [];
        churn.forEach((i) => {
          seen.push(i.name);
          if (i.name % 3 === 0) churn.delete(i);
        });
        expect(seen.sort((a, b) => a - b)).toEqual([...plain].map((i) => i.name).sort((a, b) => a - b));
        for (const i of [...plain]) if (i.name % 3 === 0) plain.delete(i);
      }
      expect(churn.size).toBe(plain.size);
      for (const i of items) expect(churn.has(i)).toBe(plain.has(i));
    }
    expect(new Set(churn.values())).toEqual(plain);
  });
});
