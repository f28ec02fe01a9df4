// Chat's controls end to end (the real engine under `serve`, a fake upstream, Chromium): Clear
// empties a conversation (undoable), counts read "1 message", the model picker keeps its size with a
// long id and works from the keyboard, a passed soft budget shows in Chat, and Settings' chat
// defaults and each conversation's own prompt and temperature reach the upstream.
import { expect, test, type Page } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { rpc } from './helpers/app-rpc';
import { modelBox, modelsLoaded, pickModel } from './helpers/model-picker';
import { expectAccessible, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const LONG_ID = 'an-extraordinarily-long-model-identifier-that-keeps-going-and-going-2025-preview-experimental';
const KEY = 'sk-e2e-controls';

let fake: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: 'Short answer.', chunks: 3, apiKey: KEY, models: ['m1', 'm2', LONG_ID] });
  serve = await startServe({
    env: { CONTROLS_KEY: KEY },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'CONTROLS_KEY' }],
          models: [
            { id: 'm1', price: { input: 1, output: 2 } },
            { id: 'm2', price: { input: 1, output: 2 } },
            { id: LONG_ID, price: { input: 1, output: 2 } },
          ],
        },
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] }],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
});

const list = (page: Page) => page.getByRole('complementary', { name: 'Conversations' });
const chatRequests = () => fake.requests.filter((r) => r.path.endsWith('/chat/completions'));

async function send(page: Page, text: string) {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
  await expect(page.getByTestId('assistant-message').last().getByTestId('reply-meta')).toBeVisible();
}

test('Clear empties the open conversation, and Undo brings it back', async ({ page }) => {
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);
  await send(page, 'Keep or clear?');
  const item = list(page).getByRole('button', { name: /^Keep or clear\?/ });
  await expect(item).toContainText('2 messages');

  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText('Cleared “Keep or clear?”.');
  await toast.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('user-message')).toHaveCount(1);
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);

  // Cleared for good: the conversation stays (with no messages), it is not a new chat.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  await expect(item).toContainText('0 messages');
  await page.reload();
  await expect(item).toContainText('0 messages');
  await item.click();
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  // Sending again continues the same conversation.
  await send(page, 'Starting over.');
  await expect(list(page).getByRole('button', { name: /^Keep or clear\?/ })).toContainText('2 messages');
});

test('conversation counts read "1 message", not "1 messages"', async ({ page }) => {
  await rpc(serve, 'conversations', 'put', { kind: 'chat', title: 'Just one', messages: [{ role: 'user', content: 'hello' }] });
  await page.goto(serve.uiUrl);
  const item = list(page).getByRole('button', { name: /^Just one/ });
  await expect(item).toContainText('1 message ·');
  await expect(item).not.toContainText('1 messages');
});

test('a long model id keeps the picker and the header to their size; the picker works from the keyboard', async ({ page }, testInfo) => {
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);
  const box = modelBox(page);
  const header = page.locator('.chat .toolbar');
  const headerHeight = (await header.boundingBox())!.height;

  // Type to filter, Enter takes the first match.
  await box.click();
  await box.pressSequentially('extraordinarily');
  await expect(page.getByRole('option')).toHaveCount(1);
  await expect(box).toHaveAttribute('aria-activedescendant', /.+/);
  await box.press('Enter');
  await expect(box).toHaveValue(`acme/${LONG_ID}`);
  await expect(box).toHaveAttribute('title', `acme/${LONG_ID}`);
  const width = (await box.boundingBox())!.width;
  expect(width).toBeLessThanOrEqual(16 * 16 + 1);
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(headerHeight + 1);
  // The id is cut, not wrapped: the text is wider than the box.
  expect(await box.evaluate((el: HTMLInputElement) => el.scrollWidth > el.clientWidth)).toBe(true);

  // Arrows move through the groups (routes first), Escape closes without a change.
  await box.press('ArrowDown');
  await expect(page.getByRole('listbox')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Routes' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'acme' })).toBeVisible();
  await expect(page.getByRole('option', { name: `acme/${LONG_ID}` })).toHaveAttribute('aria-selected', 'true');
  await saveScreens(page, testInfo, 'chat-model-picker');
  await box.press('Escape');
  await expect(page.getByRole('listbox')).toHaveCount(0);
  await expect(box).toHaveValue(`acme/${LONG_ID}`);
  await box.press('ArrowDown');
  await box.press('ArrowDown');
  await box.press('Enter');
  await expect(box).toHaveValue('default');
  await box.fill('no such model');
  await expect(page.getByText('No model matches “no such model”.')).toBeVisible();
  await box.press('Escape');
  await expect(box).toHaveValue('default');
  await expectAccessible(page, 'chat');

  // At the smallest window the header still holds one row, with every control in view.
  await pickModel(page, `acme/${LONG_ID}`);
  await page.setViewportSize({ width: 900, height: 600 });
  expect((await header.boundingBox())!.height).toBeLessThanOrEqual(headerHeight + 1);
  for (const name of ['Options', 'Clear']) await expect(page.getByRole('button', { name, exact: true })).toBeInViewport({ ratio: 1 });
  await expect(box).toBeInViewport({ ratio: 1 });
  await saveScreens(page, testInfo, 'chat-900');
});

