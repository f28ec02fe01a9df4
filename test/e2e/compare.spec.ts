// The compare screen end to end: three models of a fake upstream answer one prompt in parallel
// columns, in blind mode (nothing identifying until the vote); scrolling is synchronised; a vote
// reveals the names and stats, and the winner is promoted in the terms of each route's strategy.
// Then: columns fill a tall window and follow their stream until the user scrolls up; one column
// stops and retries on its own.
import { expect, test, type Locator } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { rpc } from './helpers/app-rpc';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const REPLY = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long answer, long enough to scroll.`).join('\n\n');

const LONG_REPLY = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of a slow answer.`).join('\n\n');

let fake: OpenAIFake;
/** A slow upstream (a chunk every 250 ms for 15 s): time to watch a column follow its stream, and to stop one, even on a loaded machine. */
let slow: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: REPLY, chunks: 30, models: ['m1', 'm2', 'm3'], apiKey: 'sk-cmp' });
  slow = await startOpenAIFake({
    reply: LONG_REPLY,
    chunks: 60,
    models: ['s1', 's2', 's3'],
    apiKey: 'sk-cmp',
    fault: { chunkDelayMs: 250 },
  });
  serve = await startServe({
    env: { LAB_KEY: 'sk-cmp' },
    config: {
      providers: [
        {
          id: 'lab',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'LAB_KEY' }],
          models: [
            { id: 'm1', price: { input: 1, output: 2 } },
            { id: 'm2', price: { input: 3, output: 6 } },
            { id: 'm3', price: { input: 0.5, output: 1 } },
          ],
        },
        {
          id: 'slow',
          kind: 'openai-compatible',
          baseUrl: slow.url,
          keys: [{ env: 'LAB_KEY' }],
          models: [{ id: 's1' }, { id: 's2' }, { id: 's3' }],
        },
      ],
      routes: [
        { name: 'default', strategy: 'fallback', targets: [{ provider: 'lab', model: 'm1' }] },
        {
          name: 'balanced',
          strategy: 'weighted',
          targets: [
            { provider: 'lab', model: 'm1', weight: 2 },
            { provider: 'lab', model: 'm3', weight: 1 },
          ],
        },
        {
          name: 'cheapest',
          strategy: 'lowest-cost',
          targets: [
            { provider: 'lab', model: 'm2' },
            { provider: 'lab', model: 'm3' },
          ],
        },
      ],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await slow?.close();
});

/** Adds a model with the searchable picker: type to filter, Enter to add. */
async function addModel(screen: Locator, id: string): Promise<void> {
  const box = screen.getByRole('combobox', { name: 'Add a model' });
  await box.fill(id);
  await box.press('Enter');
  await expect(screen.getByRole('list', { name: 'Chosen models' })).toContainText(id);
}

