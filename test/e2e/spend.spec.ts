// The spend screen end to end: a batch of requests through the real engine (the app bridge's
// chat.stream, as the chat screen sends them) lands in the ledger; the screen shows the totals,
// the chart and a sortable breakdown that agree with what was sent.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

let fake: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'ok then', chunks: 2, models: ['cheap', 'pricey'], apiKey: 'sk-sp' });
  serve = await startServe({
    env: { SP_KEY: 'sk-sp' },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'SP_KEY' }],
          models: [
            { id: 'cheap', price: { input: 1, output: 2 } },
            { id: 'pricey', price: { input: 100, output: 200 } },
          ],
        },
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'cheap' }] }],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
});

/** One chat request through the app bridge, read to its end. */
async function chat(model: string): Promise<void> {
  const token = new URL(serve.uiUrl).searchParams.get('token');
  const res = await fetch(`${serve.url}/app/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'chat', method: 'stream', params: [{ model, messages: [{ role: 'user', content: 'hello there' }] }] }),
  });
  const text = await res.text();
  expect(text).toContain('"type":"done"');
}

test('totals, chart and a sortable breakdown after a batch of requests', async ({ page }, testInfo) => {
  for (let i = 0; i < 5; i++) await chat('acme/cheap');
  for (let i = 0; i < 2; i++) await chat('acme/pricey');

  await openScreen(page, serve.uiUrl, 'spend');
  const screen = page.locator('[data-screen="spend"]');
  // Each request: 5 prompt tokens (2 words + 3), 2 output tokens. cheap: 5*1e-6 + 2*2e-6 = $0.000009; pricey: 100x.
  const expected = 5 * 0.000009 + 2 * 0.0009;
  const shown = `$${expected.toFixed(6)}`; // under a cent: six decimals
  await expect(screen.getByTestId('total-today')).toHaveText(shown);
  await expect(screen.getByTestId('total-this-month')).toHaveText(shown);
  await expect(screen.getByTestId('total-last-30-days')).toHaveText(shown);
  await expect(screen.getByRole('region', { name: 'Today' })).toContainText('7 requests');

  // The chart is drawn by uPlot on a canvas, with today's bar in it.
  await expect(screen.locator('.chart canvas')).toHaveCount(1);
  await expect(screen.getByRole('img', { name: /Cost per day, Last 30 days: 1 days with spend/ })).toBeVisible();

  const table = screen.getByRole('table', { name: 'Spend by Model' });
  const firstCells = table.locator('tbody tr td:first-child');
  await expect(firstCells).toHaveText(['acme/pricey', 'acme/cheap']);
  // Sort by requests, descending: cheap (5) first; then ascending.
  await table.getByRole('button', { name: 'Requests' }).click();
  await expect(firstCells).toHaveText(['acme/cheap', 'acme/pricey']);
  await expect(table.getByRole('columnheader', { name: /Requests/ })).toHaveAttribute('aria-sort', 'descending');
  await table.getByRole('button', { name: 'Requests' }).press('Enter');
  await expect(firstCells).toHaveText(['acme/pricey', 'acme/cheap']);

  // Group by client: everything came from the app itself.
  await screen.getByRole('radio', { name: 'Client' }).click();
  await expect(screen.getByRole('table', { name: 'Spend by Client' }).locator('tbody tr')).toHaveCount(1);
  await expect(screen.getByRole('table', { name: 'Spend by Client' }).locator('tbody tr td').nth(1)).toHaveText('7');
  await screen.getByRole('radio', { name: 'Model' }).click();

  // A range with no requests in the far past is still today: choose "Last 7 days" and see the same totals.
  await screen.getByRole('combobox', { name: 'Range' }).selectOption('7d');
  await expect(screen.getByTestId('total-last-7-days')).toHaveText(shown);

  await expectAccessible(page, 'spend');
  await saveScreens(page, testInfo, 'spend');
});
