// The compare screen end to end: three models of a fake upstream answer one prompt in parallel
// columns with their stats, in blind mode; scrolling is synchronised; a vote reveals the names.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const REPLY = Array.from({ length: 40 }, (_, i) => `Line ${i + 1} of a long answer, long enough to scroll.`).join('\n\n');

let fake: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: REPLY, chunks: 30, models: ['m1', 'm2', 'm3'], apiKey: 'sk-cmp' });
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
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'lab', model: 'm1' }] }],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
});

test('a blind 3-way compare streams in parallel and a vote reveals the winner', async ({ page }, testInfo) => {
  fake.fault({ chunkDelayMs: 30 });
  await openScreen(page, serve.uiUrl, 'compare');
  const screen = page.locator('[data-screen="compare"]');
  for (const id of ['lab/m1', 'lab/m2', 'lab/m3']) await screen.getByRole('checkbox', { name: id }).check();
  await screen.getByRole('checkbox', { name: 'Blind mode' }).check();
  await screen.getByRole('textbox', { name: 'Prompt' }).fill('Explain failover briefly.');
  await screen.getByRole('button', { name: 'Run compare' }).click();

  const columns = screen.getByTestId('compare-column');
  await expect(columns).toHaveCount(3);
  // All three stream at once: each column shows text before any has finished.
  await expect(screen.locator('[data-testid="compare-column"][data-status="streaming"]')).toHaveCount(3);
  await expect(screen.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(3, { timeout: 20_000 });
  // Blind: only aliases until the vote.
  await expect(columns.getByTestId('column-name')).toHaveText(['Model A', 'Model B', 'Model C']);
  await expect(columns.filter({ hasText: 'lab/' })).toHaveCount(0);
  await expect(screen.getByRole('region', { name: 'Past runs' })).toContainText('blind · 3 models');
  for (let i = 0; i < 3; i++) {
    const c = columns.nth(i);
    await expect(c.getByTestId('stat-ttft')).toHaveText(/\d+ ms|\d+\.\d+ s/);
    await expect(c.getByTestId('stat-rate')).toHaveText(/tok\/s/);
    await expect(c.getByTestId('stat-tokens')).toHaveText('30');
    await expect(c.getByTestId('stat-cost')).toHaveText(/^\$0\.000\d+$/);
  }
  const upstream = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body.model);
  expect(upstream.sort()).toEqual(['m1', 'm2', 'm3']);

  // Synchronised scroll: scrolling one column moves the others.
  const bodies = screen.locator('.compare-column-body');
  await bodies.nth(0).hover();
  await page.mouse.wheel(0, 600);
  await expect.poll(() => bodies.nth(1).evaluate((el) => el.scrollTop)).toBeGreaterThan(100);
  await expect.poll(() => bodies.nth(2).evaluate((el) => el.scrollTop)).toBeGreaterThan(100);

  // Vote from the keyboard; names come back and the winner is marked.
  await screen.getByRole('button', { name: 'Vote for Model B' }).focus();
  await page.keyboard.press('Enter');
  const winnerName = (await columns.nth(1).getByTestId('column-name').textContent()) ?? '';
  expect(winnerName).toMatch(/^lab\/m[123]$/);
  await expect(screen.getByRole('status').filter({ hasText: 'You picked' })).toContainText(`${winnerName} (was Model B)`);
  await expect(columns.nth(1)).toContainText('winner');
  // Promote the winner: it becomes the first target of the chosen route.
  await screen.getByRole('combobox', { name: 'Route to promote into' }).selectOption('default');
  await screen.getByRole('button', { name: 'Make it the first target' }).click();
  await expect(screen.getByRole('status').filter({ hasText: 'is now the first target' }).last()).toHaveText(`${winnerName} is now the first target of default.`);
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
  fake.fault(null);
});
