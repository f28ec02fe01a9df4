// Browser mode under Chromium's six connections per host: with a chat reply streaming, six compare
// columns streaming and the change feed open (eight streams), every column streams at once and a plain
// call (another screen loading its data) is answered while they do, because the page carries all its
// streams over one event channel. A connection per stream would leave columns and calls queued.
import { expect, test, type Locator } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { modelsLoaded, pickModel } from './helpers/model-picker';
import { startServe, type ServeHandle } from './helpers/serve';

const COLUMNS = ['s1', 's2', 's3', 's4', 's5', 's6'];

/** Slow upstreams: the chat reply takes about 25 s, each column about 12 s, so all overlap. */
let chatty: OpenAIFake;
let slow: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  const reply = (n: number) => Array.from({ length: n }, (_, i) => `Part ${i + 1} of a slow answer.`).join(' ');
  chatty = await startOpenAIFake({ reply: reply(50), chunks: 50, models: ['c1'], apiKey: 'sk-mux', fault: { chunkDelayMs: 500 } });
  slow = await startOpenAIFake({ reply: reply(40), chunks: 40, models: COLUMNS, apiKey: 'sk-mux', fault: { chunkDelayMs: 300 } });
  serve = await startServe({
    env: { MUX_KEY: 'sk-mux' },
    config: {
      providers: [
        { id: 'chatty', kind: 'openai-compatible', baseUrl: chatty.url, keys: [{ env: 'MUX_KEY' }], models: [{ id: 'c1' }] },
        { id: 'slow', kind: 'openai-compatible', baseUrl: slow.url, keys: [{ env: 'MUX_KEY' }], models: COLUMNS.map((id) => ({ id })) },
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'chatty', model: 'c1' }] }],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await chatty?.close();
  await slow?.close();
});

async function addModel(screen: Locator, id: string): Promise<void> {
  const box = screen.getByRole('combobox', { name: 'Add a model' });
  await box.fill(id);
  await box.press('Enter');
  await expect(screen.getByRole('list', { name: 'Chosen models' })).toContainText(id);
}

test('a chat, six compare columns and the change feed stream at once, and calls still answer', async ({ page }) => {
  test.setTimeout(90_000);
  const bridgePaths: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path.startsWith('/app/')) bridgePaths.push(path);
  });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);

  // A chat reply streams (and keeps streaming on another screen).
  await pickModel(page, 'chatty/c1');
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Take your time.');
  await input.press('Enter');
  const reply = page.getByTestId('assistant-message').last().locator('.message-text');
  await expect(reply).toContainText('Part 1');
  const chatStop = page.locator('[data-screen="chat"]').getByRole('button', { name: 'Stop', exact: true, includeHidden: true }); // its screen is hidden while another shows

  // Six compare columns on top of it.
  await page.getByRole('link', { name: 'Compare' }).click();
  const compare = page.locator('[data-screen="compare"]');
  for (const id of COLUMNS) await addModel(compare, `slow/${id}`);
  await compare.getByRole('textbox', { name: 'Prompt' }).fill('Write slowly.');
  await compare.getByRole('button', { name: 'Run compare' }).click();
  const streaming = compare.locator('[data-testid="compare-column"][data-status="streaming"]');
  // All six stream together, while the chat still does (no column waits for a free connection).
  await expect(streaming).toHaveCount(6, { timeout: 8_000 });
  await expect(chatStop).toHaveCount(1);

  // A plain call answers meanwhile: a screen never opened before loads its data from the engine.
  await page.getByRole('link', { name: 'Routes' }).click();
  await expect(page.locator('[data-screen="routes"]').getByRole('region', { name: 'Route default' })).toBeVisible({ timeout: 5_000 });
  // ...and it answered while every stream was still going.
  await expect(streaming).toHaveCount(6, { timeout: 1_000 });
  await expect(chatStop).toHaveCount(1);

  // All of them finish, each with its whole answer.
  await page.getByRole('link', { name: 'Compare' }).click();
  await expect(compare.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(6, { timeout: 40_000 });
  await expect(compare.getByTestId('compare-column').first()).toContainText('Part 40 of a slow answer.');
  await page.getByRole('link', { name: 'Chat' }).click();
  await expect(page.getByTestId('assistant-message').last().getByTestId('reply-meta')).toBeVisible({ timeout: 40_000 });
  await expect(reply).toContainText('Part 50 of a slow answer.');

  // One event channel carried every stream; none had a connection of its own.
  expect(bridgePaths.filter((p) => p === '/app/events')).toHaveLength(1);
  expect(bridgePaths.filter((p) => p === '/app/stream')).toHaveLength(0);
  expect(bridgePaths.filter((p) => p === '/app/stream/start')).toHaveLength(8);
});
