// The keys a route target cannot use right now, as the router reports them: cooling down after a 429
// (on this model, or the whole key when the provider said the account is out), or retired after
// 401/402/403, with when the router next checks it with one request.
import type { KeyHealthInfo } from '../../../../shared/types';
import { Badge } from '../../../ui/Page';

/** The entries that concern `provider/model`: its own cooldowns, whole-key cooldowns, retired keys. */
export const keysOfTarget = (keys: KeyHealthInfo[], provider: string, model: string): KeyHealthInfo[] =>
  keys.filter((k) => k.provider === provider && (k.model === null || k.model === model));

const clock = (at: number): string => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function TargetKeys({ keys }: { keys: KeyHealthInfo[] }) {
  return (
    <>
      {keys.map((k) => (
        <span key={`${k.label}\0${k.model ?? ''}`} className="small" title={k.reason}>
          <Badge tone={k.state === 'retired' ? 'bad' : 'warn'}>
            key {k.label}{' '}
            {k.state === 'retired'
              ? `retired${k.status ? ` (${k.status})` : ''}`
              : k.model === null
                ? 'cooling down (whole account)'
                : 'cooling down'}
          </Badge>{' '}
          {k.state === 'retired'
            ? k.nextCheckAt !== null && <span className="muted">next check {clock(k.nextCheckAt)}</span>
            : k.until !== null && <span className="muted">until {clock(k.until)}</span>}
        </span>
      ))}
    </>
  );
}
