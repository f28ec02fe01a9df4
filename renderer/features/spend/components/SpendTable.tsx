// Spend grouped by model, provider or client, sortable by any column (click or Enter on a header).
import { useMemo, useState } from 'react';
import type { SpendGroup } from '../../../../shared/types';
import { formatTokens, formatTotal } from '../../../lib/format';

type SortKey = 'key' | 'requests' | 'inputTokens' | 'outputTokens' | 'costUsd';
const COLUMNS: Array<{ key: SortKey; label: string; numeric: boolean }> = [
  { key: 'key', label: 'Name', numeric: false },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: 'inputTokens', label: 'Input tokens', numeric: true },
  { key: 'outputTokens', label: 'Output tokens', numeric: true },
  { key: 'costUsd', label: 'Cost', numeric: true },
];

export function SpendTable({ groups, groupLabel }: { groups: SpendGroup[]; groupLabel: string }) {
  const [sort, setSort] = useState<{ key: SortKey; dir: 'asc' | 'desc' }>({ key: 'costUsd', dir: 'desc' });
  const rows = useMemo(() => {
    const sorted = [...groups].sort((a, b) => {
      const va = a[sort.key];
      const vb = b[sort.key];
      const c = typeof va === 'string' ? va.localeCompare(vb as string) : (va as number) - (vb as number);
      return sort.dir === 'asc' ? c : -c;
    });
    return sorted;
  }, [groups, sort]);
  const total = groups.reduce((a, g) => a + g.costUsd, 0);

  return (
    <table className="table spend-table" aria-label={`Spend by ${groupLabel}`}>
      <thead>
        <tr>
          {COLUMNS.map((c) => {
            const on = sort.key === c.key;
            return (
              <th key={c.key} scope="col" aria-sort={on ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'} className={c.numeric ? 'num' : undefined}>
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
        {rows.length === 0 && (
          <tr>
            <td colSpan={6} className="muted">
              No requests in this range.
            </td>
          </tr>
        )}
        {rows.map((g) => (
          <tr key={g.key}>
            <td className="mono">{g.key}</td>
            <td className="num">{formatTokens(g.requests)}</td>
            <td className="num">{formatTokens(g.inputTokens)}</td>
            <td className="num">{formatTokens(g.outputTokens)}</td>
            <td className="num">{formatTotal(g.costUsd)}</td>
            <td className="share-col">
              <span className="share-bar" aria-hidden="true">
                <span style={{ width: `${total > 0 ? (g.costUsd / total) * 100 : 0}%` }} />
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
