// One line per port request for `switchboard serve --log`: when, who, which dialect and path, what was
// asked for and who answered, the outcome, time and tokens; for a refused request, why.
import type { PortRequestLogEntry } from '../../shared/types';
import { dialectOf } from '../engine/gateway/dialect-errors';

const asked = (e: PortRequestLogEntry): string => e.route ?? (e.provider && e.model ? `${e.provider}/${e.model}` : (e.model ?? '-'));

export function formatRequestLine(e: PortRequestLogEntry): string {
  const path = e.path ?? '-';
  const dialect = e.path ? dialectOf(e.path) : '-';
  const answered = e.provider && e.model ? `${e.provider}/${e.model}` : '-';
  const failovers = e.attempts.length > 1 ? ` after ${e.attempts.length} attempts` : '';
  const parts = [
    new Date(e.startedAt).toISOString(),
    e.client ?? '(no token)',
    `${dialect} ${path}`,
    `${asked(e)} -> ${answered}${failovers}`,
    `${e.httpStatus} ${e.status}`,
    `${Math.round(e.durationMs)}ms`,
    `tokens ${e.inputTokens}/${e.outputTokens}`,
  ];
  // Refusals and failures say why; the message is already free of keys and tokens (the port redacts them).
  if (e.status !== 'ok' && e.errorMessage) parts.push(`: ${e.errorMessage.replace(/\s+/g, ' ').slice(0, 300)}`);
  if (e.notes?.length) parts.push(`(${e.notes.join('; ').slice(0, 300)})`);
  return parts.join('  ');
}
