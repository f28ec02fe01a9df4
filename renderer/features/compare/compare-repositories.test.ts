// A compare run written as a "compare" conversation and read back: columns, texts, models, the
// winner, blind mode, errors and streaming time survive the round trip.
import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../shared/types';
import { fromConversation, toConversationInput } from './compare-repositories';
import type { CompareRun } from './compare-types';

describe('compare runs as conversations', () => {
  it('round-trips a voted blind run', () => {
    const run: CompareRun = {
      id: 'run1',
      updatedAt: 5,
      prompt: 'Explain failover.',
      blind: true,
      winner: 'colB',
      columns: [
        {
          id: 'colA',
          model: 'lab/m2',
          alias: 'Model A',
          text: 'two',
          status: 'done',
          startedAt: 100,
          firstTokenAt: 150,
          endedAt: 1150,
          deltas: 9,
          report: {
            provider: 'lab',
            model: 'm2',
            usage: { inputTokens: 3, outputTokens: 9 },
            costUsd: 0.1,
            ttftMs: 50,
            attempts: 1,
            requestId: 'req-a',
          },
        },
        { id: 'colB', model: 'fast', alias: 'Model B', text: 'one', status: 'done', startedAt: 100, deltas: 3 },
        { id: 'colC', model: 'lab/m3', alias: 'Model C', text: '', status: 'error', startedAt: 100, deltas: 0, error: '503 upstream' },
      ],
    };
    const input = toConversationInput(run);
    expect(input.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'assistant', 'assistant', 'system']);
    expect(input.messages[1]).toMatchObject({ model: 'lab/m2', requestId: 'req-a' });
    const stored: Conversation = {
      id: 'run1',
      kind: 'compare',
      title: input.title,
      createdAt: 1,
      updatedAt: 9,
      messages: input.messages.map((m, i) => ({
        ...m,
        createdAt: 1,
        ...(i === 1
          ? { report: { provider: 'lab', model: 'm2', usage: { inputTokens: 3, outputTokens: 9 }, costUsd: 0.1, ttftMs: 50, attempts: 1 } }
          : {}),
      })),
    };
    const back = fromConversation(stored)!;
    expect(back).toMatchObject({ id: 'run1', prompt: 'Explain failover.', blind: true, winner: 'run1-c1' });
    expect(back.columns.map((c) => [c.model, c.text, c.status])).toEqual([
      ['lab/m2', 'two', 'done'],
      ['fast', 'one', 'done'],
      ['lab/m3', '', 'error'],
    ]);
    expect(back.columns[0]).toMatchObject({ firstTokenAt: 50, endedAt: 1050, report: { ttftMs: 50 } });
    expect(back.columns[2]?.error).toBe('503 upstream');
    expect(fromConversation({ ...stored, kind: 'chat' })).toBeNull();
  });
});
