// `switchboard spend [--since 7d] [--until D] [--by day|model|provider|client|route|member] [--client C] [--json|--csv]
// [--ledger URL]`: what the ledger says was spent. --json is a stable contract for scripts: totals plus `groups`
// (empty without --by), where a cost with any unknown part is null beside its known part. --csv prints the
// groups as CSV with --by, else every request in the range. --ledger (or SWITCHBOARD_LEDGER) reads a team
// database instead of this machine's ledger; `--by member` needs one.
import { formatSpend } from '../../shared/format';
import type { SpendGroupBy, SpendSummary, SpendTotals } from '../../shared/types';
import { csvLine } from '../engine/ledger/csv';
import { openLedgerAt, type OpenedLedger } from '../engine/ledger/open-ledger-at';
import { parseSince } from '../engine/ledger/since';
import { teamLedgerUrl } from '../engine/team/database-url';
import { LedgerUrlError } from '../engine/team/team-directory-errors';
import { parseCommandArgs, type CommandIO } from './io';

/** `member` is not a SpendGroupBy: only a team database knows members. */
type Grouping = SpendGroupBy | 'member';
const GROUPINGS: readonly Grouping[] = ['day', 'model', 'provider', 'client', 'route', 'member'];
const USAGE =
  'usage: switchboard spend [--since 7d|24h|30m|YYYY-MM-DD] [--until (same forms)] [--by day|model|provider|client|route|member] [--client NAME] [--json|--csv] [--ledger postgres://…]';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseCommandArgs(io, 'spend', USAGE, {
    args,
    options: {
      since: { type: 'string' },
      until: { type: 'string' },
      by: { type: 'string' },
      client: { type: 'string' },
      json: { type: 'boolean' },
      csv: { type: 'boolean' },
      ledger: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const by = values.by as Grouping | undefined;
  if (by !== undefined && !GROUPINGS.includes(by)) {
    io.stderr(`switchboard spend: --by must be one of ${GROUPINGS.join(', ')} (got "${values.by}")`);
    return 2;
  }
  for (const flag of ['since', 'until'] as const) {
    if (values[flag] === undefined) continue;
    try {
      parseSince(values[flag]);
    } catch (error) {
      io.stderr(`switchboard spend: --${flag}: ${(error as Error).message}`);
      return 2;
    }
  }
  if (values.json && values.csv) {
    io.stderr('switchboard spend: choose one of --json and --csv');
    return 2;
  }

  let ledgerUrl: string | undefined;
  try {
    ledgerUrl = teamLedgerUrl(values.ledger, io.env);
  } catch (error) {
    if (!(error instanceof LedgerUrlError)) throw error;
    io.stderr(`switchboard spend: ${error.message}`);
    return 2;
  }
  if (by === 'member' && !ledgerUrl) {
    io.stderr('switchboard spend: --by member needs a team ledger: pass --ledger postgres://… (or set SWITCHBOARD_LEDGER)');
    return 2;
  }

  const query = { since: values.since, until: values.until, by: by === 'member' ? undefined : by, client: values.client };
  let opened: OpenedLedger;
  try {
    opened = await openLedgerAt(io.dataDir, ledgerUrl);
  } catch (error) {
    // Typed errors from the team database (out of reach, a newer schema) carry a redacted URL only.
    io.stderr(`switchboard spend: ${(error as Error).message}`);
    return 1;
  }
  let summary: SpendSummary;
  try {
    if (values.csv && !by) {
      for (const line of await opened.ledger.csv(query)) io.stdout(line);
      return 0;
    }
    summary = by === 'member' ? await opened.team!.spendByMember(query) : await opened.ledger.spend(query);
  } catch (error) {
    if (!ledgerUrl) throw error;
    io.stderr(`switchboard spend: ${(error as Error).message}`);
    return 1;
  } finally {
    await opened.close();
  }

  if (values.csv) {
    // cost_usd is empty when a group has any unknown cost; known_cost_usd is the priced part.
    const cols = [
      'requests',
      'input_tokens',
      'output_tokens',
      'cache_read_tokens',
      'cache_write_tokens',
      'reasoning_tokens',
      'cost_usd',
      'known_cost_usd',
      'unknown_cost_requests',
    ];
    io.stdout(csvLine([by, ...cols]));
    for (const g of summary.groups)
      io.stdout(
        csvLine([
          g.key,
          g.requests,
          g.inputTokens,
          g.outputTokens,
          g.cacheReadTokens,
          g.cacheWriteTokens,
          g.reasoningTokens,
          g.costUsd,
          g.knownCostUsd,
          g.unknownCostRequests,
        ]),
      );
    return 0;
  }

  if (values.json) {
    io.stdout(JSON.stringify(toJson(summary), null, 2));
    return 0;
  }
  io.stdout(formatTable(summary, by, values.since));
  return 0;
}

/** The cost fields of a total: costUsd is null when any part is unknown, the known part and the unknown count beside it. */
const costJson = (t: SpendTotals) => ({ costUsd: t.costUsd, knownCostUsd: t.knownCostUsd, unknownCostRequests: t.unknownCostRequests });

/** Builds the JSON explicitly, so its fields and their order are the documented ones (README) and nothing more. */
function toJson(s: SpendSummary) {
  return {
    requests: s.requests,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    ...costJson(s),
    estimatedRequests: s.estimatedRequests ?? 0,
    groups: s.groups.map((g) => ({
      key: g.key,
      requests: g.requests,
      inputTokens: g.inputTokens,
      outputTokens: g.outputTokens,
      ...costJson(g),
      estimatedRequests: g.estimatedRequests ?? 0,
    })),
  };
}

function formatTable(s: SpendSummary, by: Grouping | undefined, since: string | undefined): string {
  const cells = (t: SpendTotals) => [
    String(t.requests),
    t.inputTokens.toLocaleString('en-US'),
    t.outputTokens.toLocaleString('en-US'),
    // An unknown cost is shown as unknown, never as $0: all unknown -> "unknown", some -> "+ ?".
    formatSpend(t),
  ];
  const rows = [
    [by ? by.toUpperCase() : '', 'REQUESTS', 'INPUT', 'OUTPUT', 'COST'],
    ...s.groups.map((g) => [g.key, ...cells(g)]),
    ['total', ...cells(s)],
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  // First column is a label (left-aligned); the numbers line up on the right.
  const lines = rows.map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  '));
  const scope = since ? `since ${since}` : 'all time';
  const unknown = s.unknownCostRequests > 0 ? `; ${s.unknownCostRequests} with an unknown price, shown as "?"` : '';
  const estimated = s.estimatedRequests ? `; ${s.estimatedRequests} with estimated tokens (no usage from the provider)` : '';
  return [`spend, ${scope} (cost counts only requests whose price is known${unknown}${estimated})`, ...lines].join('\n');
}
