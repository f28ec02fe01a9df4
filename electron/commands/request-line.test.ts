import { describe, expect, it } from 'vitest';
import type { PortRequestLogEntry } from '../../shared/types';
import { formatRequestLine } from './request-line';

const base: PortRequestLogEntry = {
  id: 'r1',
  startedAt: Date.UTC(2026, 10, 29, 12, 0, 0),
  client: 'claude-code',
  route: 'default',
  provider: 'anthropic',
  model: 'claude-x',
  path: '/v1/messages',
  status: 'ok',
  httpStatus: 200,
  attempts: [
    { provider: 'acme', model: 'm1', status: 503, durationMs: 3 },
    { provider: 'anthropic', model: 'claude-x', status: 200, durationMs: 40 },
  ],
  inputTokens: 12,
  outputTokens: 34,
  costUsd: 0.001,
  ttftMs: 20,
  durationMs: 51.6,
};

describe('serve --log lines', () => {
  it('a routed request: time, client, dialect and path, asked -> answered, status, ms, tokens', () => {
    expect(formatRequestLine(base)).toBe(
      '2026-11-29T12:00:00.000Z  claude-code  anthropic /v1/messages  default -> anthropic/claude-x after 2 attempts  200 ok  52ms  tokens 12/34',
    );
  });

  it('a refused request says why', () => {
    const line = formatRequestLine({
      ...base,
      client: null,
      route: null,
      provider: null,
      model: null,
      path: '/v1/chat/completions',
      status: 'refused',
      httpStatus: 401,
      attempts: [],
      inputTokens: 0,
      outputTokens: 0,
      durationMs: 0,
      errorMessage: 'missing client token:\n create one',
    });
    expect(line).toContain('(no token)  openai /v1/chat/completions  - -> -  401 refused');
    expect(line.endsWith(': missing client token: create one')).toBe(true);
  });
});
