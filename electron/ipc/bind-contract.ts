// Binds the app-service contract to IPC: allowlisted request/response calls, streams with
// cancellation, and nothing else. Every message is checked against the sender check first.
import { IPC_CHANNELS, isRpcMethod, isStreamMethod, type AppContract, type RpcReply } from '../../shared/contract';
import type { IpcInvokeEvent, IpcMainLike, IpcSender, SenderCheck } from './types';

/** What a stream sends on IPC_CHANNELS.streamEvent. */
export type StreamMessage =
  | { streamId: string; event: unknown }
  | { streamId: string; end: true; error?: string };

export interface ContractBinding {
  /** Aborts the running streams (of one sender, or all); e.g. when the page reloads. */
  abortStreams(senderId?: number): void;
  /** Aborts every stream and removes the IPC handlers. */
  dispose(): void;
}

/**
 * Every stream method in shared/contract takes one request argument and then the AbortSignal. The
 * signal must land in its own slot, so a stream call with any other number of params is refused.
 */
const STREAM_PARAM_COUNT = 1;
const MAX_NAME_LENGTH = 64;
const MAX_STREAM_ID_LENGTH = 128;

type Call = { service: string; method: string; params: unknown[] };
type AnyMethod = (...args: unknown[]) => unknown;

export function bindContract(ipc: IpcMainLike, services: AppContract, isTrustedSender: SenderCheck): ContractBinding {
  const streams = new Map<string, { senderId: number; controller: AbortController }>();

  ipc.handle(IPC_CHANNELS.rpc, async (event, raw): Promise<RpcReply> => {
    if (!isTrustedSender(event)) return refuse('untrusted sender');
    const call = parseCall(raw);
    if (!call) return refuse('malformed call');
    if (!safeCheck(isRpcMethod, call)) return refuse(`unknown method ${call.service}.${call.method}`);
    try {
      return { result: await methodOf(services, call)(...call.params) };
    } catch (error) {
      return refuse(messageOf(error));
    }
  });

  ipc.handle(IPC_CHANNELS.stream, (event, raw): RpcReply => {
    if (!isTrustedSender(event)) return refuse('untrusted sender');
    const call = parseCall(raw);
    const streamId = streamIdOf(raw);
    if (!call || streamId === undefined) return refuse('malformed call');
    if (!safeCheck(isStreamMethod, call)) return refuse(`unknown stream ${call.service}.${call.method}`);
    if (call.params.length !== STREAM_PARAM_COUNT) return refuse(`expected ${STREAM_PARAM_COUNT} param`);
    const key = streamKey(event.sender.id, streamId);
    if (streams.has(key)) return refuse('stream id already in use');

    const controller = new AbortController();
    streams.set(key, { senderId: event.sender.id, controller });
    const start = (): unknown => methodOf(services, call)(...call.params, controller.signal);
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
async function pump(sender: IpcSender, streamId: string, controller: AbortController, start: () => unknown): Promise<void> {
  const { signal } = controller;
  const send = (message: StreamMessage): void => {
    if (!sender.isDestroyed()) sender.send(IPC_CHANNELS.streamEvent, message);
  };
  try {
    const events = start();
    if (!isAsyncIterable(events)) throw new Error('stream method did not return an async iterable');
    for await (const event of events) {
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

function parseCall(raw: unknown): Call | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { service, method, params } = raw as Record<string, unknown>;
  if (!isName(service) || !isName(method)) return undefined;
  if (params !== undefined && !Array.isArray(params)) return undefined;
  return { service, method, params: (params as unknown[] | undefined) ?? [] };
}

function streamIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { streamId } = raw as Record<string, unknown>;
  return typeof streamId === 'string' && streamId.length > 0 && streamId.length <= MAX_STREAM_ID_LENGTH
    ? streamId
    : undefined;
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

/** The allowlist checks index plain objects; names like `__proto__` must not throw past them. */
function safeCheck(check: (service: string, method: string) => boolean, call: Call): boolean {
  try {
    return check(call.service, call.method);
  } catch {
    return false;
  }
}

/** Only called after the allowlist said yes, so service and method are known names. */
function methodOf(services: AppContract, call: Call): AnyMethod {
  const service = services[call.service as keyof AppContract] as unknown as Record<string, AnyMethod>;
  const method = service[call.method];
  if (typeof method !== 'function') throw new Error(`${call.service}.${call.method} is not available`);
  return method.bind(service);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
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
