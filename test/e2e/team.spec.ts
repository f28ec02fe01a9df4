// The Team screen against a real team database: a private PostgreSQL cluster, `switchboard serve
// --ledger postgres://…`, members and tokens made with the CLI, port requests with those tokens. The
// screen lists members, tokens (revoked apart), month spend and budget use; fits 900x600 in both
// themes; and says when rows wait for the database during an outage, and when they have all arrived.
import { mkdir } from 'node:fs/promises';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { runCli } from '../support/cli';
import { startPostgres, type PostgresCluster } from '../support/postgres';
import { rpc } from './helpers/app-rpc';
import { expectAccessible, openScreen } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

// Trust auth ignores the password, so the URL can carry one: it must never reach the page or the log.
const PASSWORD = 'team-pw-5ecret';
const INSTANCE = 'e2e-team-1';
// Per request: 4 prompt tokens ("hello" + 3) at $0.05 and 2 output tokens at $0.10 = $0.40.
const PRICE = { input: 50_000, output: 100_000 };

let cluster: PostgresCluster;
let fake: OpenAIFake;
let serve: ServeHandle;
let ledgerUrl: string;
const tokens: Record<string, string> = {};

async function cli(...args: string[]): Promise<string> {
  const result = await runCli([...args, '--ledger', ledgerUrl]);
  if (result.code !== 0) throw new Error(`switchboard ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

/**
 * One port request as a tool sends it. Output is capped: alice's hard budget holds each request's worst
 * case until its row reaches the database, and three uncapped holds at these prices would exceed $5.
 */
function portRequest(token: string): Promise<Response> {
  return fetch(`${serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'acme/team-model', max_tokens: 4, messages: [{ role: 'user', content: 'hello' }] }),
  });
}

/**
 * `count` requests that must all answer 200. A token made a moment ago reaches serve by NOTIFY, so the
 * first may meet a 401 (no client, no member's spend): that one is retried, a few times at most.
 */
async function spend(token: string, count: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await portRequest(token);
    if (res.status === 401 && attempt < 20) {
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    expect(res.status, await res.text()).toBe(200);
    break;
  }
  for (let i = 1; i < count; i++) {
    const res = await portRequest(token);
    expect(res.status, await res.text()).toBe(200);
  }
}

/** Waits (bounded) until this instance's queue has written every row to the team database. */
async function allShipped(timeoutMs: number): Promise<void> {
  await expect
    .poll(async () => (await rpc<{ outbox?: { unshipped: number } }>(serve, 'team', 'status')).outbox?.unshipped, { timeout: timeoutMs })
    .toBe(0);
}

test.beforeAll(async () => {
  test.setTimeout(90_000);
  cluster = await startPostgres();
  const plain = await cluster.createDatabase();
  ledgerUrl = plain.replace('postgres@', `postgres:${PASSWORD}@`);
  fake = await startOpenAIFake({ reply: 'ok then', chunks: 2, models: ['team-model'], apiKey: 'sk-team' });
  serve = await startServe({
    env: { TEAM_KEY: 'sk-team' },
    args: ['--ledger', ledgerUrl, '--instance', INSTANCE],
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'TEAM_KEY' }],
          models: [{ id: 'team-model', price: PRICE }],
        },
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'team-model' }] }],
    },
  });
  await cli('member', 'add', 'alice', '--email', 'alice@example.test', '--budget', '5');
  await cli('member', 'add', 'bob');
  // `token create` prints the token alone on its last line.
  const lastLine = (out: string) => out.trim().split('\n').at(-1)!.trim();
  tokens.alice = lastLine(await cli('token', 'create', 'alice-laptop', '--member', 'alice'));
  tokens.bob = lastLine(await cli('token', 'create', 'bob-ci', '--member', 'bob'));
  tokens.old = lastLine(await cli('token', 'create', 'alice-old', '--member', 'alice'));
  await cli('token', 'revoke', 'alice-old');
  await spend(tokens.alice, 3); // $1.20: 24% of $5
  await spend(tokens.bob, 2); // $0.80
  await allShipped(15_000);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  cluster?.stop();
});

