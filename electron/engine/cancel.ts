// Cancellation on the port's hot path: what the engine and undici read of an AbortSignal (`aborted`,
// `reason`, abort listeners) without node's EventTarget, whose AbortController cost ~3.5 µs and ~2 KB
// per request and attempt on Node 20. Code that needs a real AbortSignal asks asAbortSignal().

/** What the engine reads of a cancellation: an AbortSignal is one, and so is a Cancel. */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** An AbortController and its signal in one object: `signal` is the Cancel itself. */
export class Cancel implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  #listeners: Array<() => void> | undefined;
  #real: AbortController | undefined;

  get signal(): CancelSignal {
    return this;
  }

  /** Listeners run once, at the abort (as with `{ once: true }`); one added after it is never called, as with an AbortSignal. */
  addEventListener(_type: 'abort', listener: () => void, _options?: { once?: boolean }): void {
    if (!this.aborted) (this.#listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.#listeners?.indexOf(listener) ?? -1;
    if (i !== -1) this.#listeners!.splice(i, 1);
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
    const listeners = this.#listeners;
    this.#listeners = undefined;
    for (const listener of listeners ?? []) {
      // A listener that throws must not stop the others or end the process from a socket's 'close'.
      try {
        listener.call(this);
      } catch (error) {
        process.emitWarning(error as Error);
      }
    }
  }

  /** A real AbortSignal that follows this one, made once, for the APIs that need one (AbortSignal.any). */
  toAbortSignal(): AbortSignal {
    return (this.#real ??= following(this)).signal;
  }
}

/** An AbortController aborted when `signal` is (at once if it already is). */
function following(signal: CancelSignal): AbortController {
  const real = new AbortController();
  if (signal.aborted) real.abort(signal.reason);
  else signal.addEventListener('abort', () => real.abort(signal.reason), { once: true });
  return real;
}

/** `signal` as a real AbortSignal: itself when it is one. */
export const asAbortSignal = (signal: CancelSignal): AbortSignal =>
  signal instanceof AbortSignal ? signal : signal instanceof Cancel ? signal.toAbortSignal() : following(signal).signal;
