// What the team directory refuses (members, tokens, budgets in the team database), one class per
// reason so the CLI and the app tell them apart without reading messages.

/** Every refusal of the team directory: the user's mistake, said plainly; nothing was changed. */
export class TeamDirectoryError extends Error {
  override name = 'TeamDirectoryError';
}

export class InvalidMemberError extends TeamDirectoryError {
  override name = 'InvalidMemberError';
}

export class MemberExistsError extends TeamDirectoryError {
  override name = 'MemberExistsError';
  constructor(readonly member: string) {
    super(`a member named "${member}" already exists`);
  }
}

export class MemberNotFoundError extends TeamDirectoryError {
  override name = 'MemberNotFoundError';
  constructor(readonly member: string) {
    super(`no member named "${member}" (add one with: switchboard member add ${member})`);
  }
}

/** A member still holding live tokens cannot go: its tools would keep working with nobody behind them. */
export class MemberHasTokensError extends TeamDirectoryError {
  override name = 'MemberHasTokensError';
  constructor(
    readonly member: string,
    readonly tokens: string[],
  ) {
    super(
      `member "${member}" still has live tokens (${tokens.join(', ')}): revoke them first (switchboard token revoke NAME), then remove the member`,
    );
  }
}

export class TokenExistsError extends TeamDirectoryError {
  override name = 'TokenExistsError';
  constructor(
    readonly token: string,
    readonly revoked: boolean,
  ) {
    super(
      revoked
        ? `a token named "${token}" already exists (revoked; its name stays taken so its past spend keeps its member): choose another name`
        : `a token named "${token}" already exists`,
    );
  }
}

export class TokenNotFoundError extends TeamDirectoryError {
  override name = 'TokenNotFoundError';
  constructor(readonly token: string) {
    super(`no token named "${token}"`);
  }
}

export class TokenAlreadyRevokedError extends TeamDirectoryError {
  override name = 'TokenAlreadyRevokedError';
  constructor(
    readonly token: string,
    readonly revokedAt: string,
  ) {
    super(`token "${token}" was already revoked at ${revokedAt}`);
  }
}

export class BudgetNotFoundError extends TeamDirectoryError {
  override name = 'BudgetNotFoundError';
  constructor(readonly budget: string) {
    super(`no budget named "${budget}"`);
  }
}

/** A budget row the schema would refuse (no limit, both client and member, a bad name or period). */
export class InvalidBudgetError extends TeamDirectoryError {
  override name = 'InvalidBudgetError';
}

/** The `--ledger` value (or SWITCHBOARD_LEDGER) is not a PostgreSQL URL; the message never shows its password. */
export class LedgerUrlError extends TeamDirectoryError {
  override name = 'LedgerUrlError';
}

/** PostgreSQL's code for a foreign key that names a row that does not exist (a member here). */
export const FOREIGN_KEY_VIOLATION = '23503';

export function pgCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
