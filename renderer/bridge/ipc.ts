// IPC transport for the desktop app: wraps the preload's `window.switchboard` bridge, turning its
// callback-style streams into async iterables and AbortSignal into the bridge's cancel function.
import type { PreloadBridge } from '../../shared/contract';
import { createEventQueue } from './event-queue';
import { abortError, type Transport } from './transport';

export function createIpcTransport(bridge: PreloadBridge): Transport {
  return {
    async rpc(call) {
      const reply = await bridge.rpc(call);
      if ('error' in reply) throw new Error(reply.error.message);
      return reply.result;
    },
    async *stream(call, signal) {
      if (signal?.aborted) throw abortError();
      const queue = createEventQueue<unknown>();
      let finished = false;
      const cancel = bridge.stream(
        call,
        (event) => queue.push(event),
        (error) => {
          finished = true;
          queue.end(error === undefined ? undefined : new Error(error));
        },
      );
      const onAbort = () => {
        if (!finished) cancel();
        finished = true;
        queue.end(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        yield* queue.iterate();
      } finally {
        signal?.removeEventListener('abort', onAbort);
        // A consumer that stops iterating early no longer wants the stream: stop it in main too.
        if (!finished) cancel();
      }
    },
  };
}
