// How the contract travels: the allow-lists of methods a transport may forward (typed against the
// contract, so a misspelled method does not compile), and the wire shapes of the IPC and HTTP bridges.
// The services themselves are contract.ts's; it re-exports all of this.
import type { AppContract } from './contract';

export type ServiceName = keyof AppContract;

/** A service's request/response methods (they return a promise): what RPC_METHODS may name. */
export type RpcMethodOf<S extends ServiceName> = {
  [M in keyof AppContract[S]]: AppContract[S][M] extends (...args: never[]) => Promise<unknown> ? M : never;
}[keyof AppContract[S]] &
  string;

/** A service's streaming methods (they return an async iterable): what STREAM_METHODS may name. */
export type StreamMethodOf<S extends ServiceName> = {
  [M in keyof AppContract[S]]: AppContract[S][M] extends (...args: never[]) => AsyncIterable<unknown> ? M : never;
}[keyof AppContract[S]] &
  string;

/** An allow-list typed against the contract: a misspelled or wrong-kind method does not compile. */
export type RpcAllowList = { readonly [S in ServiceName]?: readonly RpcMethodOf<S>[] };
export type StreamAllowList = { readonly [S in ServiceName]?: readonly StreamMethodOf<S>[] };

/** Request/response calls a transport may forward: service -> method names. */
export const RPC_METHODS = {
  models: ['list'],
  chat: ['stop'],
  providers: ['list', 'presets', 'add', 'update', 'remove', 'models', 'discover', 'create', 'available', 'addModels'],
  routes: ['list', 'health', 'aliases', 'save', 'remove'],
  tokens: ['create', 'list', 'revoke'],
  port: ['info', 'updateSettings', 'requests', 'setupGuides', 'setEnabled'],
  spend: ['summary', 'series', 'exportCsv', 'requests'],
  budgets: ['list', 'set', 'status', 'warnings'],
  keys: ['test', 'set', 'remove', 'storage'],
  catalog: ['info', 'refresh', 'setOverride'],
  conversations: ['list', 'get', 'remove', 'rename', 'truncate', 'search', 'put', 'setOptions'],
  settings: ['exportConfig', 'importConfig', 'preferences', 'setPreferences', 'dataLocation', 'chatDefaults', 'setChatDefaults'],
  team: ['status', 'members'],
} as const satisfies RpcAllowList;

/** Streaming calls a transport may forward: service -> method names. */
export const STREAM_METHODS = {
  chat: ['stream'],
  settings: ['changes'],
} as const satisfies StreamAllowList;

/** The methods of `S` one of the allow-lists names. */
type Listed<S extends ServiceName> =
  | (S extends keyof typeof RPC_METHODS ? (typeof RPC_METHODS)[S][number] : never)
  | (S extends keyof typeof STREAM_METHODS ? (typeof STREAM_METHODS)[S][number] : never);

/** Contract methods neither list names, as `service.method` (never, when the lists are complete). */
export type UnlistedMethod = { [S in ServiceName]: `${S}.${Exclude<keyof AppContract[S] & string, Listed<S>>}` }[ServiceName];

/**
 * Every contract method is callable over both transports: a method added to a service but to neither
 * list fails to compile here, naming it. (The renderer's client is built from the lists, so it is whole.)
 */
export const EVERY_METHOD_LISTED: [UnlistedMethod] extends [never] ? true : UnlistedMethod = true;

// Own-property checks: names like `__proto__` or `constructor` must be refused, not looked up.
export function isRpcMethod(service: string, method: string): boolean {
  if (!Object.hasOwn(RPC_METHODS, service)) return false;
  const methods = (RPC_METHODS as Record<string, readonly string[]>)[service];
  return methods !== undefined && methods.includes(method);
}

export function isStreamMethod(service: string, method: string): boolean {
  if (!Object.hasOwn(STREAM_METHODS, service)) return false;
  const methods = (STREAM_METHODS as Record<string, readonly string[]>)[service];
  return methods !== undefined && methods.includes(method);
}

/**
 * Wire shape shared by both transports.
 * HTTP (serve): `POST /app/rpc` with body RpcCall -> 200 `{ result }` or 4xx/5xx `{ error: { message } }`;
 * `POST /app/stream` with body RpcCall -> `text/event-stream`, one `data: <json event>` per event;
 * a browser page multiplexes its streams over one `POST /app/events` channel instead, starting and
 * stopping each with `POST /app/stream/start` / `/app/stream/cancel` (gateway/app-bridge.ts).
 * All need `Authorization: Bearer <admin token>`.
 * IPC (desktop): channel `app:rpc` (invoke, RpcCall -> RpcReply); channel `app:stream` (invoke with
 * RpcCall & { streamId }) then events on `app:stream-event` as { streamId, event } or { streamId, end: true };
 * `app:stream-cancel` with { streamId } aborts.
 */
export interface RpcCall {
  service: string;
  method: string;
  params: unknown[];
}

export type RpcReply = { result: unknown } | { error: { message: string } };

export const IPC_CHANNELS = {
  rpc: 'app:rpc',
  stream: 'app:stream',
  streamEvent: 'app:stream-event',
  streamCancel: 'app:stream-cancel',
} as const;

/** What the preload script exposes as `window.switchboard` (desktop only). */
export interface PreloadBridge {
  rpc(call: RpcCall): Promise<RpcReply>;
  /**
   * Starts a stream (a stream method takes one request param; the transport adds the abort signal).
   * Returns a function that cancels it. `onEnd` runs once after the last event, unless cancelled:
   * after cancel no callback runs.
   */
  stream(call: RpcCall, onEvent: (event: unknown) => void, onEnd: (error?: string) => void): () => void;
}
