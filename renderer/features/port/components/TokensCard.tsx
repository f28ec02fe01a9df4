// Client tokens: one per tool, so spend is attributed to it. A new token is shown once (copy it
// now; only its hash is kept); each token lists what it has spent and can be revoked at once.
import { useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import { formatSpendTotal, formatTokens } from '../../../lib/format';
import { useLoad } from '../../../lib/use-load';
import { Button } from '../../../ui/Button';
import { CopyButton } from '../../../ui/CopyButton';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';
import { DataTable, type Column } from '../../../ui/DataTable';

interface Props {
  client: AppContract;
  tick: number;
  /** The token just created (for the setup snippets), or null once it is dismissed. */
  onCreated(token: string | null): void;
}

const COLUMNS: readonly Column[] = [
  { label: 'Name' },
  { label: 'Token' },
  { label: 'Created' },
  { label: 'Requests', num: true },
  { label: 'Spend', num: true },
  { label: 'Actions', hidden: true },
];

export function TokensCard({ client, tick, onCreated }: Props) {
  const { state, data, reload } = useLoad(() => client.tokens.list(), true, tick);
  const tokens = data ?? [];
  const [name, setName] = useState('');
  const [fresh, setFresh] = useState<{ name: string; token: string } | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const error = actionError ?? (state.status === 'error' ? state.error : null);

  const create = async () => {
    setActionError(null);
    try {
      const created = await client.tokens.create({ name: name.trim() });
      setFresh({ name: created.info.name, token: created.token });
      onCreated(created.token);
      setName('');
      reload();
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  const revoke = async (n: string) => {
    setActionError(null);
    try {
      await client.tokens.revoke(n);
      if (fresh?.name === n) {
        setFresh(null);
        onCreated(null);
      }
      reload();
    } catch (e) {
      setActionError((e as Error).message);
    }
  };

  return (
    <Card label="Client tokens" title="Client tokens">
      <form
        className="inline-form"
        aria-label="New token"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <input aria-label="Token name" placeholder="e.g. cursor" value={name} onChange={(e) => setName(e.target.value)} />
        <Button variant="primary" type="submit" disabled={!name.trim()}>
          Create token
        </Button>
      </form>
      {error && <ErrorNote>{error}</ErrorNote>}
      {fresh && (
        <div className="fresh-token" role="status">
          <p>
            Token <strong>{fresh.name}</strong>: copy it now, it is shown only this once.
          </p>
          <div className="fresh-token-row">
            <code data-testid="new-token">{fresh.token}</code>
            <CopyButton text={fresh.token} label="Copy token" />
            <Button variant="ghost" className="btn-sm" onClick={() => (setFresh(null), onCreated(null))}>
              Done
            </Button>
          </div>
        </div>
      )}
      <DataTable
        label="Tokens"
        className="table compact"
        columns={COLUMNS}
        empty={tokens.length === 0 ? 'No tokens yet. Create one per tool.' : undefined}
      >
        {tokens.map((t) => (
          <tr key={t.name}>
            <td className="mono">{t.name}</td>
            <td className="mono">{t.prefix}…</td>
            <td>{new Date(t.createdAt).toLocaleDateString()}</td>
            <td className="num">{formatTokens(t.requests)}</td>
            <td className="num">
              {formatSpendTotal({ knownCostUsd: t.knownSpendUsd, unknownCostRequests: t.unknownCostRequests, requests: t.requests })}
            </td>
            <td>
              <Button variant="ghost" className="btn-sm" aria-label={`Revoke token ${t.name}`} onClick={() => void revoke(t.name)}>
                Revoke
              </Button>
            </td>
          </tr>
        ))}
      </DataTable>
    </Card>
  );
}
