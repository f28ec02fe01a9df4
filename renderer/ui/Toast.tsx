// A short notice at the bottom of the screen with one action, for changes that can be taken back
// ("Deleted … Undo"). It only shows: the caller owns the timer and decides what Undo and Dismiss do.
import { useEffect, useRef } from 'react';
import './toast.css';

interface Props {
  message: string;
  actionLabel: string;
  onAction(): void;
  onDismiss(): void;
  /** Moves focus to the action when the toast appears (after the control that was used has gone). */
  focusAction?: boolean;
}

export function Toast({ message, actionLabel, onAction, onDismiss, focusAction }: Props) {
  const action = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (focusAction) action.current?.focus();
  }, [focusAction, message]);
  return (
    <div className="toast" role="status" data-testid="toast">
      <span className="toast-text">{message}</span>
      <button ref={action} type="button" className="btn btn-secondary btn-sm" onClick={onAction}>
        {actionLabel}
      </button>
      <button type="button" className="icon-btn toast-close" aria-label="Dismiss" title="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
