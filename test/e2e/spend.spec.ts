// The spend screen end to end: a batch of requests through the real engine (the app bridge's
// chat.stream, as the chat screen sends them) lands in the ledger; the screen shows the totals,
// budgets first, the chart (per hour when the spend is all today, with a tooltip) and a sortable
// breakdown that agree with what was sent.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

let fake: OpenAIFake;
let down: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'ok then', chunks: 2, models: ['cheap', 'pricey'], apiKey: 'sk-sp' });
  // Always 503: a route through it fails over to acme, and the drill-down shows both attempts.
  down = await startOpenAIFake({ apiKey: 'sk-sp', models: ['cheap'] });
  down.fault({ status: 503 });
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
        {
          id: 'down',
          kind: 'openai-compatible',
          baseUrl: down.url,
          keys: [{ env: 'SP_KEY' }],
          models: [{ id: 'cheap', price: { input: 1, output: 2 } }],
        },
      ],
      routes: [
        { name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'cheap' }] },
        {
          name: 'failover',
          strategy: 'fallback',
          targets: [
            { provider: 'down', model: 'cheap' },
            { provider: 'acme', model: 'cheap' },
          ],
        },
      ],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
  await down?.close();
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
  for (let i = 0; i < 4; i++) await chat('acme/cheap');
  await chat('failover');
  for (let i = 0; i < 2; i++) await chat('acme/pricey');

  await openScreen(page, serve.uiUrl, 'spend');
  const screen = page.locator('[data-screen="spend"]');
  // Each request: 5 prompt tokens (2 words + 3), 2 output tokens. cheap: 5*1e-6 + 2*2e-6 = $0.000009; pricey: 100x.
  const expected = 5 * 0.000009 + 2 * 0.0009;
  const shown = '$0.0018'; // under a dollar: four decimals
  await expect(screen.getByTestId('total-today')).toHaveText(shown);
  await expect(screen.getByTestId('total-this-month')).toHaveText(shown);
  await expect(screen.getByTestId('total-last-30-days')).toHaveText(shown);
  await expect(screen.getByRole('region', { name: 'Today' })).toContainText('7 requests');

  // The chart is drawn by uPlot on a canvas, stacked by model, biggest layer first. All the spend is
  // from today, so a 30-day range is charted per hour from today's start, not as one sliver of a month.
  await expect(screen.locator('.chart canvas')).toHaveCount(1);
  await expect(screen.getByRole('heading', { name: 'Cost per hour by model' })).toBeVisible();
  await expect(screen.getByRole('img', { name: 'Cost per hour by model, Last 30 days: acme/pricey, acme/cheap' })).toBeVisible();
  await expect(screen.getByRole('list', { name: 'Chart legend' }).getByRole('listitem')).toHaveText([
    /acme\/pricey\s*\$0\.0018$/,
    /acme\/cheap\s*<\$0\.0001$/, // $0.000045: too small for four decimals, never a false $0.0000
  ]);
  // Hovering the current hour's bar shows every layer's cost and the total.
  const plot = screen.locator('.chart .u-over');
  const box = (await plot.boundingBox())!;
  await page.mouse.move(box.x + box.width - 3, box.y + box.height - 5);
  const tip = screen.getByRole('tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('acme/pricey $0.0018');
  await expect(tip).toContainText('acme/cheap <$0.0001');
  await expect(tip).toContainText(`Total ${shown}`);
  await page.mouse.move(0, 0);
  // Budgets sit above the long request list.
  const budgetsTop = (await screen.getByRole('region', { name: 'Budgets' }).boundingBox())!.y;
  expect(budgetsTop).toBeLessThan((await screen.getByRole('region', { name: 'Requests', exact: true }).boundingBox())!.y);
  expect(budgetsTop).toBeLessThan((await screen.getByRole('region', { name: 'Cost over time' }).boundingBox())!.y);

  const table = screen.getByRole('table', { name: 'Spend by Model' });
  const firstCells = table.locator('tbody tr td:first-child');
  await expect(firstCells).toHaveText(['acme/pricey', 'acme/cheap']);
  // Sort by requests, descending: cheap (5) first; then ascending.
  await table.getByRole('button', { name: 'Requests', exact: true }).click();
  await expect(firstCells).toHaveText(['acme/cheap', 'acme/pricey']);
  await expect(table.getByRole('columnheader', { name: /Requests/ })).toHaveAttribute('aria-sort', 'descending');
  await table.getByRole('button', { name: 'Requests', exact: true }).press('Enter');
  await expect(firstCells).toHaveText(['acme/pricey', 'acme/cheap']);

  // Stacked by route: the failover route is its own layer.
  await screen.getByRole('radio', { name: 'Route' }).click();
  await expect(screen.getByRole('img', { name: /Cost per hour by route, Last 30 days: .*failover/ })).toBeVisible();
  const byRoute = screen.getByRole('table', { name: 'Spend by Route' });
  await byRoute.getByRole('button', { name: 'Show requests for failover' }).click();
  // Down to the single request, and its two attempts: down answered 503, acme served it.
  const requests = screen.getByRole('table', { name: 'Requests' });
  await expect(requests.getByTestId('request-row')).toHaveCount(1);
  await expect(requests.getByTestId('request-row')).toContainText('acme/cheap');
  await requests.getByRole('button', { name: '2 attempts' }).click();
  const attempts = screen.getByRole('list', { name: /Attempts of request/ }).getByRole('listitem');
  await expect(attempts).toHaveText([/down\/cheap.*HTTP 503/, /acme\/cheap.*HTTP 200/]);
  await screen.getByRole('button', { name: 'Show all' }).click();
  await expect(requests.getByTestId('request-row')).toHaveCount(7);

  // CSV export: a download with a header and one line per request.
  const downloading = page.waitForEvent('download');
  await screen.getByRole('button', { name: 'Export CSV' }).click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe('switchboard-spend-30d.csv');
  const csv = (await (await file.createReadStream()).toArray()).join('');
  const lines = csv.trim().split(/\r\n/);
  expect(lines[0]).toMatch(/^id,started_at,source/);
  expect(lines).toHaveLength(8);

  // A budget: a name the engine cannot take is said in words; Escape cancels and focus goes back.
  const add = screen.getByRole('button', { name: 'Add budget' });
  await add.click();
  const form = screen.getByRole('form', { name: 'Budget' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill('-cap');
  await form.getByRole('button', { name: 'Save budget' }).click();
  await expect(form.getByRole('alert')).toHaveText(/A budget name starts with a letter or a digit\./);
  await page.keyboard.press('Escape');
  await expect(form).toHaveCount(0);
  await expect(add).toBeFocused();
  // A name with a space, for this app's own requests (picked from a list, not typed), below what was spent: over.
  await add.click();
  await form.getByLabel('Name').fill('Monthly cap');
  await expect(form.getByLabel('Applies to').locator('option')).toHaveText(['Everyone (all requests)', 'This app (chat and compare)']);
  await form.getByLabel('Applies to').selectOption('app');
  await form.getByLabel('Limit in USD').fill('0.001');
  await form.getByRole('button', { name: 'Save budget' }).click();
  const bar = screen.getByRole('progressbar', { name: 'Monthly cap: dollars used' });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(bar).toHaveClass(/progress-over/);
  // One percentage, by the shared rule (rounded down, not capped): the badge and the bar's text agree.
  const budget = screen.getByTestId('budget');
  await expect(budget).toContainText('this app');
  await expect(budget.getByTestId('budget-percent')).toHaveText(`${Math.floor((expected / 0.001) * 100)}%`);
  await expect(bar).toHaveAttribute('aria-valuetext', `${Math.floor((expected / 0.001) * 100)}% used`);
  await expect(budget.getByText('%')).toHaveCount(1);
  await screen.getByRole('button', { name: 'Edit budget Monthly cap' }).click();
  await form.getByLabel('Limit in USD').fill('0.01');
  await form.getByRole('button', { name: 'Save budget' }).click();
  await expect(bar).toHaveAttribute('aria-valuenow', String(Math.floor((expected / 0.01) * 100)));
  await expect(bar).toHaveClass(/progress-ok/);
  await expect(screen.getByRole('button', { name: 'Edit budget Monthly cap' })).toBeFocused();

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
