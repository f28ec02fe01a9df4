// Cancel stands in for an AbortController on the port's hot path: the behaviour the engine and undici
// rely on, checked against the real thing (an undici request to a server that never answers).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { asAbortSignal, Cancel } from './cancel';

let silent: Server;
let url: string;
beforeAll(async () => {
  silent = createServer(() => undefined); // reads the request, never answers
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

describe('Cancel', () => {
  it('runs each listener once at the abort, not one removed before it or added after it', () => {
    const cancel = new Cancel();
    const calls: string[] = [];
    const removed = () => calls.push('removed');
    cancel.addEventListener('abort', () => calls.push('a'));
    cancel.addEventListener('abort', removed);
    cancel.addEventListener('abort', () => calls.push('b'), { once: true });
    cancel.removeEventListener('abort', removed);
    expect(cancel.signal.aborted).toBe(false);
    cancel.abort('why');
    cancel.abort('again');
    cancel.addEventListener('abort', () => calls.push('late'));
    expect(calls).toEqual(['a', 'b']);
    expect(cancel.signal).toMatchObject({ aborted: true, reason: 'why' });
  });

  it('gives an AbortError as its reason when none is given, as an AbortController does', () => {
    const cancel = new Cancel();
    const real = new AbortController();
    cancel.abort();
    real.abort();
    expect(cancel.reason).toBeInstanceOf(DOMException);
    expect((cancel.reason as DOMException).name).toBe((real.signal.reason as DOMException).name);
  });

  it('keeps calling the other listeners when one throws, and says so as a warning instead of throwing', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const cancel = new Cancel();
      const after = vi.fn();
      cancel.addEventListener('abort', () => {
        throw new Error('a listener broke');
      });
      cancel.addEventListener('abort', after);
      expect(() => cancel.abort()).not.toThrow();
      expect(after).toHaveBeenCalledOnce();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ message: 'a listener broke' }));
    } finally {
      warn.mockRestore();
    }
  });

  it('gives a real AbortSignal that follows it, for the APIs that need one', () => {
    const cancel = new Cancel();
    const real = asAbortSignal(cancel);
    expect(real).toBeInstanceOf(AbortSignal);
    expect(asAbortSignal(cancel)).toBe(real);
    cancel.abort('stop');
    expect(real.aborted).toBe(true);
    expect(real.reason).toBe('stop');
    const native = new AbortController().signal;
    expect(asAbortSignal(native)).toBe(native);
    // Any other CancelSignal is followed too.
    const inner = new Cancel();
    const other = {
      get aborted() {
        return inner.aborted;
      },
      get reason() {
        return inner.reason;
      },
      addEventListener: inner.addEventListener.bind(inner),
      removeEventListener: inner.removeEventListener.bind(inner),
    };
    const followed = asAbortSignal(other);
    inner.abort('later');
    expect(followed).toMatchObject({ aborted: true, reason: 'later' });
  });

  it('aborts an undici request in flight with its reason, and one already aborted never leaves', async () => {
    const agent = new Agent();
    try {
      const cancel = new Cancel();
      const pending = request(url, { dispatcher: agent, signal: cancel.signal as AbortSignal });
      setTimeout(() => cancel.abort(new Error('the client left')), 50);
      await expect(pending).rejects.toThrow('the client left');
      const before = new Cancel();
      before.abort(new Error('already gone'));
      await expect(request(url, { dispatcher: agent, signal: before.signal as AbortSignal })).rejects.toThrow('already gone');
    } finally {
      await agent.destroy();
    }
  });
});
