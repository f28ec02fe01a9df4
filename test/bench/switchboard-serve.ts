// Switchboard as users run it, for the port bench: a realistic config and data dir (budgeted client token,
// global soft budget), and `node dist/cli.cjs serve` started with node's default flags.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import type { BudgetConfig } from '../../electron/engine/budgets/types';
import { parseConfig } from '../../electron/engine/settings/config-schema';
import { openSettings } from '../../electron/engine/settings/settings-store';

export const UPSTREAM_KEY = 'bench-upstream-key';
/** The model the bench asks the upstream for when it calls it directly (and through the floor and the reference). */
export const DIRECT_MODEL = 'a-model-1';
/** What the bench asks Switchboard for: an alias of a fallback route whose first target is DIRECT_MODEL. */
export const SWITCHBOARD_MODEL = 'bench';
export const HELD_ROUTE = 'held';

const PROVIDERS = ['alpha', 'beta', 'gamma'];
const MODELS_PER_PROVIDER = 12;
const modelIds = (provider: string) => Array.from({ length: MODELS_PER_PROVIDER }, (_, i) => `${provider[0]}-model-${i + 1}`);
/** Every model id of the config: the fake upstream must accept them all. */
export const FAKE_MODELS = PROVIDERS.flatMap(modelIds);

/** The global budget the bench sets in settings: soft, so nothing is refused; high, so no warning header is sent. */
export const GLOBAL_BUDGET: BudgetConfig = { name: 'bench global', period: 'monthly', mode: 'soft', usd: 10_000 };
/** `switchboard token create bench --budget 1000`: a hard monthly budget for the bench's client. */
export const TOKEN_BUDGET_USD = 1000;

/** A config like a user's: 3 providers × 12 priced models with context windows, 5 routes, 4 aliases. */
export function benchConfig(upstream: string, pacedUpstream: string): unknown {
  const windows = [8_192, 32_768, 128_000, 200_000];
  const provider = (id: string, baseUrl: string, models: string[]) => ({
    id,
    kind: 'openai-compatible',
    baseUrl,
    keys: [{ env: 'UP_KEY' }],
    models: models.map((m, i) => ({
      id: m,
      contextWindow: windows[i % windows.length],
      price: { input: 0.5 + i * 0.75, output: 1.5 + i * 2.5, cacheRead: 0.05 + i * 0.075 },
    })),
  });
  const config = {
    providers: [...PROVIDERS.map((p) => provider(p, upstream, modelIds(p))), provider('paced', pacedUpstream, [DIRECT_MODEL])],
    routes: [
      {
        name: 'chat',
        strategy: 'fallback',
        targets: [
          { provider: 'alpha', model: DIRECT_MODEL },
          { provider: 'beta', model: 'b-model-1' },
          { provider: 'gamma', model: 'g-model-1' },
        ],
      },
      {
        name: 'spread',
        strategy: 'weighted',
        targets: [
          { provider: 'alpha', model: 'a-model-2', weight: 3 },
          { provider: 'beta', model: 'b-model-2', weight: 1 },
        ],
      },
      {
        name: 'cheap',
        strategy: 'lowest-cost',
        targets: [
          { provider: 'alpha', model: 'a-model-3' },
          { provider: 'beta', model: 'b-model-3' },
          { provider: 'gamma', model: 'g-model-3' },
        ],
      },
      {
        name: 'tiered',
        targets: [
          {
            group: {
              strategy: 'weighted',
              targets: [
                { provider: 'beta', model: 'b-model-4' },
                { provider: 'gamma', model: 'g-model-4' },
              ],
            },
          },
          { provider: 'alpha', model: 'a-model-4' },
        ],
      },
      { name: HELD_ROUTE, targets: [{ provider: 'paced', model: DIRECT_MODEL }] },
    ],
    aliases: [
      { match: SWITCHBOARD_MODEL, to: 'chat' },
      { match: 'gpt-*', to: 'spread' },
      { match: 'claude-*', to: 'cheap' },
      { match: 'fast', to: 'alpha/a-model-2' },
    ],
  };
  // The schema accepts a route to a model the provider does not list: the bench must not (it would
  // measure an unpriced target, refused by the token's hard budget).
  const parsed = parseConfig(config, 'the bench config');
  const offered = new Set(parsed.providers.flatMap((p) => p.models.map((m) => `${p.id}/${m.id}`)));
  for (const r of parsed.routes)
    for (const step of r.targets)
      for (const t of 'group' in step ? step.group.targets : [step])
        if (!offered.has(`${t.provider}/${t.model}`))
          throw new Error(`the bench config's route ${r.name} names ${t.provider}/${t.model}, not offered`);
  return config;
}

