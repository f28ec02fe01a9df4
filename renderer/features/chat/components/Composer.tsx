// Where the user writes: Enter sends, Shift+Enter adds a line, Escape stops a streaming reply.
// While a reply streams the Send button becomes Stop.
import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../../../ui/Button';
import { SendIcon, StopIcon } from '../../../ui/Icons';

interface Props {
  draft: string;
  streaming: boolean;
  canSend: boolean;
  onDraft(text: string): void;
  onSend(): void;
  onStop(): void;
}

export function Composer({ draft, streaming, canSend, onDraft, onSend, onStop }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);

  // Give the keyboard back to the text box once a reply has finished.
  useEffect(() => {
    if (!streaming) input.current?.focus();
  }, [streaming]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!streaming && canSend) onSend();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (!streaming && canSend) onSend();
    } else if (e.key === 'Escape' && streaming) {
      e.preventDefault();
      onStop();
    }
  };

  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        ref={input}
        className="composer-input"
        aria-label="Message"
        placeholder="Send a message…  (Enter to send, Shift+Enter for a new line)"
        rows={1}
        value={draft}
        onChange={(e) => onDraft(e.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <Button key="stop" variant="danger" aria-label="Stop" onClick={onStop}>
          <StopIcon />
          <span>Stop</span>
        </Button>
      ) : (
        <Button key="send" variant="primary" type="submit" aria-label="Send" disabled={!canSend}>
          <span>Send</span>
          <SendIcon />
        </Button>
      )}
    </form>
  );
}
