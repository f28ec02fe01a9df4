// How a reply ended, as chat and compare read it: closed by its done/error event, stopped by the user,
// or broken (ended or failed without a closing event); events are handed on in order either way.
import { describe, expect, it } from 'vitest';
import type { ChatStreamEvent } from '../../shared/types';
import { INCOMPLETE_REPLY, readReply } from './reply-stream';

async function* events(list: ChatStreamEvent[], fail?: Error): AsyncIterable<ChatStreamEvent> {
  for (const e of list) yield e;
  if (fail) throw fail;
}

const delta: ChatStreamEvent = { type: 'delta', text: 'a' };
const error: ChatStreamEvent = { type: 'error', message: 'upstream said no' };

describe('readReply', () => {
  it('hands every event on and says closed after a closing event', async () => {
    const seen: ChatStreamEvent[] = [];
    expect(
      await readReply(
        events([delta, error]),
        (e) => seen.push(e),
        () => false,
      ),
    ).toEqual({ kind: 'closed' });
    expect(seen).toEqual([delta, error]);
  });

  it('without a closing event: stopped when the user stopped it, else broken', async () => {
    expect(
      await readReply(
        events([delta]),
        () => {},
        () => true,
      ),
    ).toEqual({ kind: 'stopped' });
    expect(
      await readReply(
        events([delta]),
        () => {},
        () => false,
      ),
    ).toEqual({ kind: 'broken', message: INCOMPLETE_REPLY });
  });

  it('a failure is stopped or broken with its message, even after a closing event', async () => {
    expect(
      await readReply(
        events([error], new Error('link lost')),
        () => {},
        () => false,
      ),
    ).toEqual({ kind: 'broken', message: 'link lost' });
    expect(
      await readReply(
        events([delta], new Error('aborted')),
        () => {},
        () => true,
      ),
    ).toEqual({ kind: 'stopped' });
  });
});