async function expectNoSecrets(page: Page): Promise<void> {
  expect(await page.content()).not.toContain(PASSWORD);
  for (const token of Object.values(tokens)) expect(await page.content()).not.toContain(token);
}

test('the Team screen lists members, tokens, month spend and budgets from the team database', async ({ page }) => {
  await page.goto(serve.uiUrl);
  const teamLink = page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Team' });
  await expect(teamLink).toBeVisible();
  await teamLink.click();
  const screen = page.locator('[data-screen="team"]');
  await expect(screen.getByRole('heading', { level: 1, name: 'Team' })).toBeVisible();

  await expect(screen.getByTestId('team-database')).toHaveText(plainRedacted());
  await expect(screen.getByTestId('team-instance')).toHaveText(INSTANCE);
  await expect(screen.getByTestId('team-outbox')).toHaveText('Every row is in the database.');
  await expect(screen.getByTestId('team-outbox-warning')).toHaveCount(0);

  const table = screen.getByRole('table', { name: 'Members' });
  const rows = table.getByTestId('team-member');
  // Most spent first.
  await expect(rows).toHaveCount(2);
  const alice = rows.nth(0);
  const bob = rows.nth(1);
  await expect(alice.locator('td').nth(0)).toHaveText(/^alice\s*alice@example\.test$/);
  await expect(bob.locator('td').nth(0)).toHaveText(/^bob$/);

  // Live tokens: a prefix of the real token (never the whole of it) and the name; the revoked one apart.
  await expectTokens(screen.getByRole('list', { name: 'Tokens of alice' }), [['alice-laptop', tokens.alice!]]);
  await expectTokens(screen.getByRole('list', { name: 'Tokens of bob' }), [['bob-ci', tokens.bob!]]);
  await expect(alice.getByTestId('team-revoked')).toHaveText('Revoked: alice-old');
  await expect(alice.getByTestId('team-revoked').locator('del')).toHaveText('alice-old');
  await expect(screen.getByRole('list', { name: 'Tokens of alice' })).not.toContainText('alice-old');
  await expect(bob.getByTestId('team-revoked')).toHaveCount(0);

  // Spend this month, requests, budget: money as the app shows it (cents from a dollar, four decimals under).
  await expect(alice.locator('td').nth(2)).toHaveText('$1.20');
  await expect(alice.locator('td').nth(3)).toHaveText('3');
  await expect(alice.locator('td').nth(4)).toHaveText(/^\$5\.00\s*24% used$/);
  await expect(bob.locator('td').nth(2)).toHaveText('$0.8000');
  await expect(bob.locator('td').nth(3)).toHaveText('2');
  await expect(bob.locator('td').nth(4)).toHaveText('None');
  await expect(screen.getByTestId('team-totals')).toHaveText('2 members · 2 live tokens · $2.00 this month');
  await expectNoSecrets(page);
  expect(serve.output()).not.toContain(PASSWORD);
});

/** The redacted form of the ledger URL, as the screen must show it. */
function plainRedacted(): string {
  return ledgerUrl.replace(`:${PASSWORD}@`, ':***@');
}

async function expectTokens(list: Locator, expected: Array<[name: string, token: string]>): Promise<void> {
  const items = list.getByRole('listitem');
  await expect(items).toHaveCount(expected.length);
  for (const [i, [name, token]] of expected.entries()) {
    await expect(items.nth(i).locator('.team-token-name')).toHaveText(name);
    const shown = (await items.nth(i).locator('code').textContent())!;
    expect(shown.endsWith('…'), shown).toBe(true);
    const prefix = shown.slice(0, -1);
    expect(prefix.length).toBeGreaterThanOrEqual(4);
    expect(prefix.length).toBeLessThan(token.length / 2);
    expect(token.startsWith(prefix), `${shown} is not a prefix of the token`).toBe(true);
  }
}

