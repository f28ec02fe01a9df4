// Network, data and desktop preferences, kept in the engine's settings: a global proxy (applied to
// every upstream request), per-provider proxies (which win over the global one for their provider), where the data
// lives, and the desktop shell's start-on-login and close-to-tray behaviour.
import { useEffect, useState } from 'react';
import type { AppContract } from '../../../../shared/contract';
import type { AppPreferences, DataLocation, ProviderInfo } from '../../../../shared/types';
import { Button } from '../../../ui/Button';
import { CopyButton } from '../../../ui/CopyButton';
import { ErrorNote } from '../../../ui/ErrorNote';
import { Card } from '../../../ui/Page';

export function PreferencesCards({ client, active }: { client: AppContract; active: boolean }) {
  const [prefs, setPrefs] = useState<AppPreferences | null>(null);
  const [where, setWhere] = useState<DataLocation | null>(null);
  const [providers, setProviders] = useState<ProviderInfo[]>([]);
  const [proxy, setProxy] = useState('');
  const [pp, setPp] = useState({ provider: '', url: '' });
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const desktop = typeof window !== 'undefined' && window.switchboard !== undefined;

  useEffect(() => {
    if (!active) return;
    Promise.all([client.settings.preferences(), client.settings.dataLocation(), client.providers.list()]).then(
      ([p, w, list]) => {
        setPrefs(p);
        setProxy(p.proxy ?? '');
        setWhere(w);
        setProviders(list);
        setPp((x) => ({ ...x, provider: x.provider || list[0]?.id || '' }));
      },
      (e: Error) => setError(e.message),
    );
  }, [client, active]);

  const update = async (patch: Partial<AppPreferences>, what: string) => {
    setError(null);
    setSaved(null);
    const before = prefs;
    // Shown at once (a checkbox must follow the click); put back if the engine refuses.
    if (before && !('proxy' in patch)) setPrefs({ ...before, ...patch });
    try {
      const next = await client.settings.setPreferences(patch);
      setPrefs(next);
      setProxy(next.proxy ?? '');
      setSaved(what);
    } catch (e) {
      if (before) setPrefs(before);
      setError((e as Error).message);
    }
  };

  if (!prefs) return error ? <ErrorNote>{error}</ErrorNote> : null;
  return (
    <>
      <Card label="Network" title="Network">
        {error && <ErrorNote>{error}</ErrorNote>}
        {saved && (
          <p role="status" className="small good-text">
            Saved: {saved}.
          </p>
        )}
        <form
          className="inline-form"
          aria-label="Global proxy"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ proxy: proxy.trim() || null }, proxy.trim() ? 'proxy' : 'direct connections');
          }}
        >
          <label className="field-inline">
            <span>Proxy for every provider</span>
            <input
              aria-label="Proxy URL"
              placeholder="http://127.0.0.1:3128 (empty: direct)"
              value={proxy}
              onChange={(e) => setProxy(e.target.value)}
            />
          </label>
          <Button variant="secondary" type="submit">
            Save proxy
          </Button>
        </form>
        <p className="muted small">Applied to the next upstream request. Your tools still talk to the local port directly.</p>
        <h3 className="section-label">Per-provider proxies</h3>
        <p className="muted small">
          A provider's own proxy carries its requests instead of the proxy above; other providers keep the global setting.
        </p>
        <ul className="key-list">
          {Object.entries(prefs.providerProxies).map(([id, url]) => (
            <li key={id} className="key-row">
              <span className="mono">{id}</span>
              <span className="mono">{url}</span>
              <Button
                variant="ghost"
                className="btn-sm"
                aria-label={`Remove proxy of ${id}`}
                onClick={() =>
                  void update(
                    { providerProxies: Object.fromEntries(Object.entries(prefs.providerProxies).filter(([k]) => k !== id)) },
                    `proxy of ${id} removed`,
                  )
                }
              >
                Remove
              </Button>
            </li>
          ))}
        </ul>
        <form
          className="inline-form"
          aria-label="Provider proxy"
          onSubmit={(e) => {
            e.preventDefault();
            void update({ providerProxies: { ...prefs.providerProxies, [pp.provider]: pp.url.trim() } }, `proxy of ${pp.provider}`);
          }}
        >
          <select aria-label="Provider" value={pp.provider} onChange={(e) => setPp({ ...pp, provider: e.target.value })}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.id}
              </option>
            ))}
          </select>
          <input
            aria-label="Provider proxy URL"
            placeholder="http://proxy:8080"
            value={pp.url}
            onChange={(e) => setPp({ ...pp, url: e.target.value })}
          />
          <Button variant="secondary" type="submit" disabled={!pp.provider || !pp.url.trim()}>
            Save provider proxy
          </Button>
        </form>
      </Card>
      <Card label="Data" title="Data folder">
        {where && (
          <>
            <p className="mono" data-testid="data-dir">
              {where.dataDir}
            </p>
            <CopyButton text={where.dataDir} label="Copy data folder path" />
            <p className="muted small">
              Settings in <span className="mono">{where.settingsFile}</span>, requests and conversations in{' '}
              <span className="mono">{where.ledgerFile}</span>.{' '}
              {desktop
                ? 'Open it from Help › Open Data Folder.'
                : 'Opening the folder works in the desktop app (Help › Open Data Folder); here, copy the path.'}
            </p>
          </>
        )}
      </Card>
      <Card label="Desktop" title="Desktop">
        <div className="pref-row">
          <label className="switch">
            <input
              type="checkbox"
              checked={prefs.startOnLogin}
              onChange={(e) => void update({ startOnLogin: e.target.checked }, 'start on login')}
            />
            <span>Start Switchboard when I log in</span>
          </label>
        </div>
        <div className="pref-row">
          <label className="switch">
            <input
              type="checkbox"
              checked={prefs.closeToTray}
              onChange={(e) => void update({ closeToTray: e.target.checked }, 'tray behaviour')}
            />
            <span>Closing the window keeps Switchboard and the port running in the tray</span>
          </label>
        </div>
        {!desktop && (
          <p className="muted small">Stored here; the desktop app applies them (this browser tab is served by `switchboard serve`).</p>
        )}
      </Card>
    </>
  );
}
