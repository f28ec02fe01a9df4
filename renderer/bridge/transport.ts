// The one shape both transports (HTTP for `serve`, IPC for the desktop) implement, so the typed
// client in client.ts is written once and never knows which wire it is on.
import type { RpcCall } from '../../shared/contract';

export interface Transport {
  /** Resolves with the call's result; rejects with an Error carrying the engine's message. */
  rpc(call: RpcCall): Promise<unknown>;
  /** Yields each event of a streaming call; ends when the engine ends it or `signal` aborts. */
  stream(call: RpcCall, signal?: AbortSignal): AsyncIterable<unknown>;
}

/** The error a transport raises when the caller aborted: consumers treat it as "stopped", not a failure. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

export function abortError(): Error {
  const error = new Error('The operation was aborted.');
  error.name = 'AbortError';
  return error;
}
