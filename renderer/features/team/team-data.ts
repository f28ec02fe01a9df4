// What the Team screen says about its data, kept apart from React so it is tested on its own: the
// outbox's state and when it deserves a warning, members in order, their tokens split live/revoked,
// their month's spend (unknown cost shown as the app shows it elsewhere, never $0) and their budget use.
import { formatSpend, formatUsd, percentUsed } from '../../../shared/format';
import type { TeamMemberInfo, TeamOutbox, TeamTokenInfo } from '../../../shared/types';

/** Rows waiting longer than this mean the database is not keeping up (or not reachable): say so. */
export const OUTBOX_STALE_MS = 5_000;
/** Budget use from this share up reads as "near" (as the budgets' own states do). */
const NEAR_PERCENT = 80;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A span for people: `4 s`, `3 min`, `2 h`, `5 d` (whole units, rounded down). */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86_400)} d`;
}

export interface OutboxView {
  /** One line on where the rows stand: all written, or how many wait and since when. */
  summary: string;
  /** When rows were last written to the database, or null if never (since this instance started). */
  lastShipped: string | null;
  /** Set when the outbox needs attention: the last write failed, or rows have waited too long. */
  warning: string | null;
}

/** How this instance's queue to the team database stands at `now` (epoch ms). */
export function outboxView(outbox: TeamOutbox | undefined, now: number): OutboxView {
  if (!outbox) return { summary: 'No queue reported by this instance.', lastShipped: null, warning: null };
  const waitedMs = outbox.unshipped > 0 && outbox.oldestUnshippedAt !== null ? now - outbox.oldestUnshippedAt : 0;
  const summary =
    outbox.unshipped === 0
      ? 'Every row is in the database.'
      : `${plural(outbox.unshipped, 'row')} waiting${outbox.oldestUnshippedAt !== null ? ` (oldest ${formatSpan(waitedMs)})` : ''}.`;
  const lastShipped = outbox.lastShippedAt === null ? null : `${formatSpan(now - outbox.lastShippedAt)} ago`;
  let warning: string | null = null;
  if (outbox.lastError !== null) {
    warning =
      outbox.unshipped > 0
        ? `Writing to the team database fails (${outbox.lastError}): ${plural(outbox.unshipped, 'row')} ${outbox.unshipped === 1 ? 'waits' : 'wait'} on this instance and will be written when it is back.`
        : `The last write to the team database failed (${outbox.lastError}).`;
  } else if (waitedMs > OUTBOX_STALE_MS) {
    warning = `${plural(outbox.unshipped, 'row')} ${outbox.unshipped === 1 ? 'has' : 'have'} waited ${formatSpan(waitedMs)} to reach the team database: spend shown here may be behind.`;
  }
  return { summary, lastShipped, warning };
}

export interface BudgetView {
  /** The budget (`$20.00`), or null when the member has none. */
  limit: string | null;
  /** Percent of it used by the known spend (rounded down, not capped); null without a budget. */
  percent: number | null;
  /** `45% used`, `≥ 45% used` when some spend has an unknown cost (the true share may be higher). */
  text: string | null;
  tone: 'good' | 'warn' | 'bad';
}

export interface MemberRow {
  member: TeamMemberInfo;
  live: TeamTokenInfo[];
  revoked: TeamTokenInfo[];
  /** This month's spend as the app shows totals: `$1.20`, `$1.20 + ?` with unknown costs, `unknown` when none is priced. */
  spend: string;
  /** Said beside the spend when some requests have an unknown cost. */
  spendNote: string | null;
  requests: string;
  budget: BudgetView;
}

function budgetView(m: TeamMemberInfo): BudgetView {
  if (m.budgetUsd === null) return { limit: null, percent: null, text: null, tone: 'good' };
  const percent = percentUsed(m.knownMonthSpendUsd, m.budgetUsd);
  const atLeast = m.unknownCostRequests > 0 ? '≥ ' : '';
  return {
    limit: formatUsd(m.budgetUsd),
    percent,
    text: `${atLeast}${percent}% used`,
    tone: percent >= 100 ? 'bad' : percent >= NEAR_PERCENT ? 'warn' : 'good',
  };
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

/** One member's row: tokens by name (live first, revoked apart), spend, requests and budget. */
export function memberRow(m: TeamMemberInfo): MemberRow {
  const tokens = [...m.tokens].sort(byName);
  return {
    member: m,
    live: tokens.filter((t) => t.revokedAt === null),
    revoked: tokens.filter((t) => t.revokedAt !== null),
    spend: formatSpend({ knownCostUsd: m.knownMonthSpendUsd, unknownCostRequests: m.unknownCostRequests, requests: m.monthRequests }),
    spendNote: m.unknownCostRequests > 0 ? `${plural(m.unknownCostRequests, 'request')} of unknown cost` : null,
    requests: m.monthRequests.toLocaleString('en-US'),
    budget: budgetView(m),
  };
}

/**
 * The members table's rows: who spent most this month first (by the known part, as the Spend screen
 * sorts), then by name, so the order is stable between refreshes.
 */
export function memberRows(members: readonly TeamMemberInfo[]): MemberRow[] {
  return [...members].sort((a, b) => b.knownMonthSpendUsd - a.knownMonthSpendUsd || byName(a, b)).map(memberRow);
}

/** The team's month in one line: members, live tokens, spend (same rule as the rows). */
export function teamTotals(members: readonly TeamMemberInfo[]): { members: string; tokens: string; spend: string } {
  const known = members.reduce((sum, m) => sum + m.knownMonthSpendUsd, 0);
  const unknown = members.reduce((sum, m) => sum + m.unknownCostRequests, 0);
  const requests = members.reduce((sum, m) => sum + m.monthRequests, 0);
  const live = members.reduce((sum, m) => sum + m.tokens.filter((t) => t.revokedAt === null).length, 0);
  return {
    members: plural(members.length, 'member'),
    tokens: plural(live, 'live token'),
    spend: formatSpend({ knownCostUsd: known, unknownCostRequests: unknown, requests }),
  };
}
