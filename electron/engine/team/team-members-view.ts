// The Team screen's view of members: each with their tokens (revoked ones marked), this UTC month's
// spend from the team ledger, and their monthly USD budget.
import type { TeamMemberInfo } from '../../../shared/types';
import type { TeamReads } from './ledger/reader';
import type { TeamDirectory, TeamSnapshot } from './team-directory';

export async function monthMembers(
  directory: TeamDirectory,
  ledger: Pick<TeamReads, 'spendByMember'>,
  snapshot: TeamSnapshot,
): Promise<TeamMemberInfo[]> {
  const since = `${new Date().toISOString().slice(0, 7)}-01T00:00:00Z`;
  const [members, tokens, spend] = await Promise.all([directory.listMembers(), directory.listTokens(), ledger.spendByMember({ since })]);
  const spendOf = new Map(spend.groups.map((g) => [g.key, g]));
  return members.map((m) => {
    const s = spendOf.get(m.name);
    const budget = snapshot.budgets.find((b) => b.member === m.name && b.period === 'monthly' && b.usd !== undefined);
    return {
      name: m.name,
      email: m.email,
      tokens: tokens
        .filter((t) => t.member === m.name)
        .map((t) => ({ name: t.name, prefix: t.prefix, createdAt: t.createdAt, revokedAt: t.revokedAt })),
      monthSpendUsd: s ? s.costUsd : 0,
      knownMonthSpendUsd: s?.knownCostUsd ?? 0,
      unknownCostRequests: s?.unknownCostRequests ?? 0,
      monthRequests: s?.requests ?? 0,
      budgetUsd: budget?.usd ?? null,
    };
  });
}
