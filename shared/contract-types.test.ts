// Type-level tests of the allow-lists (checked by `tsc`, which fails on an unused @ts-expect-error):
// a misspelled method, a method of the wrong kind, or an unknown service does not compile.
import { describe, expect, it } from 'vitest';
import { EVERY_METHOD_LISTED, RPC_METHODS, STREAM_METHODS, type RpcAllowList, type StreamAllowList } from './contract';

// @ts-expect-error `lst` is not a method of ModelsService
export const misspelled = { models: ['lst'] } as const satisfies RpcAllowList;
// @ts-expect-error `stream` is a streaming method: it cannot be listed as request/response
export const streamAsRpc = { chat: ['stream'] } as const satisfies RpcAllowList;
// @ts-expect-error `list` answers once: it cannot be listed as a stream
export const rpcAsStream = { models: ['list'] } as const satisfies StreamAllowList;
// @ts-expect-error there is no `vault` service in the contract
export const unknownService = { vault: ['get'] } as const satisfies RpcAllowList;
export const wellFormed = { models: ['list'], chat: ['stop'] } as const satisfies RpcAllowList;

describe('contract allow-lists (types)', () => {
  it('name every contract method, each in the list of its kind', () => {
    expect(EVERY_METHOD_LISTED).toBe(true);
    expect(RPC_METHODS.models).toContain('list');
    expect(STREAM_METHODS.chat).toContain('stream');
  });
});
