// Bridges a push source (callbacks, as IPC delivers events) to a pull consumer (for await), so
// the IPC transport can offer the same AsyncIterable as the HTTP one.
export interface EventQueue<T> {
  push(value: T): void;
  /** Ends the iteration after the queued values; with an error, the iterator throws it. */
  end(error?: Error): void;
  iterate(): AsyncGenerator<T>;
}

export function createEventQueue<T>(): EventQueue<T> {
  const values: T[] = [];
  let ended = false;
  let failure: Error | undefined;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };

  return {
    push(value) {
      if (ended) return;
      values.push(value);
      notify();
    },
    end(error) {
      if (ended) return;
      ended = true;
      failure = error;
      notify();
    },
    async *iterate() {
      for (;;) {
        if (values.length > 0) {
          yield values.shift() as T;
          continue;
        }
        if (ended) {
          if (failure) throw failure;
          return;
        }
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
