// Single-instance seeding: today's and this month's totals per scope from the SQLite ledger (one query
// each, at settings changes only) plus its rows not yet written. Later rows arrive through onRecord,
// so each row counts once.
import type { SettledView } from '../ledger/types';
import { bucketIn, bucketsFor, countRow, type Bucket, type PeriodKeys } from './buckets';

export function seededFromLedger(
  view: SettledView,
  t: number,
  periods: PeriodKeys,
  memberOf: (client: string) => string | null,
): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  for (const [period, since] of [
    [periods.day(t), `${periods.day(t)}T00:00:00Z`],
    [periods.month(t), `${periods.month(t)}-01T00:00:00Z`],
  ] as const) {
    const summary = view.spend({ since, by: 'client' });
    Object.assign(bucketIn(buckets, `*|${period}`, period), {
      usd: summary.knownCostUsd,
      unknown: summary.unknownCostRequests,
      tokens: summary.inputTokens + summary.outputTokens,
    });
    for (const g of summary.groups) {
      if (g.key === '(none)') continue;
      const member = memberOf(g.key);
      for (const scope of member ? [`client:${g.key}`, `member:${member}`] : [`client:${g.key}`]) {
        const b = bucketIn(buckets, `${scope}|${period}`, period);
        b.usd += g.knownCostUsd;
        b.unknown += g.unknownCostRequests;
        b.tokens += g.inputTokens + g.outputTokens;
      }
    }
  }
  for (const row of view.unwritten) {
    const member = row.client === null ? null : memberOf(row.client);
    countRow(bucketsFor(buckets, periods, row.client, member, row.startedAt), row);
  }
  return buckets;
}
