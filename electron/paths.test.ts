import { describe, expect, it } from 'vitest';
import { DATA_DIR_ENV, defaultDataDir } from './paths';

describe('defaultDataDir', () => {
  it('uses the override from the environment', () => {
    expect(defaultDataDir({ [DATA_DIR_ENV]: '/tmp/sb-data' })).toBe('/tmp/sb-data');
  });

  it('falls back to a platform folder named Switchboard without the -nodejs suffix', () => {
    const dir = defaultDataDir({ [DATA_DIR_ENV]: '  ' });
    expect(dir).toMatch(/Switchboard/);
    expect(dir).not.toMatch(/nodejs/);
  });
});
