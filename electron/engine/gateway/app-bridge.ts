// The headless app bridge: the renderer's HTTP transport to the app-service contract, admin token
// required (server.ts checks it, and the Origin, for every /app/ path). What may be called is the
// contract dispatcher's to say (contract-dispatch.ts); this file only speaks HTTP:
//
// - `POST /app/rpc` with an RpcCall: `{ result }` or `{ error: { message } }`.
// - `POST /app/stream` with an RpcCall: one stream as server-sent events, one `data:` line per event.
// - Multiplexed streams, for a browser page, which may hold only six HTTP/1.1 connections to a host
//   (one per open stream would stall its calls): `POST /app/events` opens the page's one event channel,
//   whose first event is `{ channel }` and then `{ stream, event }` or `{ stream, end: true }` for every
//   stream started on it; `POST /app/stream/start` with `{ channel, stream, call }` starts one (refusals
//   answered there, as for /app/stream), `POST /app/stream/cancel` with `{ channel, stream }` stops one.
//   Closing the channel stops every stream on it.
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ContractCallRefused, type ContractDispatcher, type StreamStart } from '../contract-dispatch';
import { StreamWriter } from './stream-writer';

/** More streams than a page ever runs at once (six compare columns, a chat, the change feed), so a runaway caller is bounded. */
export const MAX_STREAMS_PER_CHANNEL = 64;
const MAX_ID_LENGTH = 64;

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' };

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** A refused call is the caller's mistake (400) or not a call this port serves (404); a method's own failure is a 400 too. */
function sendError(res: ServerResponse, error: unknown): void {
  const status = error instanceof ContractCallRefused && error.reason === 'not-allowed' ? 404 : 400;
  sendJson(res, status, { error: { message: (error as Error).message } });
}

const frame = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;

/** One page's event channel: the response every stream of the page writes to, and those streams' stops. */
class Channel {
  readonly streams = new Map<string, AbortController>();
  private draining: Promise<void> | undefined;
  readonly out: StreamWriter;

  constructor(res: ServerResponse) {
    this.out = new StreamWriter(res);
  }

  /** Every stream waits on the same drain, so many streams add one listener to the socket, not one each. */
  ready(): Promise<void> | undefined {
    if (this.draining) return this.draining;
    const wait = this.out.ready();
    if (!wait) return undefined;
    this.draining = wait.finally(() => (this.draining = undefined));
    return this.draining;
  }
}

/** The open channels of each engine's bridge (keyed by its dispatcher, so engines in one process share nothing). */
const channelsByBridge = new WeakMap<ContractDispatcher, Map<string, Channel>>();

function channelsOf(contract: ContractDispatcher): Map<string, Channel> {
  let channels = channelsByBridge.get(contract);
  if (!channels) channelsByBridge.set(contract, (channels = new Map()));
  return channels;
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

export async function handleAppBridge(contract: ContractDispatcher, pathname: string, res: ServerResponse, body: unknown): Promise<void> {
  if (pathname === '/app/rpc') {
    try {
      return sendJson(res, 200, { result: await contract.call(body) });
    } catch (error) {
      return sendError(res, error);
    }
  }
  if (pathname === '/app/stream') {
    let start: StreamStart;
    try {
      start = contract.stream(body);
    } catch (error) {
      return sendError(res, error);
    }
    return relayEvents(res, start);
  }
  if (pathname === '/app/events') return openChannel(channelsOf(contract), res);
  if (pathname === '/app/stream/start') return startOnChannel(contract, channelsOf(contract), res, body);
  if (pathname === '/app/stream/cancel') return cancelOnChannel(channelsOf(contract), res, body);
  sendJson(res, 404, { error: { message: 'not found' } });
}

/** One `data:` line per event; a failure after the start is the stream's last event. */
async function relayEvents(res: ServerResponse, start: StreamStart): Promise<void> {
  const controller = new AbortController();
  res.on('close', () => controller.abort());
  res.writeHead(200, SSE_HEADERS);
  const out = new StreamWriter(res);
  try {
    for await (const event of start(controller.signal)) {
      out.write(frame(event));
      const wait = out.ready();
      if (wait) await wait;
    }
  } catch (error) {
    if (!controller.signal.aborted) out.write(frame({ type: 'error', message: (error as Error).message }));
  }
  out.end();
}

function openChannel(channels: Map<string, Channel>, res: ServerResponse): void {
  const id = randomUUID();
  const channel = new Channel(res);
  channels.set(id, channel);
  // The page went away (closed, reloaded, lost its link): nobody can read its streams any more.
  res.on('close', () => {
    channels.delete(id);
    for (const stop of channel.streams.values()) stop.abort();
    channel.streams.clear();
  });
  res.writeHead(200, SSE_HEADERS);
  channel.out.write(frame({ channel: id }));
}

function startOnChannel(contract: ContractDispatcher, channels: Map<string, Channel>, res: ServerResponse, body: unknown): void {
  const { channel: channelId, stream: streamId, call } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (!isId(channelId) || !isId(streamId))
    return sendJson(res, 400, { error: { message: 'malformed start: expected { channel, stream, call }' } });
  const channel = channels.get(channelId);
  // 410: the page's channel closed (the engine restarted, or the link dropped); the page opens a new one.
  if (!channel) return sendJson(res, 410, { error: { message: 'the event channel is closed; open a new one' } });
  if (channel.streams.has(streamId))
    return sendJson(res, 400, { error: { message: `stream ${streamId} is already open on this channel` } });
  if (channel.streams.size >= MAX_STREAMS_PER_CHANNEL)
    return sendJson(res, 429, { error: { message: `at most ${MAX_STREAMS_PER_CHANNEL} streams may be open on one channel` } });
  let start: StreamStart;
  try {
    start = contract.stream(call);
  } catch (error) {
    return sendError(res, error);
  }
  const stop = new AbortController();
  channel.streams.set(streamId, stop);
  sendJson(res, 200, { result: null });
  void pump(channel, streamId, start, stop);
}

/** Relays one stream onto its channel, as relayEvents does onto a response of its own. */
async function pump(channel: Channel, stream: string, start: StreamStart, stop: AbortController): Promise<void> {
  try {
    for await (const event of start(stop.signal)) {
      // A cancelled stream says nothing more: its reader is gone, and the channel is shared.
      if (stop.signal.aborted) break;
      channel.out.write(frame({ stream, event }));
      const wait = channel.ready();
      if (wait) await wait;
    }
  } catch (error) {
    if (!stop.signal.aborted) channel.out.write(frame({ stream, event: { type: 'error', message: (error as Error).message } }));
  }
  if (!stop.signal.aborted) channel.out.write(frame({ stream, end: true }));
  if (channel.streams.get(stream) === stop) channel.streams.delete(stream);
}

/** Idempotent: a stream that already ended (or a channel that closed) has nothing left to stop. */
function cancelOnChannel(channels: Map<string, Channel>, res: ServerResponse, body: unknown): void {
  const { channel: channelId, stream: streamId } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (!isId(channelId) || !isId(streamId))
    return sendJson(res, 400, { error: { message: 'malformed cancel: expected { channel, stream }' } });
  const channel = channels.get(channelId);
  const stop = channel?.streams.get(streamId);
  if (stop) {
    channel!.streams.delete(streamId);
    stop.abort();
  }
  sendJson(res, 200, { result: null });
}
