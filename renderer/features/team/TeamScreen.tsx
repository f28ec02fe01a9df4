// Team mode's admin view: the team database (redacted) and this instance, this instance's queue of rows
// to the database (with a warning when writes fail or rows wait too long), and every member with their
// tokens and this UTC month's spend against their budget. The queue is polled while the screen is shown;
// members reload on token and budget changes, every half minute, and on Refresh.
import { useEffect, useState } from 'react';
import type { TeamMemberInfo } from '../../../shared/types';
import { useChanges } from '../../lib/changes';
import type { ScreenProps } from '../../lib/screen';
import { useLoad } from '../../lib/use-load';
import { Button } from '../../ui/Button';
import { DataTable, type Column } from '../../ui/DataTable';
import { EmptyState } from '../../ui/EmptyState';
import { ErrorNote } from '../../ui/ErrorNote';
import { Badge, Card, LoadState, PageHeader } from '../../ui/Page';
import '../../ui/budget-warning.css';
import './team.css';
import { memberRows, outboxView, teamTotals, type MemberRow } from './team-data';

/** The queue changes by the second; members' spend is fine a little behind. */
const STATUS_POLL_MS = 5_000;
const MEMBER_POLLS = 6;

const COLUMNS: readonly Column[] = [
  { label: 'Member' },
  { label: 'Tokens' },
  { label: 'Spend this month', num: true },
  { label: 'Requests', num: true },
  { label: 'Budget', num: true },
];

/** A counter that moves every `ms` while `active` (so a load keyed on it repeats). */
function usePoll(active: boolean, ms: number): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setN((x) => x + 1), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return n;
}

function MemberTokens({ row }: { row: MemberRow }) {
  return (
    <>
      {row.live.length === 0 ? (
        <span className="muted">No live tokens</span>
      ) : (
        <ul className="team-tokens" aria-label={`Tokens of ${row.member.name}`}>
          {row.live.map((t) => (
            <li key={t.name}>
              <code className="mono">{t.prefix}…</code> <span className="team-token-name">{t.name}</span>
            </li>
          ))}
        </ul>
      )}
      {row.revoked.length > 0 && (
        <div className="small muted team-revoked" data-testid="team-revoked">
          Revoked:{' '}
          {row.revoked.map((t, i) => (
            <span key={t.name}>
              {i > 0 && ', '}
              <del>{t.name}</del>
            </span>
          ))}
        </div>
      )}
    </>
  );
}

function MembersTable({ members }: { members: TeamMemberInfo[] }) {
  const rows = memberRows(members);
  return (
    <DataTable
      label="Members"
      className="table compact team-table"
      columns={COLUMNS}
      empty={rows.length === 0 ? 'No members yet. Tokens created for a member on this team database bring them here.' : undefined}
    >
      {rows.map((row) => (
        <tr key={row.member.name} data-testid="team-member">
          <td>
            <div className="team-member-name">{row.member.name}</div>
            {row.member.email && <div className="small muted team-email">{row.member.email}</div>}
          </td>
          <td>
            <MemberTokens row={row} />
          </td>
          <td className="num">
            {row.spend}
            {row.spendNote && <div className="small muted">{row.spendNote}</div>}
          </td>
          <td className="num">{row.requests}</td>
          <td className="num">
            {row.budget.limit === null ? (
              <span className="muted">None</span>
            ) : (
              <>
                {row.budget.limit}
                <div>
                  <Badge tone={row.budget.tone}>{row.budget.text}</Badge>
                </div>
              </>
            )}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

export function TeamScreen({ client, active }: ScreenProps) {
  const changed = useChanges(client, ['tokens', 'budgets']);
  const [manual, setManual] = useState(0);
  const poll = usePoll(active, STATUS_POLL_MS);
  // The time the status was read goes with it: how long rows have waited is measured against it.
  const status = useLoad(async () => ({ status: await client.team.status(), at: Date.now() }), active, `${poll} ${manual}`);
  const members = useLoad(() => client.team.members(), active, `${changed} ${manual} ${Math.floor(poll / MEMBER_POLLS)}`);
  const refresh = () => setManual((n) => n + 1);

  return (
    <div className="page team-page">
      <PageHeader
        title="Team"
        subtitle="Members, their tokens and this month's spend (UTC), from the database every instance of this gateway shares."
      >
        <Button variant="ghost" onClick={refresh}>
          Refresh
        </Button>
      </PageHeader>
      <LoadState state={status.state} onRetry={refresh}>
        {({ status: s, at }) => {
          if (!s.enabled)
            return (
              <div className="empty-panel">
                <EmptyState title="Team mode is off">
                  This gateway keeps its ledger on this machine. Start it with switchboard serve --ledger postgres://… to share one with a
                  team.
                </EmptyState>
              </div>
            );
          const queue = outboxView(s.outbox, at);
          const tone = s.outbox?.lastError ? 'bad' : queue.warning ? 'warn' : 'good';
          return (
            <>
              {/* What needs attention comes first: rows that are not reaching the database. */}
              {queue.warning && (
                <div className="warn-note" role="status" data-testid="team-outbox-warning">
                  <span className="warn-note-icon" aria-hidden="true">
                    !
                  </span>
                  <span className="warn-note-text">{queue.warning}</span>
                </div>
              )}
              <div className="stat-row">
                <Card label="Team database" title="Team database">
                  <p className="big mono team-database" data-testid="team-database">
                    {s.database ?? 'not reported'}
                  </p>
                  <p className="small">
                    This instance:{' '}
                    <span className="mono" data-testid="team-instance">
                      {s.instance ?? 'unnamed'}
                    </span>
                  </p>
                </Card>
                <Card
                  label="Queue to the database"
                  title="Queue to the database"
                  aside={<Badge tone={tone}>{tone === 'bad' ? 'failing' : tone === 'warn' ? 'behind' : 'up to date'}</Badge>}
                >
                  <p className="big" data-testid="team-outbox">
                    {queue.summary}
                  </p>
                  <p className="small muted">
                    {queue.lastShipped ? `Last written ${queue.lastShipped}.` : 'Nothing written yet by this instance.'}
                  </p>
                </Card>
              </div>
            </>
          );
        }}
      </LoadState>
      {status.data?.status.enabled !== false && (
        <Card label="Members" title="Members" aside={members.data && <MembersAside members={members.data} />}>
          {members.state.status === 'error' && (
            <ErrorNote
              action={
                <Button variant="ghost" onClick={refresh}>
                  Retry
                </Button>
              }
            >
              Could not load members: {members.state.error}
            </ErrorNote>
          )}
          {members.data ? (
            <MembersTable members={members.data} />
          ) : (
            members.state.status === 'loading' && (
              <p className="muted" role="status">
                Loading…
              </p>
            )
          )}
        </Card>
      )}
    </div>
  );
}

function MembersAside({ members }: { members: TeamMemberInfo[] }) {
  const t = teamTotals(members);
  return (
    <span className="small muted" data-testid="team-totals">
      {t.members} · {t.tokens} · {t.spend} this month
    </span>
  );
}
