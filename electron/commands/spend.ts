// `switchboard spend [--since 7d] [--by day|model|provider|client] [--json]`: what the ledger says was spent.
// --json is a stable contract for scripts: totals plus `groups` (empty without --by).
import { parseArgs } from 'node:util';
import type { SpendGroupBy, SpendSummary } from '../../shared/types';
import { openLedger } from '../engine/ledger/ledger';
import { parseSince } from '../engine/ledger/since';
import type { CommandIO } from './io';

const GROUPINGS: readonly SpendGroupBy[] = ['day', 'model', 'provider', 'client'];
const USAGE = 'usage: switchboard spend [--since 7d|24h|30m|YYYY-MM-DD] [--by day|model|provider|client] [--json]';

export async function run(args: string[], io: CommandIO): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        since: { type: 'string' },
        by: { type: 'string' },
        json: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    io.stderr(`switchboard spend: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  const by = values.by as SpendGroupBy | undefined;
  if (by !== undefined && !GROUPINGS.includes(by)) {
    io.stderr(`switchboard spend: --by must be one of ${GROUPINGS.join(', ')} (got "${values.by}")`);
    return 2;
  }
  if (values.since !== undefined) {
    try {
      parseSince(values.since);
    } catch (error) {
      io.stderr(`switchboard spend: --since: ${(error as Error).message}`);
      return 2;
    }
  }

  const ledger = openLedger(io.dataDir);
  let summary: SpendSummary;
  try {
    summary = ledger.spend({ since: values.since, by });
  } finally {
    await ledger.close();
  }

  if (values.json) {
    io.stdout(JSON.stringify(toJson(summary), null, 2));
    return 0;
  }
  io.stdout(formatTable(summary, by, values.since));
  return 0;
}

/** Builds the JSON explicitly, so its fields and their order are the documented ones and nothing more. */
function toJson(s: SpendSummary) {
  return {
    requests: s.requests,
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    costUsd: s.costUsd,
    groups: s.groups.map((g) => ({ key: g.key, requests: g.requests, inputTokens: g.inputTokens, outputTokens: g.outputTokens, costUsd: g.costUsd })),
  };
}

function formatTable(s: SpendSummary, by: SpendGroupBy | undefined, since: string | undefined): string {
  const cells = (t: { requests: number; inputTokens: number; outputTokens: number; costUsd: number }) => [
    String(t.requests),
    t.inputTokens.toLocaleString('en-US'),
    t.outputTokens.toLocaleString('en-US'),
    formatUsd(t.costUsd),
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
  return [`spend, ${scope} (cost counts only requests whose price is known)`, ...lines].join('\n');
}

function formatUsd(usd: number): string {
  // Four decimals everywhere: sub-cent amounts are common for small models, and one format keeps columns even.
  return `$${usd.toFixed(4)}`;
}
