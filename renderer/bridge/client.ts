// One typed AppContract over either transport: IPC when the preload exposed `window.switchboard`
// (desktop), HTTP otherwise (the same UI served by `switchboard serve` in a browser).
import { RPC_METHODS, STREAM_METHODS, type AppContract, type PreloadBridge } from '../../shared/contract';
import { createHttpTransport } from './http';
import { createIpcTransport } from './ipc';
import { takeAdminToken } from './token';
import type { Transport } from './transport';

type AnyFn = (...args: unknown[]) => unknown;

/** What the allow-lists make callable: an AppContract only when they name every method (else this file fails to compile). */
type ListedClient = { [S in keyof typeof RPC_METHODS]: Pick<AppContract[S], (typeof RPC_METHODS)[S][number] & keyof AppContract[S]> } & {
  [S in keyof typeof STREAM_METHODS]: Pick<AppContract[S], (typeof STREAM_METHODS)[S][number] & keyof AppContract[S]>;
};

/** An allow-list's entries, keyed by service name. */
const entries = <L extends Partial<Record<keyof AppContract, readonly string[]>>>(list: L) =>
  Object.entries(list) as Array<[keyof AppContract & keyof L, readonly string[]]>;

/**
 * Builds the client from the contract's allowlists, so a method added to RPC_METHODS or
 * STREAM_METHODS is callable here without touching this file. Streaming methods take an optional
 * trailing AbortSignal, which stays on this side of the wire.
 */
export function createClient(transport: Transport): AppContract {
  const services: { [S in keyof AppContract]?: Record<string, AnyFn> } = {};
  for (const [service, methods] of entries(RPC_METHODS)) {
    const target = (services[service] ??= {});
    for (const method of methods) {
      target[method] = (...params: unknown[]) => transport.rpc({ service, method, params });
    }
  }
  for (const [service, methods] of entries(STREAM_METHODS)) {
    const target = (services[service] ??= {});
    for (const method of methods) {
      target[method] = (...args: unknown[]) => {
        const last = args[args.length - 1];
        const signal = last instanceof AbortSignal ? last : undefined;
        const params = signal ? args.slice(0, -1) : args;
        return transport.stream({ service, method, params }, signal);
      };
    }
  }
  // Built from names, so its type is declared (ListedClient); that it is a whole AppContract is checked.
  const client: AppContract = services as unknown as ListedClient;
  return client;
}

declare global {
  interface Window {
    switchboard?: PreloadBridge;
  }
}

/** Picks the transport for the page we are running in. */
export function createDefaultClient(): AppContract {
  if (window.switchboard) return createClient(createIpcTransport(window.switchboard));
  const token = takeAdminToken({ location: window.location, history: window.history, storage: window.sessionStorage });
  return createClient(createHttpTransport({ baseUrl: window.location.origin, token }));
}
