// The chat screen end to end: the real engine under `serve`, a fake OpenAI-compatible upstream,
// and the built UI in Chromium. Sends a message, watches the reply stream in, checks the meta line.
import { mkdir } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { modelsLoaded, pickModel } from './helpers/model-picker';
import { expectAccessible, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const REPLY = 'Routing works: this reply came through Switchboard in several pieces.';

const MARKDOWN = 'Use **this**:\n\n```ts\nconst answer = 42;\n```\n\nDone.';

let fake: OpenAIFake;
let down: OpenAIFake;
let docs: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: REPLY, chunks: 6, apiKey: 'sk-e2e-test-key' });
  // An upstream that is down: every request gets 503, so the route fails over to acme.
  down = await startOpenAIFake({ apiKey: 'sk-e2e-test-key' });
  down.fault({ status: 503 });
  docs = await startOpenAIFake({ reply: MARKDOWN, chunks: 5, apiKey: 'sk-e2e-test-key' });
  serve = await startServe({
    env: { ACME_KEY: 'sk-e2e-test-key' },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [{ id: 'm1', contextWindow: 128000, price: { input: 1.0, output: 2.0 } }],
        },
        {
          id: 'down',
          kind: 'openai-compatible',
          baseUrl: down.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [{ id: 'm1', price: { input: 1.0, output: 2.0 } }],
        },
        {
          id: 'docs',
          kind: 'openai-compatible',
          baseUrl: docs.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [{ id: 'm1', price: { input: 1.0, output: 2.0 } }],
        },
      ],
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
  await fake?.close();
  await down?.close();
  await docs?.close();
});

test('streams a reply and shows what it cost', async ({ page }, testInfo) => {
  // Slow the fake down so the reply is visibly still streaming for a moment (over a second: the
  // stream starts on the page's open event channel at once, so a faster reply can end before the check).
  fake.fault({ chunkDelayMs: 200 });
  await page.goto(serve.uiUrl);

  // The token leaves the address bar as soon as the app has read it.
  await expect.poll(() => page.url()).not.toContain('token=');

  await pickModel(page, 'default');

  // Record every text the reply shows, to prove it grows delta by delta rather than appearing at once.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { replyTexts: string[] }).replyTexts = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="assistant-message"] .message-text')?.textContent ?? '';
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Say hello in one sentence.');
  await input.press('Enter');

  await expect(page.getByTestId('user-message').locator('.message-text')).toHaveText('Say hello in one sentence.');
  const reply = page.getByTestId('assistant-message').last();
  // While streaming the Send button turns into Stop.
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await expect(reply.locator('.message-text')).toHaveText(REPLY);

  const meta = reply.getByTestId('reply-meta');
  await expect(meta).toContainText('acme/m1');
  await expect(meta).toContainText(/\d+ in \/ \d+ out tokens/);
  await expect(meta).toContainText(/\$\d+\.\d+/);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();

  const texts = await page.evaluate(() => (window as unknown as { replyTexts: string[] }).replyTexts);
  const partials = texts.filter((t) => t.length < REPLY.length);
  expect(partials.length, `intermediate texts: ${JSON.stringify(texts)}`).toBeGreaterThanOrEqual(2);
  for (const t of partials) expect(REPLY.startsWith(t)).toBe(true);

  // The engine forwarded the conversation upstream with the key from the environment.
  const upstream = fake.requests.filter((r) => r.path.endsWith('/chat/completions'));
  expect(upstream).toHaveLength(1);
  expect(upstream[0]?.body.messages).toEqual([{ role: 'user', content: 'Say hello in one sentence.' }]);

  await mkdir('test-results/screens', { recursive: true });
  const shot = await page.screenshot({ path: 'test-results/screens/chat-first.png', animations: 'disabled' });
  await testInfo.attach('chat-first', { body: shot, contentType: 'image/png' });
});

