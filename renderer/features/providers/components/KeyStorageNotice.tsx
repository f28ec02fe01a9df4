// The banner shown while no OS keychain is reachable: keys added now last for this session only, and
// how to get a keychain, in the engine's plain words (never a system error).
import type { KeyStorageInfo } from '../../../../shared/setup-types';

/** The engine marks commands with backticks: they show as code. */
function withCode(text: string) {
  return text.split('`').map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part));
}

export function KeyStorageNotice({ storage }: { storage: KeyStorageInfo }) {
  if (storage.mode !== 'session') return null;
  return (
    <section className="notice notice-warn" aria-labelledby="key-storage-title">
      <h2 id="key-storage-title" className="notice-title">
        Keys are kept for this session only
      </h2>
      <p className="notice-body">
        {storage.help?.summary ??
          'No OS keychain is available: a key you add is kept in memory until Switchboard stops, and is not kept after a restart.'}
        {storage.sessionKeys > 0 && ` ${storage.sessionKeys === 1 ? 'One key is' : `${storage.sessionKeys} keys are`} held this way now.`}
      </p>
      {storage.help && storage.help.steps.length > 0 && (
        <details className="notice-details">
          <summary>How to keep keys after a restart</summary>
          <ul>
            {storage.help.steps.map((step) => (
              <li key={step}>{withCode(step)}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
