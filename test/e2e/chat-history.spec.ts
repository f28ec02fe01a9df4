// Chat history end to end: conversations are stored by the engine (in the ledger database) and
// survive a reload; search finds message text; rename and delete go through the engine (a delete can
// be undone until its toast goes); reasoning streams in a collapsed block; an attached image travels as
// an OpenAI image_url part and comes back with its conversation after a reload.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { modelsLoaded } from './helpers/model-picker';
import { expectAccessible, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

// 1x1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let fake: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  // Scenario mode answers from the request: an echo, a description of an image, thinking when asked.
  fake = await startOpenAIFake({ scenario: true, reasoningField: 'reasoning_content', apiKey: 'sk-e2e-hist', models: ['r1'] });
  serve = await startServe({
    env: { THINK_KEY: 'sk-e2e-hist' },
    config: {
      providers: [
        {
          id: 'think',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'THINK_KEY' }],
          models: [{ id: 'r1', price: { input: 1, output: 2 } }],
        },
      ],
      routes: [{ name: 'default', strategy: 'fallback', targets: [{ provider: 'think', model: 'r1' }] }],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
});

test('conversations persist in the engine: reload, search, rename, delete; reasoning and images', async ({ page }, testInfo) => {
  await page.goto(serve.uiUrl);
  const uiUrl = page.url();
  await modelsLoaded(page);

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Where do pelicans nest?');
  await input.press('Enter');
  await expect(page.getByTestId('assistant-message').last().locator('.message-text')).toHaveText('Echo: Where do pelicans nest?');

  // A second conversation, with reasoning asked for and an image attached.
  await page.getByRole('button', { name: 'New chat' }).click();
  // Reasoning effort sits with the conversation's options.
  await page.getByRole('button', { name: 'Options' }).click();
  await page.getByLabel('Reasoning effort').selectOption('high');
  await page.getByTestId('image-input').setInputFiles({ name: 'dot.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('img', { name: 'Attached image 1' })).toBeVisible();
  await input.fill('What is in this picture?');
  await input.press('Enter');
  const reply = page.getByTestId('assistant-message').last();
  await expect(reply.locator('.message-text')).toHaveText(`I see a image/png image of ${PNG.length} bytes.`);
  await expect(page.getByRole('img', { name: 'Image 1 you sent' })).toBeVisible();
  const reasoning = reply.getByTestId('reasoning');
  await expect(reasoning).not.toHaveAttribute('open');
  await reasoning.locator('summary').click();
  await expect(reasoning.locator('p')).not.toBeEmpty();
  // The upstream got the image as an image_url part and the effort as reasoning_effort.
  const sent = fake.requests.filter((r) => r.path.endsWith('/chat/completions')).at(-1)!.body;
  expect(sent.reasoning_effort).toBe('high');
  expect(sent.messages.at(-1).content).toEqual([
    { type: 'text', text: 'What is in this picture?' },
    { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
  ]);

  // Reload: both conversations come back from the engine, with each reply's report.
  await page.goto(uiUrl);
  const list = page.getByRole('complementary', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: /^Where do pelicans nest\?/ })).toBeVisible();
  await expect(list.getByRole('button', { name: /^What is in this picture\?/ })).toBeVisible();
  await list.getByRole('button', { name: /^Where do pelicans nest\?/ }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  await expect(page.getByTestId('reply-meta')).toContainText('think/r1');

  // Search reaches message text, not only titles.
  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('Echo: Where');
  await expect(list.getByRole('button', { name: /^What is in this picture\?/ })).toHaveCount(0);
  await expect(list.getByRole('button', { name: /^Where do pelicans nest\?/ })).toBeVisible();
  await search.fill('');

  // Rename from the keyboard, then reload to see it was stored.
  await list.getByRole('button', { name: /^Where do pelicans nest\?/ }).hover();
  await list.getByRole('button', { name: 'Rename Where do pelicans nest?' }).click();
  const name = page.getByRole('textbox', { name: 'Conversation name' });
  await name.fill('Pelicans');
  await name.press('Enter');
  await expect(list.getByRole('button', { name: /^Pelicans/ })).toBeVisible();
  await expectAccessible(page, 'chat');
  await saveScreens(page, testInfo, 'chat-history');

  await page.goto(uiUrl);
  await expect(list.getByRole('button', { name: /^Pelicans/ })).toBeVisible();
  // Delete asks nothing but can be undone: the toast's Undo (focused, for the keyboard) brings it back.
  // A conversation's tools show on hover (or focus), as a mouse user finds them.
  await list.getByRole('button', { name: /^Pelicans/ }).hover();
  await list.getByRole('button', { name: 'Delete Pelicans' }).click();
  await expect(list.getByRole('button', { name: /^Pelicans/ })).toHaveCount(0);
  const toast = page.getByTestId('toast');
  await expect(toast).toContainText('Deleted “Pelicans”.');
  await expect(toast.getByRole('button', { name: 'Undo' })).toBeFocused();
  await saveScreens(page, testInfo, 'chat-delete-undo');
  await page.keyboard.press('Enter');
  await expect(toast).toHaveCount(0);
  await expect(list.getByRole('button', { name: /^Pelicans/ })).toBeVisible();
  // Deleted again and the toast dismissed: now it is gone for good, reload or not.
  // A conversation's tools show on hover (or focus), as a mouse user finds them.
  await list.getByRole('button', { name: /^Pelicans/ }).hover();
  await list.getByRole('button', { name: 'Delete Pelicans' }).click();
  await toast.getByRole('button', { name: 'Dismiss' }).click();
  await expect(toast).toHaveCount(0);
  await page.goto(uiUrl);
  await expect(list.getByRole('button', { name: /^What is in this picture\?/ })).toBeVisible();
  await expect(list.getByRole('button', { name: /^Pelicans/ })).toHaveCount(0);
  // The image was stored with its message: reopened after a reload, the conversation shows it again.
  await list.getByRole('button', { name: /^What is in this picture\?/ }).click();
  await expect(page.getByRole('img', { name: 'Image 1 you sent' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Image 1 you sent' })).toHaveAttribute(
    'src',
    `data:image/png;base64,${PNG.toString('base64')}`,
  );
});
