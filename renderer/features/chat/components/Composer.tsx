// Where the user writes: Enter sends, Shift+Enter adds a line, Escape stops a streaming reply.
// While a reply streams the Send button becomes Stop. Images can be attached (sent as image parts).
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent, type KeyboardEvent } from 'react';
import { Button } from '../../../ui/Button';
import { ImageIcon, SendIcon, StopIcon } from '../../../ui/Icons';

/** Bigger images are refused here: they would go inline in every later request of the conversation. */
const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });
}

interface Props {
  draft: string;
  streaming: boolean;
  canSend: boolean;
  attachments: string[];
  onAttach(dataUrl: string): void;
  onDetach(index: number): void;
  onDraft(text: string): void;
  onSend(): void;
  onStop(): void;
}

export function Composer({ draft, streaming, canSend, attachments, onAttach, onDetach, onDraft, onSend, onStop }: Props) {
  const input = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [refused, setRefused] = useState<string | null>(null);

  const onFiles = async (e: ChangeEvent<HTMLInputElement>) => {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    setRefused(null);
    for (const file of files) {
      if (!IMAGE_TYPES.includes(file.type)) setRefused(`${file.name}: only PNG, JPEG, GIF or WebP images can be attached.`);
      else if (file.size > MAX_IMAGE_BYTES) setRefused(`${file.name} is larger than 4 MB.`);
      else onAttach(await readAsDataUrl(file));
    }
  };

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
      {(attachments.length > 0 || refused) && (
        <div className="composer-attachments">
          {attachments.map((url, i) => (
            <span key={i} className="attachment">
              <img src={url} alt={`Attached image ${i + 1}`} />
              <button type="button" className="icon-btn" aria-label={`Remove image ${i + 1}`} onClick={() => onDetach(i)}>
                ×
              </button>
            </span>
          ))}
          {refused && (
            <span className="attachment-error" role="alert">
              {refused}
            </span>
          )}
        </div>
      )}
      <input
        ref={picker}
        type="file"
        accept={IMAGE_TYPES.join(',')}
        multiple
        hidden
        aria-hidden="true"
        tabIndex={-1}
        data-testid="image-input"
        onChange={(e) => void onFiles(e)}
      />
      <button
        type="button"
        className="icon-btn composer-attach"
        aria-label="Attach image"
        title="Attach image"
        disabled={streaming}
        onClick={() => picker.current?.click()}
      >
        <ImageIcon />
      </button>
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
