// The team ledger's errors, and how a PostgreSQL failure is told apart from a bad query or a bad row.
// Messages name the database by its redacted URL only.
import pg from 'pg';

/** The team database could not be reached (or did not take this process's rows) in time. */
export class TeamLedgerUnavailableError extends Error {
  override readonly name = 'TeamLedgerUnavailableError';
  constructor(
    /** The database's URL with its password replaced. */
    readonly database: string,
    detail: string,
  ) {
    super(`the team ledger database ${database} is unreachable: ${detail}`);
  }
}

/** A database-side error that concerns one row's values (SQLSTATE classes 22 and 23), not the connection. */
export function isRowDataError(error: unknown): boolean {
  const code = error instanceof pg.DatabaseError ? error.code : undefined;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Whether an error says the database is out of reach: anything that is not an answer from the server
 * (a refused or cut connection, a timeout), or the server's own connection and shutdown classes.
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof pg.DatabaseError)) return true;
  const code = error.code ?? '';
  return code.startsWith('08') || code.startsWith('57P') || code === '53300';
}

/** An error's message with the URL's password cut out, should a driver ever repeat it. */
export function scrubbed(message: string, url: string): string {
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    /* unparsable: nothing to cut */
  }
  return password.length >= 4 ? message.split(password).join('***') : message;
}
