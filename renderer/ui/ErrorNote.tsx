// An inline error message, announced to screen readers as it appears.
import type { ReactNode } from 'react';

export function ErrorNote({ children, action }: { children: ReactNode; action?: ReactNode }) {
  return (
    <div className="error-note" role="alert">
      <span className="error-note-icon" aria-hidden="true">
        !
      </span>
      <span className="error-note-text">{children}</span>
      {action}
    </div>
  );
}
