// Spend grouped by model, provider, client or route, sortable by any column (click or Enter on a
// header); a group's name opens its single requests. A group with unknown costs shows its known part
// and "+ ?" (sorted by the known part), never $0.
import { useMemo, useState } from 'react';
import type { SpendGroup } from '../../../../shared/types';
import { formatSpendTotal, formatTokens } from '../../../lib/format';
import { EmptyRow } from '../../../ui/DataTable';

type SortKey = 'key' | 'requests' | 'inputTokens' | 'outputTokens' | 'knownCostUsd';
const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'key', label: 'Name', numeric: false },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: 'inputTokens', label: 'Input tokens', numeric: true },
  { key: 'outputTokens', label: 'Output tokens', numeric: true },
  { key: 'knownCostUsd', label: 'Cost', numeric: true },
];

interface Props {
  groups: SpendGroup[];
  groupLabel: string;
  /** Shows the single requests of a group below (absent: no drill-down). */
  onPick?(key: string): void;
  picked?: string | null;
}

export function SpendTable({ groups, groupLabel, onPick, picked }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'knownCostUsd', dir: 'desc' });
  const rows = useMemo(() => {
    const sorted = [...groups].sort((a, b) => {
      const va = a[sort.key];
      const vb = b[sort.key];
      const c = typeof va === 'string' ? va.localeCompare(vb as string) : (va as number) - (vb as number);
      return sort.dir === 'asc' ? c : -c;
    });
    return sorted;
  }, [groups, sort]);
  const total = groups.reduce((a, g) => a + g.knownCostUsd, 0);

  return (
    <table className="table spend-table" aria-label={`Spend by ${groupLabel}`}>
      <thead>
        <tr>
          {COLUMNS.map((c) => {
            const on = sort.key === c.key;
            return (
              <th
                key={c.key}
                scope="col"
                aria-sort={on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
                className={c.numeric ? 'num' : undefined}
              >
                <button
                  type="button"
                  className="th-sort"
                  onClick={() => setSort({ key: c.key, dir: on && sort.dir === 'desc' ? 'asc' : on ? 'desc' : c.numeric ? 'desc' : 'asc' })}
                >
                  {c.key === 'key' ? groupLabel : c.label}
                  <span className="sort-mark" aria-hidden="true">
                    {on ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </th>
            );
          })}
          <th scope="col" className="share-col">
            Share
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <EmptyRow columns={6}>No requests in this range.</EmptyRow>}
        {rows.map((g) => (
          <tr key={g.key}>
            <td className="mono">
              {onPick && g.key !== '(none)' ? (
                <button
                  type="button"
                  className="link-btn"
                  aria-pressed={picked === g.key}
                  aria-label={`Show requests for ${g.key}`}
                  onClick={() => onPick(g.key)}
                >
                  {g.key}
                </button>
              ) : (
                g.key
              )}
            </td>
            <td className="num">{formatTokens(g.requests)}</td>
            <td className="num">{formatTokens(g.inputTokens)}</td>
            <td className="num">{formatTokens(g.outputTokens)}</td>
            <td
              className="num"
              title={
                g.unknownCostRequests > 0 ? `${formatTokens(g.unknownCostRequests)} of these requests have an unknown cost` : undefined
              }
            >
              {formatSpendTotal(g)}
            </td>
            <td className="share-col">
              <span className="share-bar" aria-hidden="true">
                <span style={{ width: `${total > 0 ? (g.knownCostUsd / total) * 100 : 0}%` }} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
