// Vitest runs unit tests beside the code and the integration/conformance tests under test/, and
// real client programs against the port under test/clients/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.ts',
      'test/conformance/**/*.test.ts',
      'test/integration/**/*.test.ts',
      'test/security/**/*.test.ts',
      'test/clients/**/*.test.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
