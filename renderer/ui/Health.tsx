// A target's health as the router reports it: its breaker as a badge, and its latest errors.
import type { TargetHealthInfo } from '../../shared/types';
import { Badge } from './Page';

export function BreakerBadge({ h }: { h: TargetHealthInfo | undefined }) {
  if (!h) return <span className="muted small">no traffic yet</span>;
  const tone = h.breaker === 'closed' ? 'good' : h.breaker === 'open' ? 'bad' : 'warn';
  return <Badge tone={tone}>{h.breaker === 'closed' ? 'healthy' : h.breaker === 'open' ? 'breaker open' : 'probing'}</Badge>;
}

/** The last three failures, by status or class (e.g. `503, timeout`); '' when there were none. */
export function recentErrors(h: TargetHealthInfo | undefined): string {
  const errors = (h?.recent ?? []).filter((e) => !e.ok).slice(-3);
  return errors.map((e) => `${e.status ?? e.errorClass ?? 'no response'}`).join(', ');
}
