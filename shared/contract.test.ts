// The transports forward only allow-listed calls; prototype names must never pass.
import { describe, expect, it } from 'vitest';
import { isRpcMethod, isStreamMethod } from './contract';

describe('contract allowlists', () => {
  it('accepts listed calls and refuses everything else, prototype names included', () => {
    expect(isRpcMethod('models', 'list')).toBe(true);
    expect(isStreamMethod('chat', 'stream')).toBe(true);
    expect(isRpcMethod('chat', 'stream')).toBe(false);
    expect(isStreamMethod('models', 'list')).toBe(false);
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(isRpcMethod(name, 'list')).toBe(false);
      expect(isStreamMethod(name, 'stream')).toBe(false);
      expect(isRpcMethod('models', name)).toBe(false);
    }
  });
});
