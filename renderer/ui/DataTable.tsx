// The app's list tables (requests, tokens, a provider's models): a table in its scroll frame, named once
// for both, with a plain header row and, when there are no rows, one line that says so across every column.
import type { ReactNode } from 'react';
import { TableScroll } from './TableScroll';

export interface Column {
  label: ReactNode;
  /** A figure column: right-aligned, as its cells are. */
  num?: boolean;
  /** Named for screen readers only (an actions column). */
  hidden?: boolean;
}

export function DataTable({
  label,
  className,
  columns,
  empty,
  children,
}: {
  label: string;
  className: string;
  columns: readonly Column[];
  /** Shown as the only row when given (the caller gives it when there are no rows). */
  empty?: ReactNode;
  children: ReactNode;
}) {
  return (
    <TableScroll label={label}>
      <table className={className} aria-label={label}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={c.num ? 'num' : undefined}>
                {c.hidden ? <span className="sr-only">{c.label}</span> : c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {empty !== undefined && <EmptyRow columns={columns.length}>{empty}</EmptyRow>}
          {children}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The one row of a table with nothing to list. */
export function EmptyRow({ columns, children }: { columns: number; children: ReactNode }) {
  return (
    <tr>
      <td colSpan={columns} className="muted">
        {children}
      </td>
    </tr>
  );
}