export const cliPath = (): string => {
  const cli = join(process.cwd(), 'dist/cli.cjs');
  if (!existsSync(cli)) throw new Error('dist/cli.cjs is missing: run `node scripts/build.mjs` first');
  return cli;
};

export interface ServeSetup {
  dataDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  token: string;
}

/**
 * Writes the config file, mints the client token with the CLI (`token create bench --budget 1000`) and
 * sets the global budget through the settings store's own API (what the UI's budgets.set calls), before
 * serve starts; checkBudgets() then reads both back from the running port.
 */
export function prepareDataDir(dataDir: string, config: unknown): ServeSetup {
  const configFile = join(dataDir, 'bench-config.json');
  writeFileSync(configFile, JSON.stringify(config));
  const env = { ...process.env, UP_KEY: UPSTREAM_KEY, SWITCHBOARD_DATA_DIR: dataDir };
  const made = spawnSync(process.execPath, [cliPath(), 'token', 'create', 'bench', '--budget', String(TOKEN_BUDGET_USD)], {
    env,
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (made.status !== 0) throw new Error(`switchboard token create failed: ${made.stderr}`);
  const token = made.stdout.trim().split('\n').pop()!;
  const settings = openSettings(dataDir);
  try {
    settings.setBudgets([GLOBAL_BUDGET]);
  } finally {
    settings.close();
  }
  return { dataDir, configFile, env, token };
}

export interface Serving {
  child: ChildProcess;
  url: string;
  /** The admin token serve prints in its UI line: it opens the app bridge (/app/rpc). */
  adminToken: string;
}

/**
 * `node dist/cli.cjs serve --port 0 --config FILE`, node's default flags, plus `extraArgs` (the team
 * bench's `--ledger URL`); resolves once it prints its URL and UI line.
 */
export function startServe(setup: ServeSetup, extraArgs: string[] = []): Promise<Serving> {
  const child = spawn(process.execPath, [cliPath(), 'serve', '--port', '0', '--config', setup.configFile, ...extraArgs], {
    env: setup.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise<Serving>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('switchboard serve did not start within 20 s')), 20_000);
    let url: string | undefined;
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      url ??= /^listening on (\S+)/.exec(line)?.[1];
      const admin = /^UI: \S+\?token=(\S+)/.exec(line)?.[1];
      if (url && admin) {
        clearTimeout(timer);
        resolve({ child, url, adminToken: admin });
      }
    });
    child.once('exit', (code) => reject(new Error(`switchboard serve exited (${code})`)));
  });
}

export interface BudgetSeen {
  name: string;
  client: string | null;
  mode: string;
  limitUsd?: number;
  knownSpentUsd: number;
}

/**
 * The budgets the running port enforces, read through the app contract (`budgets.status`, what the UI
 * shows): throws unless both the global budget and the token's are there, so a settings format change
 * cannot silently turn the bench into a budget-free one.
 */
export async function checkBudgets(serving: Serving): Promise<BudgetSeen[]> {
  const res = await request(`${serving.url}/app/rpc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${serving.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'budgets', method: 'status', params: [] }),
  });
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new Error(`budgets.status answered ${res.statusCode}: ${text}`);
  const seen = (JSON.parse(text) as { result: BudgetSeen[] }).result;
  const global = seen.find(
    (b) => b.name === GLOBAL_BUDGET.name && b.client === null && b.mode === 'soft' && b.limitUsd === GLOBAL_BUDGET.usd,
  );
  const token = seen.find((b) => b.client === 'bench' && b.mode === 'hard' && b.limitUsd === TOKEN_BUDGET_USD);
  if (!global || !token) throw new Error(`the port does not enforce the bench's budgets; budgets.status: ${text}`);
  return [global, token];
}
