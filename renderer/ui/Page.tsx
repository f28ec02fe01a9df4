// Page furniture shared by the screens: a header with title and actions, cards, badges, and the
// loading / error states of a read-only list.
import type { ReactNode } from 'react';
import type { Load } from '../lib/use-load';
import { Button } from './Button';
import { ErrorNote } from './ErrorNote';

export function PageHeader({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {children && <div className="page-actions">{children}</div>}
    </header>
  );
}

export function Card({
  title,
  aside,
  children,
  className,
  label,
}: {
  title?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
  className?: string;
  label?: string;
}) {
  return (
    <section className={['card', className].filter(Boolean).join(' ')} aria-label={label}>
      {(title || aside) && (
        <div className="card-head">
          {title && <h2 className="card-title">{title}</h2>}
          {aside}
        </div>
      )}
      {children}
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'accent'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** A button that is visibly unavailable and says why (a native title plus a described-by note). */
export function ComingButton({ children, reason, id }: { children: ReactNode; reason: string; id: string }) {
  return (
    <span className="coming" title={reason}>
      <Button variant="secondary" disabled aria-describedby={id}>
        {children}
      </Button>
      <span id={id} role="tooltip" className="coming-tip">
        {reason}
      </span>
    </span>
  );
}

export function LoadState<T>({ state, onRetry, children }: { state: Load<T>; onRetry(): void; children: (data: T) => ReactNode }) {
  if (state.status === 'loading')
    return (
      <p className="muted" role="status">
        Loading…
      </p>
    );
  if (state.status === 'error')
    return (
      <ErrorNote
        action={
          <Button variant="ghost" onClick={onRetry}>
            Retry
          </Button>
        }
      >
        {state.error}
      </ErrorNote>
    );
  return <>{children(state.data)}</>;
}
