// The renderer's only door to the main process: `window.switchboard`, a PreloadBridge over three
// invoke channels and one event channel. Raw ipcRenderer never reaches the page.
// Runs sandboxed, so it is bundled to CommonJS and may only require 'electron' (see scripts/build.mjs).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_CHANNELS, type PreloadBridge, type RpcCall, type RpcReply } from '../shared/contract';

interface StreamHandlers {
  onEvent(event: unknown): void;
  onEnd(error?: string): void;
}

const streams = new Map<string, StreamHandlers>();
let counter = 0;

// One listener serves every stream (side-by-side compare runs several at once); it is attached
// only while a stream is open so an idle page holds no listener.
function dispatch(_event: IpcRendererEvent, message: unknown): void {
  if (typeof message !== 'object' || message === null) return;
  const { streamId, event, end, error } = message as { streamId?: unknown; event?: unknown; end?: unknown; error?: unknown };
  const handlers = typeof streamId === 'string' ? streams.get(streamId) : undefined;
  if (!handlers) return;
  if (end === true) {
    finish(streamId as string);
    handlers.onEnd(typeof error === 'string' ? error : undefined);
  } else {
    handlers.onEvent(event);
  }
}

function finish(streamId: string): void {
  streams.delete(streamId);
  if (streams.size === 0) ipcRenderer.removeListener(IPC_CHANNELS.streamEvent, dispatch);
}

function newStreamId(): string {
  // Unique across page reloads too, so a stream left over from the previous page never collides.
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  return `${random}-${++counter}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const bridge: PreloadBridge = {
  async rpc(call: RpcCall): Promise<RpcReply> {
    try {
      return (await ipcRenderer.invoke(IPC_CHANNELS.rpc, call)) as RpcReply;
    } catch (error) {
      return { error: { message: errorMessage(error) } };
    }
  },

  /**
   * Events arrive through onEvent; onEnd runs once, after the last event or when the start is
   * refused. Cancelling is the caller's own act, so after cancel() no callback runs, onEnd included.
   */
  stream(call, onEvent, onEnd): () => void {
    const streamId = newStreamId();
    if (streams.size === 0) ipcRenderer.on(IPC_CHANNELS.streamEvent, dispatch);
    streams.set(streamId, { onEvent, onEnd });

    const fail = (message: string): void => {
      if (!streams.has(streamId)) return;
      finish(streamId);
      onEnd(message);
    };
    ipcRenderer
      .invoke(IPC_CHANNELS.stream, { service: call.service, method: call.method, params: call.params, streamId })
      .then((reply: RpcReply) => {
        if ('error' in reply) fail(reply.error.message);
      })
      .catch((error: unknown) => fail(errorMessage(error)));

    return () => {
      if (!streams.has(streamId)) return;
      finish(streamId);
      void ipcRenderer.invoke(IPC_CHANNELS.streamCancel, { streamId }).catch(() => {});
    };
  },
};

contextBridge.exposeInMainWorld('switchboard', bridge);