test('at 900x600, light and dark: no sideways scroll, accessible, with screenshots', async ({ page }, testInfo) => {
  await mkdir('test-results/screens/team', { recursive: true });
  await page.setViewportSize({ width: 900, height: 600 });
  await openScreen(page, serve.uiUrl, 'team');
  const screen = page.locator('[data-screen="team"]');
  await expect(screen.getByTestId('team-member')).toHaveCount(2);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    const widths = await page.evaluate(() => {
      const doc = document.scrollingElement!;
      const el = document.querySelector<HTMLElement>('[data-screen="team"]')!;
      return { doc: [doc.scrollWidth, doc.clientWidth], screen: [el.scrollWidth, el.clientWidth] };
    });
    expect(widths.doc[0], `${theme}: the page scrolls sideways`).toBeLessThanOrEqual(widths.doc[1]!);
    expect(widths.screen[0], `${theme}: the screen scrolls sideways`).toBeLessThanOrEqual(widths.screen[1]!);
    await expectAccessible(page, 'team');
    const shot = await page.screenshot({ path: `test-results/screens/team/team-900x600-${theme}.png`, animations: 'disabled' });
    await testInfo.attach(`team-900x600-${theme}`, { body: shot, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a database outage: the port keeps answering, the screen names the rows waiting, then all arrive', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await openScreen(page, serve.uiUrl, 'team');
  const screen = page.locator('[data-screen="team"]');
  const outbox = screen.getByTestId('team-outbox');
  const warning = screen.getByTestId('team-outbox-warning');
  const refresh = screen.getByRole('button', { name: 'Refresh', exact: true });
  await expect(outbox).toHaveText('Every row is in the database.');

  cluster.pause();
  let resumed = false;
  try {
    // bob has no hard budget, so nothing on his path needs the database: each request is served and queued.
    for (let i = 0; i < 3; i++) {
      const res = await portRequest(tokens.bob!);
      expect(res.status, await res.text()).toBe(200);
    }
    // Refresh re-reads the queue; the rows reach the local ledger and the failed write within moments.
    await expect(async () => {
      await refresh.click();
      await expect(warning).toContainText('3 rows wait on this instance', { timeout: 1_000 });
    }).toPass({ timeout: 20_000, intervals: [500, 1_000] });
    await expect(outbox).toHaveText(/^3 rows waiting \(oldest \d+ s\)\.$/);
    await expectNoSecrets(page);
    const shot = await page.screenshot({ path: 'test-results/screens/team/team-outage.png', animations: 'disabled' });
    await testInfo.attach('team-outage', { body: shot, contentType: 'image/png' });

    await cluster.resume();
    resumed = true;
    const back = Date.now();
    await expect(async () => {
      await refresh.click();
      await expect(outbox).toHaveText('Every row is in the database.', { timeout: 1_000 });
    }).toPass({ timeout: 15_000, intervals: [500, 1_000] });
    testInfo.annotations.push({ type: 'caught up', description: `${Date.now() - back} ms after the database returned` });
    await expect(warning).toHaveCount(0);
  } finally {
    if (!resumed) await cluster.resume();
  }

  // Every queued row arrived, once: bob now has 5 requests, $2.00, and the team $3.20.
  const bob = screen.getByRole('table', { name: 'Members' }).getByTestId('team-member').filter({ hasText: 'bob-ci' });
  await expect(async () => {
    await refresh.click();
    await expect(bob.locator('td').nth(3)).toHaveText('5', { timeout: 1_000 });
  }).toPass({ timeout: 15_000, intervals: [500, 1_000] });
  await expect(bob.locator('td').nth(2)).toHaveText('$2.00');
  await expect(screen.getByTestId('team-totals')).toHaveText('2 members · 2 live tokens · $3.20 this month');
  expect(serve.output()).not.toContain(PASSWORD);
});
