// Aliases and breaker tuning live in settings beside routes: seeded from config, read back validated,
// and carried by config export/import.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { exportConfig, importConfig } from './portable';
import { openSettings, type OpenSettings } from './settings-store';

const dirs: string[] = [];
const stores: OpenSettings[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function open(): OpenSettings {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-routing-settings-'));
  dirs.push(d);
  const s = openSettings(d);
  stores.push(s);
  return s;
}

it('keeps aliases and health in settings and in exported config, and import replaces them', () => {
  const a = open();
  a.seed({
    providers: [{ id: 'p', kind: 'openai', keys: [], models: [] }],
    routes: [{ name: 'coding', strategy: 'fallback', targets: [{ provider: 'p', model: 'm' }], timeouts: { firstTokenMs: 5000 } }],
    aliases: [{ match: 'claude-*', to: 'coding' }],
    health: { failureThreshold: 5 },
  });
  expect(a.read()).toMatchObject({ aliases: [{ match: 'claude-*', to: 'coding' }], health: { failureThreshold: 5 } });
  const text = exportConfig(a);
  expect(JSON.parse(text)).toMatchObject({
    aliases: [{ match: 'claude-*', to: 'coding' }],
    routes: [{ timeouts: { firstTokenMs: 5000 } }],
  });
  const b = open();
  importConfig(b, text);
  expect(b.read().aliases).toEqual([{ match: 'claude-*', to: 'coding' }]);
  importConfig(b, JSON.stringify({ providers: [], routes: [] }));
  expect(b.read().aliases).toBeUndefined();
});
