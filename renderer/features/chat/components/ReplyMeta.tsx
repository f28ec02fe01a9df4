// The line under a finished or stopped reply: who answered, tokens, cost, time to first token, retries.
import type { ReplyReport } from '../chat-types';
import { metaParts } from '../format';

export function ReplyMeta({ report }: { report: ReplyReport }) {
  const parts = metaParts(report);
  return (
    <p className="reply-meta" data-testid="reply-meta" aria-label={`Reply details: ${parts.join(', ')}`}>
      {parts.map((part, i) => (
        <span key={i} className={i === 0 ? 'reply-meta-model' : undefined}>
          {part}
        </span>
      ))}
    </p>
  );
}
