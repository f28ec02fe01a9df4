// A target's health as the router reports it: one badge (its breaker, and whether its latest attempt
// failed: a closed breaker over a run of 503s is not "healthy"), and its latest errors.
import type { TargetHealthInfo } from '../../shared/types';
import { Badge } from './Page';

/** What the badge says: the breaker's state, or for a closed breaker, how the latest attempt went. */
export function healthOf(h: TargetHealthInfo): { tone: 'good' | 'warn' | 'bad'; text: string } {
  if (h.breaker === 'open') return { tone: 'bad', text: 'breaker open' };
  if (h.breaker === 'half-open') return { tone: 'warn', text: 'probing' };
  const last = h.recent.at(-1);
  return last && !last.ok ? { tone: 'warn', text: 'failing' } : { tone: 'good', text: 'healthy' };
}

export function BreakerBadge({ h }: { h: TargetHealthInfo | undefined }) {
  if (!h) return <span className="muted small">no traffic yet</span>;
  const { tone, text } = healthOf(h);
  return <Badge tone={tone}>{text}</Badge>;
}

/** The last three failures, by status or class (e.g. `503, timeout`); '' when there were none. */
export function recentErrors(h: TargetHealthInfo | undefined): string {
  const errors = (h?.recent ?? []).filter((e) => !e.ok).slice(-3);
  return errors.map((e) => `${e.status ?? e.errorClass ?? 'no response'}`).join(', ');
}
