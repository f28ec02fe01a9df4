// Binds the app-service contract to IPC: request/response calls, streams with cancellation, and
// nothing else. Every message is checked against the sender check first; what may be called is the
// contract dispatcher's to say (engine/contract-dispatch.ts, shared with the HTTP bridge).
import { IPC_CHANNELS, type AppContract, type RpcReply } from '../../shared/contract';
import { createContractDispatcher, type StreamStart } from '../engine/contract-dispatch';
import type { IpcInvokeEvent, IpcMainLike, IpcSender, SenderCheck } from './types';

/** What a stream sends on IPC_CHANNELS.streamEvent. */
export type StreamMessage = { streamId: string; event: unknown } | { streamId: string; end: true; error?: string };

export interface ContractBinding {
  /** Aborts the running streams (of one sender, or all); e.g. when the page reloads. */
  abortStreams(senderId?: number): void;
  /** Aborts every stream and removes the IPC handlers. */
  dispose(): void;
}

const MAX_STREAM_ID_LENGTH = 128;

export function bindContract(ipc: IpcMainLike, services: AppContract, isTrustedSender: SenderCheck): ContractBinding {
  const contract = createContractDispatcher(services);
  const streams = new Map<string, { senderId: number; controller: AbortController }>();

  ipc.handle(IPC_CHANNELS.rpc, async (event, raw): Promise<RpcReply> => {
    if (!isTrustedSender(event)) return refuse('untrusted sender');
    try {
      return { result: await contract.call(raw) };
    } catch (error) {
      return refuse(messageOf(error));
    }
  });

  ipc.handle(IPC_CHANNELS.stream, (event, raw): RpcReply => {
    if (!isTrustedSender(event)) return refuse('untrusted sender');
    const streamId = streamIdOf(raw);
    if (streamId === undefined) return refuse('malformed call: a stream needs a streamId');
    let start: StreamStart;
    try {
      start = contract.stream(raw);
    } catch (error) {
      return refuse(messageOf(error));
    }
    const key = streamKey(event.sender.id, streamId);
    if (streams.has(key)) return refuse('stream id already in use');

    const controller = new AbortController();
    streams.set(key, { senderId: event.sender.id, controller });
    void pump(event.sender, streamId, controller, start).finally(() => streams.delete(key));
    return { result: null };
  });

  ipc.handle(IPC_CHANNELS.streamCancel, (event: IpcInvokeEvent, raw): void => {
    if (!isTrustedSender(event)) return;
    const streamId = streamIdOf(raw);
    if (streamId !== undefined) streams.get(streamKey(event.sender.id, streamId))?.controller.abort();
  });

  const abortStreams = (senderId?: number): void => {
    for (const { senderId: owner, controller } of streams.values()) {
      if (senderId === undefined || owner === senderId) controller.abort();
    }
  };
  return {
    abortStreams,
    dispose() {
      abortStreams();
      ipc.removeHandler(IPC_CHANNELS.rpc);
      ipc.removeHandler(IPC_CHANNELS.stream);
      ipc.removeHandler(IPC_CHANNELS.streamCancel);
    },
  };
}

/** Forwards one stream's events to its renderer and always finishes with exactly one end message. */
async function pump(sender: IpcSender, streamId: string, controller: AbortController, start: StreamStart): Promise<void> {
  const { signal } = controller;
  const send = (message: StreamMessage): void => {
    if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.streamEvent, message);
  };
  try {
    for await (const event of start(signal)) {
      // A closed window cannot read the rest; stop the upstream request rather than pay for it.
      if (sender.isDestroyed()) controller.abort();
      if (signal.aborted) break;
      send({ streamId, event });
    }
    send(signal.aborted ? { streamId, end: true, error: 'cancelled' } : { streamId, end: true });
  } catch (error) {
    send({ streamId, end: true, error: signal.aborted ? 'cancelled' : messageOf(error) });
  }
}

function streamIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { streamId } = raw as Record<string, unknown>;
  return typeof streamId === 'string' && streamId.length > 0 && streamId.length <= MAX_STREAM_ID_LENGTH ? streamId : undefined;
}

function streamKey(senderId: number, streamId: string): string {
  return `${senderId}:${streamId}`;
}

function refuse(message: string): RpcReply {
  return { error: { message } };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
