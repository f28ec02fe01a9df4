// The team service outside team mode (off, no members) and with a source (its answers, as copies).
import { describe, expect, it } from 'vitest';
import type { TeamMemberInfo, TeamStatus } from '../../../shared/types';
import { createTeamService } from './team-service';

describe('createTeamService', () => {
  it('without a source, team mode is off and there are no members', async () => {
    const team = createTeamService();
    expect(await team.status()).toEqual({ enabled: false });
    expect(await team.members()).toEqual([]);
  });

  it('with a source, answers its status (as a copy) and its members', async () => {
    const live: TeamStatus = {
      enabled: true,
      database: 'postgres://app:***@db.internal:5432/switchboard',
      instance: 'gw-1',
      outbox: { unshipped: 3, oldestUnshippedAt: 1_000, lastError: null, lastShippedAt: 900 },
    };
    const alice: TeamMemberInfo = {
      name: 'alice',
      email: null,
      tokens: [],
      monthSpendUsd: 1.5,
      knownMonthSpendUsd: 1.5,
      unknownCostRequests: 0,
      monthRequests: 4,
      budgetUsd: null,
    };
    const team = createTeamService({ status: () => live, members: () => Promise.resolve([alice]) });
    const status = await team.status();
    expect(status).toEqual(live);
    status.outbox!.unshipped = 0;
    expect(live.outbox!.unshipped).toBe(3);
    expect(await team.members()).toEqual([alice]);
  });

  it("passes a source's failure to list members on to the caller", async () => {
    const team = createTeamService({ status: () => ({ enabled: true }), members: () => Promise.reject(new Error('database unreachable')) });
    await expect(team.members()).rejects.toThrow('database unreachable');
  });
});
