// Chat and compare rows recorded before the app's own requests were attributed to the client `app`
// carry no client: spend reads them as `app` everywhere (groups, filters, drill-down, CSV) without
// rewriting the ledger, so old and new rows of the app add up under one name.
import type { SpendQuery } from '../../../shared/types';
import { APP_CLIENT } from './types';

/** The client a row belongs to: its own, or `app` for the app's own (non-port) requests. */
export const clientOf = (client: string | null, source: string): string | null => client || (source === 'port' ? null : APP_CLIENT);

/** SQL condition for "requests of `client`": rollup tables store '' for no client, raw rows NULL. */
export function clientCondition(client: string, rollup: boolean): string {
  if (client !== APP_CLIENT) return 'client = ?';
  return `(client = ? OR (${rollup ? "client = ''" : 'client IS NULL'} AND source <> 'port'))`;
}

/** Adds a query's client and source filters on raw `requests` rows (`?` parameters, in order). */
export function pushClientAndSource(query: Pick<SpendQuery, 'client' | 'source'>, where: string[], params: unknown[]): void {
  if (query.client !== undefined) {
    where.push(clientCondition(query.client, false));
    params.push(query.client);
  }
  if (query.source !== undefined) {
    where.push('source = ?');
    params.push(query.source);
  }
}
