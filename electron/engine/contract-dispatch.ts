// The one server of the app-service contract, whatever carries it: IPC in the desktop app
// (electron/ipc/bind-contract.ts) and HTTP under `switchboard serve` (gateway/app-bridge.ts). It checks
// a call's shape, names and arity against shared/contract.ts before anything runs; the transports only
// move calls and answers over their own wire.
import { isRpcMethod, isStreamMethod, type AppContract, type RpcCall } from '../../shared/contract';

/**
 * Every stream method takes one request argument and then the AbortSignal. The signal must land in
 * its own slot, so a stream call with any other number of params is refused.
 */
const STREAM_PARAM_COUNT = 1;
const MAX_NAME_LENGTH = 64;

/** A call refused before it ran: not a call at all (`malformed`, the caller's bug) or not in the contract. */
export class ContractCallRefused extends Error {
  constructor(
    readonly reason: 'malformed' | 'not-allowed',
    message: string,
  ) {
    super(message);
    this.name = 'ContractCallRefused';
  }
}

/** Starts a checked stream call; its events end when the method ends or `signal` aborts. */
export type StreamStart = (signal: AbortSignal) => AsyncIterable<unknown>;

export interface ContractDispatcher {
  /** Runs a request/response call; rejects with ContractCallRefused, or with the method's own error. */
  call(raw: unknown): Promise<unknown>;
  /** Checks a stream call (throwing ContractCallRefused) and returns how to start it. */
  stream(raw: unknown): StreamStart;
}

type Method = (...args: unknown[]) => unknown;

export function createContractDispatcher(services: AppContract): ContractDispatcher {
  return {
    async call(raw) {
      const call = parseCall(raw);
      if (!allowed(isRpcMethod, call)) throw new ContractCallRefused('not-allowed', `unknown method ${call.service}.${call.method}`);
      return methodOf(services, call)(...call.params);
    },
    stream(raw) {
      const call = parseCall(raw);
      if (!allowed(isStreamMethod, call)) throw new ContractCallRefused('not-allowed', `unknown stream ${call.service}.${call.method}`);
      if (call.params.length !== STREAM_PARAM_COUNT)
        throw new ContractCallRefused('malformed', `${call.service}.${call.method} takes ${STREAM_PARAM_COUNT} param`);
      return (signal) => {
        const events = methodOf(services, call)(...call.params, signal);
        if (!isAsyncIterable(events)) throw new Error(`${call.service}.${call.method} did not return an async iterable`);
        return events;
      };
    },
  };
}

function parseCall(raw: unknown): RpcCall {
  if (typeof raw === 'object' && raw !== null) {
    const { service, method, params } = raw as Record<string, unknown>;
    if (isName(service) && isName(method) && (params === undefined || Array.isArray(params))) {
      return { service, method, params: (params as unknown[] | undefined) ?? [] };
    }
  }
  throw new ContractCallRefused('malformed', 'malformed call: expected { service, method, params: [...] }');
}

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_NAME_LENGTH;
}

/** The allow-lists index plain objects; names like `__proto__` must not throw past them. */
function allowed(check: (service: string, method: string) => boolean, call: RpcCall): boolean {
  try {
    return check(call.service, call.method);
  } catch {
    return false;
  }
}

/** Only called after the allow-list said yes, so service and method are known names. */
function methodOf(services: AppContract, call: RpcCall): Method {
  const service = services[call.service as keyof AppContract] as unknown as Record<string, Method> | undefined;
  const method = service?.[call.method];
  if (typeof method !== 'function') throw new Error(`${call.service}.${call.method} is not available`);
  return method.bind(service);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
