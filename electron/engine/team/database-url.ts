// Team database URLs and the errors of reaching one, without the PostgreSQL client: `serve` and the CLI
// check a --ledger value and report failures without loading `pg` unless team mode is on.
import { LedgerUrlError } from './team-directory-errors';

/** A database URL that cannot be used (not postgres://, unparsable). */
export class DatabaseUrlError extends Error {
  override readonly name = 'DatabaseUrlError';
}

/** Whether a `--ledger` value names a PostgreSQL database (else it is not team mode). */
export function isDatabaseUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** The URL with its password replaced, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A database failure in one line without secrets (node's connect errors may carry their text only in `errors`). */
export function describeDatabaseError(error: unknown): string {
  const e = error as Error & { code?: string; errors?: Error[] };
  if (e.message) return e.message;
  const inner = e.errors
    ?.map((x) => x.message)
    .filter(Boolean)
    .join('; ');
  return inner || e.code || String(error);
}

/** The team database did not answer when an instance started (it cannot check tokens or budgets without it). */
export class TeamDatabaseUnreachableError extends Error {
  override readonly name = 'TeamDatabaseUnreachableError';
  constructor(url: string, cause: unknown) {
    super(`cannot reach the team database ${redactDatabaseUrl(url)}: ${describeDatabaseError(cause)}`, { cause });
  }
}

/**
 * The team database a command acts on: `--ledger URL`, else SWITCHBOARD_LEDGER, else none (the local
 * settings). A value that is not a PostgreSQL URL is refused, its password kept out of the message.
 */
export function teamLedgerUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = env.SWITCHBOARD_LEDGER?.trim() || undefined;
  const url = flag ?? fromEnv;
  if (url === undefined) return undefined;
  if (!isDatabaseUrl(url))
    throw new LedgerUrlError(
      `${flag !== undefined ? '--ledger' : 'SWITCHBOARD_LEDGER'} must be a PostgreSQL URL (postgres://user@host:port/db), got ${redactDatabaseUrl(url)}`,
    );
  return url;
}
