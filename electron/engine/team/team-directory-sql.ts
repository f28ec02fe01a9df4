// What the team directory's modules share in SQL: the one query method they need (a pool or a client
// answers it) and one way to write a timestamp, so every instance shows the same ISO text.

/** A pool or a single connection: whatever can run a parameterised statement. */
export interface Queryable {
  query<R extends Record<string, any> = Record<string, any>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** SQL for a TIMESTAMPTZ column as `2026-11-30T12:00:00.000Z` (UTC, milliseconds), whatever the session's time zone. */
export function isoText(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
