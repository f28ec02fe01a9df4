// Starts a real engine (createApp, real HTTP on loopback, real SQLite) in a temp data dir against
// fake upstreams, with a client token, for integration and conformance tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App, type AppOptions } from '../../electron/engine/app';
import { openSettings } from '../../electron/engine/settings/settings-store';
import { createClientToken } from '../../electron/engine/settings/tokens';

export interface Harness {
  app: App;
  baseUrl: string;
  token: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function startHarness(
  config: unknown,
  env: Record<string, string>,
  clientName = 'test-client',
  extra: Partial<AppOptions> = {},
): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const configFile = join(dataDir, 'seed-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const { token, record } = createClientToken(clientName);
  openSettings(dataDir).addToken(record);
  const app = await createApp({ dataDir, configFile, port: 0, host: '127.0.0.1', env, ...extra });
  return {
    app,
    baseUrl: app.gateway!.url,
    token,
    dataDir,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
