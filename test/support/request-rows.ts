// Ledger rows for tests: one ordinary, priced, successful port request, with whatever a test cares
// about overridden. Ids are unique within the test process.
import type { RequestRecord } from '../../electron/engine/ledger/types';

let seq = 0;

/**
 * A finished request from the client `cursor`: openai/gpt-4o-mini, 1000 tokens in and 200 out for
 * $0.0015, started now. Suites add these figures up in their expected totals: they are fixed.
 */
export function requestRow(overrides: Partial<RequestRecord> = {}): RequestRecord {
  seq += 1;
  return {
    id: `row-${seq}`,
    startedAt: Date.now(),
    source: 'port',
    client: 'cursor',
    route: null,
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 'ok',
    httpStatus: 200,
    attempts: [],
    inputTokens: 1000,
    outputTokens: 200,
    costUsd: 0.0015,
    ttftMs: 100,
    durationMs: 300,
    ...overrides,
  };
}
