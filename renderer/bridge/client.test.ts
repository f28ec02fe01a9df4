// The typed client maps contract calls onto transport calls and keeps the AbortSignal local.
import { describe, expect, it } from 'vitest';
import type { RpcCall } from '../../shared/contract';
import { createClient } from './client';
import type { Transport } from './transport';

function recorder() {
  const calls: Array<{ call: RpcCall; signal?: AbortSignal }> = [];
  const transport: Transport = {
    rpc: async (call) => {
      calls.push({ call });
      return `result of ${call.service}.${call.method}`;
    },
    async *stream(call, signal) {
      calls.push({ call, signal });
      yield { type: 'delta', text: 'x' };
    },
  };
  return { transport, calls };
}

describe('createClient', () => {
  it('forwards RPC methods with their params', async () => {
    const { transport, calls } = recorder();
    const client = createClient(transport);
    expect(await client.models.list()).toBe('result of models.list');
    await client.spend.summary({ since: '7d', by: 'day' });
    expect(calls.map((c) => c.call)).toEqual([
      { service: 'models', method: 'list', params: [] },
      { service: 'spend', method: 'summary', params: [{ since: '7d', by: 'day' }] },
    ]);
  });

  it('passes the signal to the transport, not over the wire', async () => {
    const { transport, calls } = recorder();
    const signal = new AbortController().signal;
    const events = [];
    for await (const e of createClient(transport).chat.stream({ model: 'default', messages: [] }, signal)) events.push(e);
    expect(events).toEqual([{ type: 'delta', text: 'x' }]);
    expect(calls[0]).toEqual({ call: { service: 'chat', method: 'stream', params: [{ model: 'default', messages: [] }] }, signal });
  });
});
