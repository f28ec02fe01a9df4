import { describe, expect, it } from 'vitest';
import { withFields } from './with-fields';

describe('withFields', () => {
  it('copies the base with the fields added or replaced, leaving the base as it was', () => {
    const base = { a: 1, b: 'two', shared: { n: 3 } };
    const copy = withFields(base, { b: 'replaced', c: true });
    expect(copy).toEqual({ a: 1, b: 'replaced', shared: { n: 3 }, c: true });
    expect(copy).not.toBe(base);
    expect(base).toEqual({ a: 1, b: 'two', shared: { n: 3 } });
    expect(copy.shared).toBe(base.shared); // shallow, as a spread is
  });

  it('gives the same own fields as the spread it replaces, for each shape the failover loop sees', () => {
    const shapes: object[] = [
      { head: 'h', rest: {} },
      { text: 't', json: {} },
      { text: 't', json: {}, usage: null },
    ];
    for (const opened of shapes) {
      const fields = { target: { id: 'x' }, keyLabel: 'default', attempts: [] };
      expect(withFields(opened, fields)).toStrictEqual({ ...opened, ...fields });
    }
  });
});