test('a failover shows in the reply, markdown code can be copied, edit and regenerate ask again', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  fake.fault({ chunkDelayMs: 20 });
  const downBefore = down.requests.length;
  await page.goto(serve.uiUrl);
  await pickModel(page, 'failover');

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Which provider answers?');
  await input.press('Enter');
  const reply = page.getByTestId('assistant-message').last();
  await expect(reply.locator('.message-text')).toHaveText(REPLY);
  const meta = reply.getByTestId('reply-meta');
  // The first target answered 503; the reply came from the second, and the meta line says so.
  await expect(meta).toContainText('acme/m1');
  await expect(meta).toContainText('after 2 attempts');
  expect(down.requests.length).toBe(downBefore + 1);

  // Markdown with a highlighted code block and its copy button.
  await pickModel(page, 'docs/m1');
  await input.fill('Show me some code.');
  await input.press('Enter');
  const codeReply = page.getByTestId('assistant-message').last();
  await expect(codeReply.locator('pre code')).toHaveText('const answer = 42;');
  await expect(codeReply.locator('pre code .hljs-keyword').first()).toHaveText('const');
  await expect(codeReply.locator('strong')).toHaveText('this');
  await codeReply.getByRole('button', { name: 'Copy code' }).click();
  await expect(codeReply.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('const answer = 42;\n');

  // Regenerate asks docs again with the same history.
  const docsBefore = docs.requests.length;
  await codeReply.hover();
  await codeReply.getByRole('button', { name: 'Regenerate' }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(2);
  await expect(page.getByTestId('assistant-message').last().getByTestId('reply-meta')).toContainText('docs/m1');
  expect(docs.requests.length).toBe(docsBefore + 1);
  expect(docs.requests.at(-1)?.body.messages.at(-1)).toEqual({ role: 'user', content: 'Show me some code.' });

  // Edit the second question and ask again: what came after it is replaced.
  const second = page.getByTestId('user-message').last();
  await second.hover();
  await second.getByRole('button', { name: 'Edit message' }).click();
  const edit = page.getByRole('textbox', { name: 'Edit message' });
  await edit.fill('Show me a different snippet.');
  await edit.press('Enter');
  await expect(page.getByTestId('user-message').last().locator('.message-text')).toHaveText('Show me a different snippet.');
  await expect(page.getByTestId('assistant-message')).toHaveCount(2);
  await expect(page.getByTestId('assistant-message').last().getByTestId('reply-meta')).toContainText('docs/m1');
  expect(docs.requests.at(-1)?.body.messages).toEqual([
    { role: 'user', content: 'Which provider answers?' },
    { role: 'assistant', content: REPLY },
    { role: 'user', content: 'Show me a different snippet.' },
  ]);

  // The conversation is listed, and a new chat starts empty until it is opened again.
  const list = page.getByRole('complementary', { name: 'Conversations' });
  await expect(list.getByRole('button', { name: /^Which provider answers\?/ })).toBeVisible();
  await page.getByRole('button', { name: 'New chat' }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(0);
  await list.getByRole('button', { name: /^Which provider answers\?/ }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(2);

  await expectAccessible(page, 'chat');
  // Scroll back to the failover reply for the screenshot.
  await page.getByTestId('assistant-message').first().scrollIntoViewIfNeeded();
  await saveScreens(page, testInfo, 'chat');
  fake.fault(null);
});

test('stop cuts a streaming reply short', async ({ page }) => {
  fake.fault({ chunkDelayMs: 400 });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Tell me a long story.');
  await page.getByRole('button', { name: 'Send' }).click();
  const reply = page.getByTestId('assistant-message').last();
  await expect(reply.locator('.message-text')).not.toBeEmpty();
  await page.getByRole('button', { name: 'Stop' }).click();

  await expect(reply).toContainText('Stopped.');
  await expect(reply.locator('.message-text')).not.toHaveText(REPLY);
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  // A stopped reply still says who answered and what it used so far.
  const meta = reply.getByTestId('reply-meta');
  await expect(meta).toContainText('acme/m1');
  await expect(meta).toContainText(/\d+ in \/ [1-9]\d* out tokens/);
  await expect(meta).toContainText(/\$\d+\.\d+/);
  const kept = await reply.locator('.message-text').innerText();
  fake.fault(null);

  // The stopped reply is kept: after a reload the conversation holds it, with the text it had, its
  // "Stopped." note and its footer.
  await page.goto(serve.uiUrl);
  const list = page.getByRole('complementary', { name: 'Conversations' });
  await list.getByRole('button', { name: /^Tell me a long story\./ }).click();
  await expect(page.getByTestId('assistant-message')).toHaveCount(1);
  const again = page.getByTestId('assistant-message');
  await expect(again.locator('.message-text')).toHaveText(kept);
  await expect(again).toContainText('Stopped.');
  await expect(again.getByTestId('reply-meta')).toContainText(/\d+ in \/ [1-9]\d* out tokens/);
});

test('an upstream failure shows inline', async ({ page }) => {
  fake.fault({ status: 400 });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('This one');
  // Shift+Enter is a new line, not a send.
  await input.press('Shift+Enter');
  await input.pressSequentially('fails.');
  await expect(input).toHaveValue('This one\nfails.');
  await expect(page.getByTestId('user-message')).toHaveCount(0);
  await input.press('Enter');
  await expect(page.getByTestId('assistant-message').last().getByRole('alert')).toBeVisible();
  await expect(page.getByTestId('user-message').locator('.message-text')).toHaveText('This one\nfails.');
  await expect(input).toBeFocused();
  fake.fault(null);
});

test('Escape stops a streaming reply from the keyboard', async ({ page }) => {
  fake.fault({ chunkDelayMs: 400 });
  await page.goto(serve.uiUrl);
  await modelsLoaded(page);

  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill('Another long one.');
  await input.press('Enter');
  await expect(page.getByTestId('assistant-message').last().locator('.message-text')).not.toBeEmpty();
  await input.press('Escape');
  await expect(page.getByTestId('assistant-message').last()).toContainText('Stopped.');
  fake.fault(null);
});
