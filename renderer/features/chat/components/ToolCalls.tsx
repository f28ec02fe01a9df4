// The tool calls a reply made, each collapsed to its name with its arguments inside. The chat offers
// no tools and runs none, so a call has no result here; the note says so instead of an empty bubble.
import type { ToolCallInfo } from '../../../../shared/types';

/** Arguments as the model sent them, indented when they are JSON. */
function pretty(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

export function ToolCalls({ calls }: { calls: ToolCallInfo[] }) {
  return (
    <div className="tool-calls">
      {calls.map((call, i) => (
        <details key={`${call.id}-${i}`} className="tool-call" data-testid="tool-call">
          <summary>
            <span className="tool-call-kind">Tool call</span> <code className="tool-call-name">{call.name}</code>
          </summary>
          <pre className="tool-call-args" aria-label={`Arguments of ${call.name}`}>
            {pretty(call.arguments) || '(no arguments)'}
          </pre>
        </details>
      ))}
      <p className="reply-note">Chat runs no tools, so no result came back.</p>
    </div>
  );
}
