// The note a screen shows when a reply passed a soft budget (the request went through): the engine's
// own message, announced politely, with a way to dismiss it. Chat and Compare show the same one.
import './budget-warning.css';

export function BudgetWarning({ message, onDismiss }: { message: string; onDismiss: () => void }) {
  return (
    <div className="warn-note" role="status" data-testid="budget-warning">
      <span className="warn-note-icon" aria-hidden="true">
        !
      </span>
      <span className="warn-note-text">Over a soft budget: {message}</span>
      <button type="button" className="icon-btn" aria-label="Dismiss budget warning" title="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
