// The contract dispatcher both transports share: it runs allow-listed calls with their service as
// `this`, and refuses before running anything a malformed call, an unlisted name (prototype names
// included), an overlong name, and a stream call with the wrong number of params.
import { describe, expect, it, vi } from 'vitest';
import type { AppContract } from '../../shared/contract';
import { ContractCallRefused, createContractDispatcher } from './contract-dispatch';

function services() {
  const list = vi.fn(async function (this: unknown) {
    return this === svc.models;
  });
  const stream = vi.fn(async function* (request: unknown, signal: AbortSignal) {
    yield { request, aborted: signal.aborted };
  });
  const svc = { models: { list }, chat: { stream } } as unknown as AppContract;
  return { svc, list, stream };
}

const refusal = (reason: ContractCallRefused['reason']) => expect.objectContaining({ name: 'ContractCallRefused', reason });

describe('contract dispatcher', () => {
  it('runs an allow-listed call with its service bound, and a stream with the transport signal last', async () => {
    const { svc, stream } = services();
    const contract = createContractDispatcher(svc);
    expect(await contract.call({ service: 'models', method: 'list' })).toBe(true);
    const events = [];
    for await (const e of contract.stream({ service: 'chat', method: 'stream', params: [{ model: 'm' }] })(new AbortController().signal))
      events.push(e);
    expect(events).toEqual([{ request: { model: 'm' }, aborted: false }]);
    expect(stream.mock.calls[0]).toHaveLength(2);
  });

  it.each([
    [null, 'malformed'],
    ['models.list', 'malformed'],
    [{ service: 42, method: 'list' }, 'malformed'],
    [{ service: 'models', method: 'list', params: 'nope' }, 'malformed'],
    [{ service: 'models', method: 'x'.repeat(65) }, 'malformed'],
    [{ service: 'models', method: 'delete' }, 'not-allowed'],
    [{ service: 'chat', method: 'stream', params: [{}] }, 'not-allowed'],
    [{ service: 'vault', method: 'get' }, 'not-allowed'],
    [{ service: '__proto__', method: 'toString' }, 'not-allowed'],
    [{ service: 'models', method: 'constructor' }, 'not-allowed'],
  ] as const)('refuses the call %j before running anything (%s)', async (raw, reason) => {
    const { svc, list } = services();
    await expect(createContractDispatcher(svc).call(raw)).rejects.toEqual(refusal(reason));
    expect(list).not.toHaveBeenCalled();
  });

  it.each([
    [{ service: 'models', method: 'list', params: [] }, 'not-allowed'],
    [{ service: 'chat', method: 'stream', params: [] }, 'malformed'],
    [{ service: 'chat', method: 'stream', params: [{}, { aborted: false }] }, 'malformed'],
    [{ service: 'chat', method: 'stream' }, 'malformed'],
  ] as const)('refuses the stream %j before starting it (%s)', (raw, reason) => {
    const { svc, stream } = services();
    expect(() => createContractDispatcher(svc).stream(raw)).toThrow(refusal(reason));
    expect(stream).not.toHaveBeenCalled();
  });

  it("passes a method's own failure through as it is", async () => {
    const svc = {
      spend: {
        summary: async () => {
          throw new Error('ledger unavailable');
        },
      },
    } as unknown as AppContract;
    const error = await createContractDispatcher(svc)
      .call({ service: 'spend', method: 'summary', params: [{}] })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ContractCallRefused);
    expect(error).toMatchObject({ message: 'ledger unavailable' });
  });
});
