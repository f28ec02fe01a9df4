// What Chat keeps, end to end (the real engine under `serve`, fake upstreams, Chromium): a first
// message that fails keeps its conversation with the error and Retry; a reply cut mid-stream comes
// back with its marker and Retry; a reopened conversation keeps its route (so follow-ups still fail
// over); tool calls show with name and arguments instead of an empty bubble.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { rpc } from './helpers/app-rpc';
import { modelBox, modelsLoaded, pickModel } from './helpers/model-picker';
import { expectAccessible, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const REPLY = 'Kept: this reply came through Switchboard in several pieces.';
const KEY = 'sk-e2e-keeps';

let acme: OpenAIFake;
let down: OpenAIFake;
let tools: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  acme = await startOpenAIFake({ reply: REPLY, chunks: 6, apiKey: KEY });
  down = await startOpenAIFake({ apiKey: KEY });
  down.fault({ status: 503 });
  // Calls a tool although the chat offers none, as servers that parse tool syntax from a model's text do.
  tools = await startOpenAIFake({
    apiKey: KEY,
    toolCall: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}', unprompted: true },
  });
  const provider = (id: string, fake: OpenAIFake) => ({
    id,
    kind: 'openai-compatible',
    baseUrl: fake.url,
    keys: [{ env: 'KEEPS_KEY' }],
    models: [{ id: 'm1', price: { input: 1, output: 2 } }],
  });
  serve = await startServe({
    env: { KEEPS_KEY: KEY },
    config: {
      providers: [provider('acme', acme), provider('down', down), provider('tools', tools)],
      routes: [
        { name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }] },
        {
          name: 'failover',
          strategy: 'fallback',
          targets: [
            { provider: 'down', model: 'm1' },
            { provider: 'acme', model: 'm1' },
          ],
        },
      ],
    },
  });
});

test.afterAll(async () => {
  await serve?.stop();
  for (const f of [acme, down, tools]) await f?.close();
});

test.beforeEach(() => acme.fault(null));

const conversations = (page: import('@playwright/test').Page) => page.getByRole('complementary', { name: 'Conversations' });

async function send(page: import('@playwright/test').Page, text: string) {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

test('a first message that fails keeps its conversation, with the error and Retry', async ({ page }, testInfo) => {
  acme.fault({ status: 400 });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);
  await send(page, 'Will this first one work?');
  const reply = page.getByTestId('assistant-message').last();
  await expect(reply.getByRole('alert')).toBeVisible();
  await expect(reply.getByRole('button', { name: 'Retry' })).toBeVisible();
  await expect(conversations(page).getByRole('button', { name: /^Will this first one work\?/ })).toContainText('2 messages');

  // After a reload the conversation is there, failure and all, and Retry asks again.
  await page.reload();
  await conversations(page)
    .getByRole('button', { name: /^Will this first one work\?/ })
    .click();
  await expect(page.getByTestId('user-message').locator('.message-text')).toHaveText('Will this first one work?');
  const reopened = page.getByTestId('assistant-message');
  await expect(reopened.getByRole('alert')).toContainText('Invalid request');
  await expectAccessible(page, 'chat');
  await saveScreens(page, testInfo, 'chat-failed-first');
  acme.fault(null);
  await reopened.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  await expect(page.getByTestId('assistant-message').locator('.message-text')).toHaveText(REPLY);
  await expect(page.getByTestId('assistant-message').getByRole('alert')).toHaveCount(0);
  expect(acme.requests.at(-1)?.body.messages).toEqual([{ role: 'user', content: 'Will this first one work?' }]);

  // The retried exchange replaced the failed one in storage too.
  await page.reload();
  await conversations(page)
    .getByRole('button', { name: /^Will this first one work\?/ })
    .click();
  await expect(page.getByTestId('assistant-message').locator('.message-text')).toHaveText(REPLY);
  await expect(page.getByTestId('assistant-message').getByRole('alert')).toHaveCount(0);
});

test('a reply cut mid-stream comes back with its marker and Retry when reopened', async ({ page }) => {
  acme.fault({ afterChunks: 2, chunkDelayMs: 20 });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);
  await send(page, 'Cut me off halfway.');
  const reply = page.getByTestId('assistant-message').last();
  await expect(reply.getByRole('alert')).toContainText('failed mid-stream');
  const partial = await reply.locator('.message-text').innerText();
  expect(partial.length).toBeGreaterThan(0);
  expect(REPLY.startsWith(partial)).toBe(true);

  await page.reload();
  await conversations(page)
    .getByRole('button', { name: /^Cut me off halfway\./ })
    .click();
  const reopened = page.getByTestId('assistant-message');
  await expect(reopened.locator('.message-text')).toHaveText(partial);
  await expect(reopened.getByRole('alert')).toContainText('failed mid-stream');
  acme.fault(null);
  await reopened.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByTestId('assistant-message').locator('.message-text')).toHaveText(REPLY);
});

test('a reopened conversation keeps its route, so a follow-up still fails over', async ({ page }) => {
  await page.goto(serve.uiUrl);
  await pickModel(page, 'failover');
  await send(page, 'First through the failover route.');
  await expect(page.getByTestId('reply-meta')).toContainText('after 2 attempts');
  await expect(page.getByTestId('reply-meta')).toContainText('acme/m1');

  // Another chat on another model, then back: the conversation still talks to its route, not to whoever answered.
  await page.getByRole('button', { name: 'New chat' }).click();
  await pickModel(page, 'default');
  await conversations(page)
    .getByRole('button', { name: /^First through the failover route\./ })
    .click();
  await expect(modelBox(page)).toHaveValue('failover');
  await page.reload();
  await conversations(page)
    .getByRole('button', { name: /^First through the failover route\./ })
    .click();
  await expect(modelBox(page)).toHaveValue('failover');

  await send(page, 'And a follow-up.');
  const followUp = page.getByTestId('assistant-message').last();
  await expect(followUp.locator('.message-text')).toHaveText(REPLY);
  await expect(followUp.locator('.message-author')).toHaveText('failover');
  // The follow-up went through the route (whose health now skips the failing target), not straight to acme/m1.
  const [last] = await rpc<Array<{ route: string | null; requestedModel?: string | null }>>(serve, 'spend', 'requests', {
    source: 'chat',
    limit: 1,
  });
  expect(last).toMatchObject({ route: 'failover', requestedModel: 'failover' });
});

test('tool calls show with their name and arguments, collapsed, also when reopened', async ({ page }, testInfo) => {
  await page.goto(serve.uiUrl);
  await pickModel(page, 'tools/m1');
  await send(page, 'What is the weather in Paris?');
  const reply = page.getByTestId('assistant-message').last();
  const call = reply.getByTestId('tool-call');
  await expect(call).toHaveCount(1);
  await expect(call.locator('summary')).toContainText('get_weather');
  await expect(call).not.toHaveAttribute('open');
  await call.locator('summary').click();
  await expect(call.getByLabel('Arguments of get_weather')).toContainText('"city": "Paris"');
  await expect(reply).toContainText('Chat runs no tools');
  await expect(reply.getByTestId('reply-meta')).toContainText('tools/m1');
  await expectAccessible(page, 'chat');
  await saveScreens(page, testInfo, 'chat-tool-call');

  await page.reload();
  await conversations(page)
    .getByRole('button', { name: /^What is the weather in Paris\?/ })
    .click();
  await expect(page.getByTestId('tool-call').locator('summary')).toContainText('get_weather');
});
