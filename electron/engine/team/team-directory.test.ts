// The team directory's store against a real PostgreSQL cluster: members, tokens, budgets, the snapshot
// an instance enforces (the watcher that refreshes it: directory-watch.test.ts).
import { describe, expect, it } from 'vitest';
import { teamLab } from '../../../test/support/team-lab';
import { hashToken, TokenLookup } from '../settings/tokens';
import { TeamDirectory, teamLedgerUrl, teamTokenRecord, mergeClientTokens } from './team-directory';
import {
  InvalidBudgetError,
  InvalidMemberError,
  LedgerUrlError,
  MemberExistsError,
  MemberHasTokensError,
  MemberNotFoundError,
  TokenAlreadyRevokedError,
  TokenExistsError,
  TokenNotFoundError,
} from './team-directory-errors';

const lab = teamLab();
const directory = async (): Promise<TeamDirectory> => lab.closeAfter(await TeamDirectory.open(await lab.freshUrl(), { onError: () => {} }));

describe('team directory store', () => {
  it('adds, lists and refuses members plainly', async () => {
    const dir = await directory();
    expect(await dir.addMember('alice', 'alice@example.com')).toMatchObject({ name: 'alice', email: 'alice@example.com' });
    await dir.addMember('bob');
    await expect(dir.addMember('alice')).rejects.toBeInstanceOf(MemberExistsError);
    await expect(dir.addMember('no spaces')).rejects.toBeInstanceOf(InvalidMemberError);
    await expect(dir.addMember('carol', 'not-an-email')).rejects.toBeInstanceOf(InvalidMemberError);
    const members = await dir.listMembers();
    expect(members.map((m) => [m.name, m.email])).toEqual([
      ['alice', 'alice@example.com'],
      ['bob', null],
    ]);
    expect(members[0]!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('creates tokens the port can check, names unique across the team, for an existing member only', async () => {
    const dir = await directory();
    await dir.addMember('alice');
    const { token, info } = await dir.createToken('alice-laptop', { member: 'alice', allow: ['fast'], budgetUsd: 20 });
    expect(token).toMatch(/^sbt_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ name: 'alice-laptop', member: 'alice', allow: ['fast'], budgetUsd: 20, revokedAt: null });
    expect(info.prefix).toBe(token.slice(0, 8));
    const { rows } = await dir.db.query('SELECT hash FROM client_tokens');
    expect(rows).toEqual([{ hash: hashToken(token) }]);

    await expect(dir.createToken('alice-laptop')).rejects.toBeInstanceOf(TokenExistsError);
    await expect(dir.createToken('ghost-tool', { member: 'ghost' })).rejects.toBeInstanceOf(MemberNotFoundError);
    await expect(dir.createToken('app')).rejects.toThrow(/recorded under it/);
    expect((await dir.listTokens()).map((t) => t.name)).toEqual(['alice-laptop']);
  });

  it('revokes by timestamp: the row stays, the name stays taken, a second revoke or an unknown name is an error', async () => {
    const dir = await directory();
    await dir.addMember('alice');
    await dir.createToken('cli', { member: 'alice' });
    const revoked = await dir.revokeToken('cli');
    expect(revoked.revokedAt).toMatch(/Z$/);
    await expect(dir.revokeToken('cli')).rejects.toBeInstanceOf(TokenAlreadyRevokedError);
    await expect(dir.revokeToken('nope')).rejects.toBeInstanceOf(TokenNotFoundError);
    const again = await dir.createToken('cli').catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TokenExistsError);
    expect((again as Error).message).toMatch(/revoked/);
    expect(await dir.listTokens()).toEqual([expect.objectContaining({ name: 'cli', member: 'alice', revokedAt: revoked.revokedAt })]);
  });

  it('removes a member only without live tokens, taking its budgets and detaching its revoked tokens', async () => {
    const dir = await directory();
    await dir.addMember('alice');
    await dir.createToken('a1', { member: 'alice' });
    await dir.createToken('a2', { member: 'alice' });
    await dir.setBudget({ name: 'member-alice', member: 'alice', period: 'monthly', mode: 'hard', usd: 10 });
    const refused = await dir.removeMember('alice').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(MemberHasTokensError);
    expect((refused as MemberHasTokensError).tokens).toEqual(['a1', 'a2']);
    expect((await dir.listMembers()).map((m) => m.name)).toEqual(['alice']);

    await dir.revokeToken('a1');
    await dir.revokeToken('a2');
    expect(await dir.removeMember('alice')).toEqual({ name: 'alice', budgets: ['member-alice'], detachedTokens: ['a1', 'a2'] });
    expect(await dir.listMembers()).toEqual([]);
    expect(await dir.listBudgets()).toEqual([]);
    await expect(dir.removeMember('alice')).rejects.toBeInstanceOf(MemberNotFoundError);
  });

  it('sets budgets by name (upsert), lists and removes them, refusing what the schema would', async () => {
    const dir = await directory();
    await dir.addMember('bob');
    await dir.setBudget({ name: 'team', period: 'monthly', mode: 'soft', usd: 100 });
    await dir.setBudget({ name: 'member-bob', member: 'bob', period: 'daily', mode: 'hard', usd: 2, tokens: 50_000 });
    await dir.setBudget({ name: 'member-bob', member: 'bob', period: 'monthly', mode: 'hard', usd: 30 });
    await dir.setBudget({ name: 'cursor cap', client: 'cursor', period: 'monthly', mode: 'hard', tokens: 1_000_000, allowUnpriced: true });
    expect(await dir.listBudgets()).toEqual([
      { name: 'cursor cap', client: 'cursor', period: 'monthly', mode: 'hard', tokens: 1_000_000, allowUnpriced: true },
      { name: 'member-bob', member: 'bob', period: 'monthly', mode: 'hard', usd: 30 },
      { name: 'team', period: 'monthly', mode: 'soft', usd: 100 },
    ]);
    await expect(dir.setBudget({ name: 'x', period: 'monthly', mode: 'hard' })).rejects.toBeInstanceOf(InvalidBudgetError);
    await expect(dir.setBudget({ name: 'x', client: 'c', member: 'bob', period: 'monthly', mode: 'hard', usd: 1 })).rejects.toBeInstanceOf(
      InvalidBudgetError,
    );
    await expect(dir.setBudget({ name: 'x', member: 'ghost', period: 'monthly', mode: 'hard', usd: 1 })).rejects.toBeInstanceOf(
      MemberNotFoundError,
    );
    await dir.removeBudget('team');
    await expect(dir.removeBudget('team')).rejects.toThrow(/no budget named "team"/);
    expect((await dir.listBudgets()).map((b) => b.name)).toEqual(['cursor cap', 'member-bob']);
  });

  it('snapshots live tokens as settings records, and the member of every token, revoked ones too', async () => {
    const dir = await directory();
    await dir.addMember('alice');
    const live = await dir.createToken('live', { member: 'alice', allow: ['acme/*'], budgetUsd: 5, budgetAllowUnpriced: true });
    const old = await dir.createToken('old', { member: 'alice' });
    await dir.createToken('loose');
    await dir.revokeToken('old');
    const snap = await dir.snapshot();
    expect(snap.tokens.map((t) => t.name)).toEqual(['live', 'loose']);
    expect(snap.memberOf('old')).toBe('alice');
    expect(snap.memberOf('live')).toBe('alice');
    expect(snap.memberOf('loose')).toBeUndefined();
    const records = snap.tokens.map(teamTokenRecord);
    expect(records[0]).toEqual({
      name: 'live',
      hash: hashToken(live.token),
      prefix: live.token.slice(0, 8),
      createdAt: live.info.createdAt,
      allow: ['acme/*'],
      budgetUsd: 5,
      budgetAllowUnpriced: true,
    });
    const lookup = new TokenLookup(records.map((r) => [r.hash, r.name] as const));
    expect(lookup.get(live.token)).toBe('live');
    expect(lookup.get(old.token)).toBeUndefined();

    const local = { name: 'live', hash: 'h-local', prefix: 'sbt_loca', createdAt: '2026-01-01T00:00:00.000Z' };
    const other = { ...local, name: 'desk', hash: 'h-desk' };
    const merged = mergeClientTokens([local, other], snap.tokens);
    expect(merged.shadowed).toEqual(['live']);
    expect(merged.tokens.map((t) => [t.name, t.hash])).toEqual([
      ['live', hashToken(live.token)],
      ['loose', expect.any(String)],
      ['desk', 'h-desk'],
    ]);
  });

  it('takes the ledger URL from --ledger or SWITCHBOARD_LEDGER and never shows a password', () => {
    expect(teamLedgerUrl(undefined, {})).toBeUndefined();
    expect(teamLedgerUrl(undefined, { SWITCHBOARD_LEDGER: 'postgres://h/db' })).toBe('postgres://h/db');
    expect(teamLedgerUrl('postgresql://a/b', { SWITCHBOARD_LEDGER: 'postgres://h/db' })).toBe('postgresql://a/b');
    const error = (() => {
      try {
        teamLedgerUrl('mysql://u:hunter2@h/db', {});
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(LedgerUrlError);
    expect(error!.message).toMatch(/--ledger must be a PostgreSQL URL/);
    expect(error!.message).not.toContain('hunter2');
  });
});