test('a soft budget that is passed shows a warning in Chat', async ({ page }) => {
  await rpc(serve, 'budgets', 'set', [{ name: 'tiny', period: 'monthly', mode: 'soft', usd: 0.000001 }]);
  try {
    await page.goto(serve.uiUrl);
    await modelsLoaded(page);
    await send(page, 'Spend a little.');
    await send(page, 'And a little more.');
    const warning = page.getByTestId('budget-warning');
    await expect(warning).toContainText('Over a soft budget');
    await expect(warning).toContainText('tiny');
    // A soft budget lets the request through.
    await expect(page.getByTestId('assistant-message').last().locator('.message-text')).toHaveText('Short answer.');
    await warning.getByRole('button', { name: 'Dismiss budget warning' }).click();
    await expect(warning).toHaveCount(0);
  } finally {
    await rpc(serve, 'budgets', 'set', []);
  }
});

test('Settings sets what a new chat starts with; a conversation keeps its own prompt and temperature', async ({ page }, testInfo) => {
  await page.goto(serve.uiUrl);
  await page.evaluate(() => (window.location.hash = 'settings'));
  const card = page.getByRole('region', { name: 'Chat' });
  await pickModel(page, 'acme/m2', 'Default model');
  await card.getByLabel('System prompt for new chats').fill('Answer in one line.');
  await card.getByLabel('Temperature').fill('0.3');
  await card.getByLabel('Chat text size').selectOption('18');
  await card.getByRole('button', { name: 'Save chat defaults' }).click();
  await expect(card.getByRole('status')).toHaveText('Saved: chat defaults.');
  await saveScreens(page, testInfo, 'settings-chat-defaults');

  await page.evaluate(() => (window.location.hash = 'chat'));
  await expect(modelBox(page)).toHaveValue('acme/m2');
  await send(page, 'Hello with defaults.');
  let sent = chatRequests().at(-1)!.body;
  expect(sent.model).toBe('m2');
  expect(sent.messages[0]).toEqual({ role: 'system', content: 'Answer in one line.' });
  expect(sent.temperature).toBe(0.3);
  const fontSize = await page
    .getByTestId('assistant-message')
    .last()
    .locator('.message-body')
    .evaluate((el) => getComputedStyle(el).fontSize);
  expect(fontSize).toBe('18px');

  // This conversation's own prompt and temperature.
  await page.getByRole('button', { name: 'Options' }).click();
  const options = page.getByRole('region', { name: 'Conversation options' });
  await expect(options.getByLabel('System prompt')).toHaveValue('Answer in one line.');
  await options.getByLabel('System prompt').fill('Answer in two lines.');
  await options.getByLabel('Temperature').fill('1.2');
  await options.getByLabel('Temperature').press('Enter');
  await send(page, 'Hello again.');
  sent = chatRequests().at(-1)!.body;
  expect(sent.messages[0]).toEqual({ role: 'system', content: 'Answer in two lines.' });
  expect(sent.temperature).toBe(1.2);

  // A new chat starts from the defaults; the first one kept its own settings.
  await page.getByRole('button', { name: 'New chat' }).click();
  await expect(options.getByLabel('System prompt')).toHaveValue('Answer in one line.');
  await expect(options.getByLabel('Temperature')).toHaveValue('0.3');
  await page.reload();
  await list(page)
    .getByRole('button', { name: /^Hello with defaults\./ })
    .click();
  await page.getByRole('button', { name: 'Options' }).click();
  await expect(options.getByLabel('System prompt')).toHaveValue('Answer in two lines.');
  await expect(options.getByLabel('Temperature')).toHaveValue('1.2');
  await expect(modelBox(page)).toHaveValue('acme/m2');
});
