// The Team screen's data rules: outbox warnings (a failed write, rows waiting too long), members'
// order, tokens split live/revoked, unknown cost never shown as $0, and budget use.
import { describe, expect, it } from 'vitest';
import type { TeamMemberInfo, TeamOutbox } from '../../../shared/types';
import { formatSpan, memberRow, memberRows, OUTBOX_STALE_MS, outboxView, teamTotals } from './team-data';

const now = Date.parse('2026-03-10T12:00:00Z');
const outbox = (o: Partial<TeamOutbox>): TeamOutbox => ({
  unshipped: 0,
  oldestUnshippedAt: null,
  lastError: null,
  lastShippedAt: null,
  ...o,
});
const member = (name: string, o: Partial<TeamMemberInfo> = {}): TeamMemberInfo => ({
  name,
  email: null,
  tokens: [],
  monthSpendUsd: 0,
  knownMonthSpendUsd: 0,
  unknownCostRequests: 0,
  monthRequests: 0,
  budgetUsd: null,
  ...o,
});
const token = (name: string, revokedAt: string | null = null) => ({
  name,
  prefix: `sbt_${name.slice(0, 4)}`,
  createdAt: '2026-03-01T00:00:00Z',
  revokedAt,
});

describe('formatSpan', () => {
  it('rounds down to whole seconds, minutes, hours and days', () => {
    expect(formatSpan(-5)).toBe('0 s');
    expect(formatSpan(4_999)).toBe('4 s');
    expect(formatSpan(59_999)).toBe('59 s');
    expect(formatSpan(60_000)).toBe('1 min');
    expect(formatSpan(2 * 3_600_000 + 5)).toBe('2 h');
    expect(formatSpan(3 * 86_400_000)).toBe('3 d');
  });
});

describe('outboxView', () => {
  it('says nothing is waiting, with no warning, when every row is written', () => {
    const view = outboxView(outbox({ lastShippedAt: now - 3_000 }), now);
    expect(view).toEqual({ summary: 'Every row is in the database.', lastShipped: '3 s ago', warning: null });
  });

  it('rows waiting a moment are normal: counted, not warned about', () => {
    const view = outboxView(outbox({ unshipped: 12, oldestUnshippedAt: now - OUTBOX_STALE_MS }), now);
    expect(view.summary).toBe('12 rows waiting (oldest 5 s).');
    expect(view.warning).toBeNull();
    expect(view.lastShipped).toBeNull();
  });

  it('warns when rows have waited longer than a few seconds', () => {
    const view = outboxView(outbox({ unshipped: 1, oldestUnshippedAt: now - 42_000 }), now);
    expect(view.warning).toBe('1 row has waited 42 s to reach the team database: spend shown here may be behind.');
    expect(outboxView(outbox({ unshipped: 1_200, oldestUnshippedAt: now - 90_000 }), now).warning).toMatch(/^1,200 rows have waited 1 min/);
  });

  it('warns with the error as soon as a write fails, even before rows are stale', () => {
    const failing = outboxView(outbox({ unshipped: 2, oldestUnshippedAt: now - 1_000, lastError: 'connection refused' }), now);
    expect(failing.warning).toBe(
      'Writing to the team database fails (connection refused): 2 rows wait on this instance and will be written when it is back.',
    );
    expect(outboxView(outbox({ lastError: 'timeout' }), now).warning).toBe('The last write to the team database failed (timeout).');
  });

  it('copes with an instance that reports no outbox', () => {
    expect(outboxView(undefined, now)).toEqual({ summary: 'No queue reported by this instance.', lastShipped: null, warning: null });
  });
});

describe('memberRows', () => {
  it('orders members by known spend this month, biggest first, then by name', () => {
    const rows = memberRows([
      member('carol', { knownMonthSpendUsd: 1, monthSpendUsd: 1 }),
      member('bob'),
      member('alice'),
      member('dave', { knownMonthSpendUsd: 3, monthSpendUsd: null, unknownCostRequests: 1, monthRequests: 2 }),
    ]);
    expect(rows.map((r) => r.member.name)).toEqual(['dave', 'carol', 'alice', 'bob']);
  });

  it('lists live tokens by name and keeps revoked ones apart', () => {
    const row = memberRow(member('alice', { tokens: [token('zed-cli'), token('old-laptop', '2026-03-05T00:00:00Z'), token('cursor')] }));
    expect(row.live.map((t) => t.name)).toEqual(['cursor', 'zed-cli']);
    expect(row.revoked.map((t) => t.name)).toEqual(['old-laptop']);
  });

  it('shows unknown cost as the app does elsewhere, never as $0', () => {
    const some = memberRow(member('a', { monthSpendUsd: null, knownMonthSpendUsd: 1.2, unknownCostRequests: 3, monthRequests: 10 }));
    expect(some.spend).toBe('$1.20 + ?');
    expect(some.spendNote).toBe('3 requests of unknown cost');
    const all = memberRow(member('b', { monthSpendUsd: null, knownMonthSpendUsd: 0, unknownCostRequests: 2, monthRequests: 2 }));
    expect(all.spend).toBe('unknown');
    const none = memberRow(member('c'));
    expect(none.spend).toBe('$0.00');
    expect(none.spendNote).toBeNull();
    expect(memberRow(member('d', { monthSpendUsd: 0.004, knownMonthSpendUsd: 0.004, monthRequests: 1 })).spend).toBe('$0.0040');
  });

  it("says each member's budget use, rounded down and uncapped, and hedged when some cost is unknown", () => {
    expect(memberRow(member('a')).budget).toEqual({ limit: null, percent: null, text: null, tone: 'good' });
    expect(memberRow(member('b', { knownMonthSpendUsd: 4.5, monthSpendUsd: 4.5, monthRequests: 1, budgetUsd: 10 })).budget).toEqual({
      limit: '$10.00',
      percent: 45,
      text: '45% used',
      tone: 'good',
    });
    expect(memberRow(member('c', { knownMonthSpendUsd: 8, monthRequests: 1, budgetUsd: 10 })).budget.tone).toBe('warn');
    const over = memberRow(member('d', { knownMonthSpendUsd: 12.5, monthRequests: 1, budgetUsd: 10 })).budget;
    expect([over.text, over.tone]).toEqual(['125% used', 'bad']);
    const hedged = memberRow(
      member('e', { knownMonthSpendUsd: 2, monthSpendUsd: null, unknownCostRequests: 1, monthRequests: 2, budgetUsd: 10 }),
    );
    expect(hedged.budget.text).toBe('≥ 20% used');
    // A zero budget has nothing to divide by: 0%, not NaN or Infinity.
    expect(memberRow(member('f', { budgetUsd: 0 })).budget.text).toBe('0% used');
  });
});

describe('teamTotals', () => {
  it('sums members, live tokens and spend (unknown parts kept visible)', () => {
    const totals = teamTotals([
      member('a', { tokens: [token('x'), token('y', '2026-03-02T00:00:00Z')], knownMonthSpendUsd: 1, monthRequests: 2 }),
      member('b', { tokens: [token('z')], knownMonthSpendUsd: 2, monthSpendUsd: null, unknownCostRequests: 1, monthRequests: 3 }),
    ]);
    expect(totals).toEqual({ members: '2 members', tokens: '2 live tokens', spend: '$3.00 + ?' });
    expect(teamTotals([])).toEqual({ members: '0 members', tokens: '0 live tokens', spend: '$0.00' });
  });
});
