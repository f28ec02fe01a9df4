// Parses the `since` of a spend query: a duration back from now (`7d`, `24h`, `30m`) or an ISO date.
// Kept apart from the ledger so the CLI can reject a bad value before opening the database.

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000 } as const;

/** Epoch milliseconds that `since` points at; throws an Error naming the bad value. */
export function parseSince(since: string, now: number = Date.now()): number {
  const text = since.trim();
  const duration = /^(\d+)([dhm])$/.exec(text);
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2] as keyof typeof UNIT_MS];
  // Only ISO-looking dates: Date.parse alone accepts loose forms like "7" or "March" and guesses.
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`invalid since "${since}": use a duration like 7d, 24h or 30m, or an ISO date like 2025-01-31`);
}