test('a blind 3-way compare streams in parallel and a vote reveals the winner', async ({ page }, testInfo) => {
  fake.fault({ chunkDelayMs: 60 });
  await openScreen(page, serve.uiUrl, 'compare');
  const screen = page.locator('[data-screen="compare"]');
  for (const id of ['lab/m1', 'lab/m2', 'lab/m3']) await addModel(screen, id);
  await screen.getByRole('checkbox', { name: 'Blind mode' }).check();
  await screen.getByRole('textbox', { name: 'Prompt' }).fill('Explain failover briefly.');
  await screen.getByRole('button', { name: 'Run compare' }).click();

  const columns = screen.getByTestId('compare-column');
  await expect(columns).toHaveCount(3);
  // All three stream at once: each column shows text before any has finished.
  await expect(screen.locator('[data-testid="compare-column"][data-status="streaming"]')).toHaveCount(3);
  await expect(screen.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(3, { timeout: 20_000 });
  // Blind: only aliases until the vote, and nothing else that tells the models apart (cost, speed, tokens, provider).
  await expect(columns.getByTestId('column-name')).toHaveText(['Model A', 'Model B', 'Model C']);
  await expect(columns.filter({ hasText: 'lab/' })).toHaveCount(0);
  await expect(columns.filter({ hasText: '$' })).toHaveCount(0);
  await expect(columns.filter({ hasText: 'tok/s' })).toHaveCount(0);
  await expect(screen.getByTestId('stat-cost')).toHaveCount(0);
  await expect(columns.getByTestId('blind-stats').first()).toHaveText('Speed, tokens and cost show after your vote.');
  await screen.getByText(/^Past runs \(\d+\)$/).click();
  await expect(screen.getByRole('region', { name: 'Past runs' })).toContainText('blind · 3 models');
  const upstream = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model);
  expect(upstream.sort()).toEqual(['m1', 'm2', 'm3']);

  // Synchronised scroll: the columns followed their streams to the end; scrolling one up moves the others.
  const bodies = screen.locator('.compare-column-body');
  await bodies.nth(0).hover();
  await page.mouse.wheel(0, -600);
  await expect.poll(() => bodies.nth(1).evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeGreaterThan(100);
  await expect.poll(() => bodies.nth(2).evaluate((el) => el.scrollHeight - el.clientHeight - el.scrollTop)).toBeGreaterThan(100);

  // Vote from the keyboard; names and stats come back and the winner is marked.
  await screen.getByRole('button', { name: 'Vote for Model B' }).focus();
  await page.keyboard.press('Enter');
  const winnerName = (await columns.nth(1).getByTestId('column-name').textContent()) ?? '';
  expect(winnerName).toMatch(/^lab\/m[123]$/);
  await expect(screen.getByRole('status').filter({ hasText: 'You picked' })).toContainText(`${winnerName} (was Model B)`);
  await expect(columns.nth(1)).toContainText('winner');
  for (let i = 0; i < 3; i++) {
    const c = columns.nth(i);
    await expect(c.getByTestId('stat-ttft')).toHaveText(/\d+ ms|\d+\.\d+ s/);
    await expect(c.getByTestId('stat-rate')).toHaveText(/tok\/s/);
    await expect(c.getByTestId('stat-tokens')).toHaveText('30');
    await expect(c.getByTestId('stat-cost')).toHaveText(/^(\$0\.000[1-9]|<\$0\.0001)$/);
  }
  // Promote, in the route's own terms: a lowest-cost route is not offered (order means nothing there);
  // a weighted route raises the winner's weight; a fallback route makes it the first target.
  const routePick = screen.getByRole('combobox', { name: 'Route to promote into' });
  await expect(routePick.locator('option')).toHaveText(['default (fallback)', 'balanced (weighted)']);
  await routePick.selectOption('balanced');
  // balanced is m1 (weight 2) and m3 (weight 1): m1 has the largest weight already; m3 is raised to 4; m2 joins with 4.
  if (winnerName === 'lab/m1') await expect(screen.getByText('It already has the largest weight there.')).toBeVisible();
  else {
    await screen.getByRole('button', { name: winnerName === 'lab/m2' ? 'Add it with the largest weight' : 'Raise its weight' }).click();
    await expect(screen.getByRole('status').filter({ hasText: 'now has weight' }).last()).toHaveText(
      new RegExp(`^${winnerName.replace('/', '\\/')} now has weight 4 in balanced \\(about \\d+% of requests\\)\\.$`),
    );
  }
  await routePick.selectOption('default');
  if (winnerName === 'lab/m1') await expect(screen.getByText('It is already the first target there.')).toBeVisible();
  else {
    await screen.getByRole('button', { name: 'Make it the first target' }).click();
    await expect(screen.getByRole('status').filter({ hasText: 'is now the first target' }).last()).toHaveText(
      `${winnerName} is now the first target of default.`,
    );
  }
  await expect(screen.getByRole('button', { name: 'Vote for Model A' })).toHaveCount(0);

  // The run is kept and listed with its winner.
  const runs = screen.getByRole('region', { name: 'Past runs' });
  await expect(runs).toContainText('Explain failover briefly.');
  await expect(runs).toContainText(`winner: ${winnerName}`);

  await expectAccessible(page, 'compare');
  await page.evaluate(() => document.querySelectorAll('.compare-column-body').forEach((el) => (el.scrollTop = 0)));
  await saveScreens(page, testInfo, 'compare');

  // Runs are kept by the engine: after a reload the run is listed with its winner, and opens again.
  await page.reload();
  await screen.getByText(/^Past runs \(\d+\)$/).click();
  await expect(runs).toContainText('Explain failover briefly.');
  await expect(runs).toContainText(`winner: ${winnerName}`);
  await runs.getByRole('button', { name: /Explain failover briefly\./ }).click();
  await expect(screen.getByTestId('compare-column')).toHaveCount(3);
  await expect(screen.getByTestId('compare-column').filter({ hasText: 'winner' })).toContainText(winnerName);
  // Compare columns are not chat conversations.
  await page.getByRole('link', { name: 'Chat' }).click();
  await expect(page.getByRole('complementary', { name: 'Conversations' })).toContainText('Your conversations appear here.');

  // The routes screen shows the promoted order.
  await page.getByRole('link', { name: 'Routes' }).click();
  const route = page.locator('[data-screen="routes"]').getByRole('region', { name: 'Route default' });
  const expectedTargets = winnerName === 'lab/m1' ? [/lab\/m1/] : [new RegExp(winnerName.replace('/', '\\/')), /lab\/m1/];
  await expect(route.getByRole('listitem')).toHaveText(expectedTargets);
  await expect(
    page
      .locator('[data-screen="routes"]')
      .getByRole('region', { name: 'Route balanced' })
      .getByRole('listitem')
      .filter({ hasText: winnerName }),
  ).toContainText(winnerName === 'lab/m1' ? 'weight 2' : 'weight 4');
  fake.fault(null);
});

test('columns fill a tall window and follow their stream; one column stops and retries alone', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openScreen(page, serve.uiUrl, 'compare');
  const screen = page.locator('[data-screen="compare"]');
  for (const id of ['slow/s1', 'slow/s2', 'slow/s3']) await addModel(screen, id);
  await screen.getByRole('textbox', { name: 'Prompt' }).fill('Write a long answer.');
  await screen.getByRole('button', { name: 'Run compare' }).click();
  const columns = screen.getByTestId('compare-column');
  await expect(columns).toHaveCount(3);

  // The panes take the window's height (not a fixed few hundred pixels).
  const box = await columns.first().boundingBox();
  expect(box!.height).toBeGreaterThan(600);
  expect(box!.y + box!.height).toBeLessThanOrEqual(1000);

  // Following: while text streams past the pane's height, the pane stays at its end.
  const body = columns.nth(0).locator('.compare-column-body');
  const gap = () =>
    body.evaluate((el) => ({ overflow: el.scrollHeight - el.clientHeight, fromEnd: el.scrollHeight - el.clientHeight - el.scrollTop }));
  await expect.poll(async () => (await gap()).overflow, { timeout: 10_000, intervals: [50] }).toBeGreaterThan(100);
  await expect(columns.nth(0)).toHaveAttribute('data-status', 'streaming');
  expect((await gap()).fromEnd).toBeLessThan(30);
  // The user scrolls up: the pane stays where they put it while text keeps coming.
  await body.hover();
  await page.mouse.wheel(0, -200);
  await expect.poll(async () => (await gap()).fromEnd).toBeGreaterThan(60);
  const before = await body.evaluate((el) => [el.scrollTop, el.textContent?.length ?? 0]);
  await expect.poll(() => body.evaluate((el) => el.textContent?.length ?? 0), { intervals: [50] }).toBeGreaterThan(before[1]!);
  expect(Math.abs((await body.evaluate((el) => el.scrollTop)) - before[0]!)).toBeLessThan(5);
  expect((await gap()).fromEnd).toBeGreaterThan(60);

  // Stop one column: it says so, the others finish.
  await screen.getByRole('button', { name: 'Stop slow/s2' }).click();
  await expect(columns.nth(1)).toHaveAttribute('data-status', 'stopped');
  await expect(columns.nth(1)).toContainText('Stopped.');
  await expect(screen.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(2, { timeout: 45_000 });
  await saveScreens(page, testInfo, 'compare-tall');

  // Retry it alone: one more upstream request, for s2 only, and the column completes.
  slow.fault(null);
  const sent = slow.requests.length;
  await screen.getByRole('button', { name: 'Retry slow/s2' }).click();
  await expect(columns.nth(1)).toHaveAttribute('data-status', 'done');
  expect(slow.requests.slice(sent).map((r) => r.body.model)).toEqual(['s2']);
  await expect(columns.nth(1).getByTestId('stat-tokens')).toHaveText('60');
});

test('a soft budget that is passed shows a warning in Compare, and the columns still answer', async ({ page }) => {
  // Below what any one request costs, so the first column admitted is already over it.
  await rpc(serve, 'budgets', 'set', [{ name: 'tiny', period: 'monthly', mode: 'soft', usd: 0.000001 }]);
  try {
    await openScreen(page, serve.uiUrl, 'compare');
    const screen = page.locator('[data-screen="compare"]');
    for (const id of ['lab/m1', 'lab/m3']) await addModel(screen, id);
    await screen.getByRole('textbox', { name: 'Prompt' }).fill('Spend a little.');
    await screen.getByRole('button', { name: 'Run compare' }).click();
    await expect(screen.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(2, { timeout: 20_000 });
    const warning = screen.getByTestId('budget-warning');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('Over a soft budget');
    await expect(warning).toContainText('soft budget "tiny"');
    await warning.getByRole('button', { name: 'Dismiss budget warning' }).click();
    await expect(warning).toHaveCount(0);
  } finally {
    await rpc(serve, 'budgets', 'set', []);
  }
});
