// The providers screen end to end: configured providers with models, prices, masked keys and live
// health; adding a provider from the presets with a pasted key (into the real OS keychain: run
// under a Secret Service session like the rest of `npm test`), testing the key, listing the API's
// models, deleting the key and removing the provider. The key never reaches the page.
import { expect, test } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

const PASTED = 'sk-pasted-e2e-0123456789abcdefQRST';
let env: Awaited<ReturnType<typeof startOneProvider>>;
let second: OpenAIFake;
test.beforeAll(async () => {
  env = await startOneProvider();
  second = await startOpenAIFake({ reply: 'hello', chunks: 1, apiKey: PASTED, models: ['n1', 'n2', 'n3'] });
});
test.afterAll(async () => {
  await env?.stop();
  await second?.close();
});

test('lists providers, models and masked keys', async ({ page }) => {
  await openScreen(page, env.serve.uiUrl, 'providers');
  const screen = page.locator('[data-screen="providers"]');
  const acme = screen.getByRole('region', { name: 'Provider acme' });
  await expect(acme).toContainText('openai-compatible');
  await expect(acme.getByRole('row', { name: /m1/ })).toContainText('128,000');
  await expect(acme.getByRole('row', { name: /m2/ })).toContainText('unknown');
  await expect(acme).toContainText('env ACME_KEY');
  await expect(acme).toContainText('present');
  const backup = screen.getByRole('region', { name: 'Provider backup' });
  await expect(backup).toContainText('anthropic');
  await expect(backup).toContainText('No key configured');
  expect(await page.content()).not.toContain('sk-live-abcdefgh12345678');
  await expect(acme).toContainText('5678');
  // A provider a route uses cannot be removed; the error says which route.
  await acme.getByRole('button', { name: 'Remove provider acme' }).click();
  await expect(acme.getByRole('alert')).toContainText('used by routes default, fast');
});

test('adds a provider with a pasted key, tests it, lists its models, deletes the key and the provider', async ({ page }, testInfo) => {
  await openScreen(page, env.serve.uiUrl, 'providers');
  const screen = page.locator('[data-screen="providers"]');
  await screen.getByRole('button', { name: 'Add provider' }).click();
  const form = screen.getByRole('form', { name: 'Add provider' });
  await form.getByLabel('Kind or vendor').selectOption({ label: 'Other OpenAI-compatible server' });
  await form.getByLabel('Provider id').fill('newco');
  await form.getByLabel(/Base URL/).fill(second.url);
  await form.getByLabel(/Models/).fill('n1, n2');
  await form.getByLabel(/API key/).fill(PASTED);
  await form.getByRole('button', { name: 'Add provider' }).click();

  const card = screen.getByRole('region', { name: 'Provider newco' });
  await expect(card).toContainText('keychain');
  await expect(card).toContainText('sk-…QRST');
  await expect(card.getByRole('row')).toHaveCount(3);
  // The key went to the keychain; the page (and its inputs) hold only the masked form.
  expect(await page.content()).not.toContain(PASTED);

  await card.getByRole('button', { name: 'Test key default of newco' }).click();
  await expect(card.getByRole('status')).toContainText('✓');
  await card.getByRole('button', { name: "List models from newco's API" }).click();
  await expect(card.getByLabel("Models newco's API lists")).toHaveText('n1, n2, n3');
  expect(second.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PASTED}`);

  await expectAccessible(page, 'providers');
  await saveScreens(page, testInfo, 'providers');

  await card.getByRole('button', { name: 'Delete key default of newco' }).click();
  await expect(card).toContainText('No key configured');
  // A wrong key pasted from the keyboard is stored, and its test fails with the upstream's answer.
  await card.getByRole('button', { name: 'Paste a key for newco' }).click();
  await card.getByLabel('API key').fill('sk-wrong-key-000000000000');
  await card.getByLabel('API key').press('Enter');
  await expect(card).toContainText('sk-…0000');
  await card.getByRole('button', { name: 'Test key default of newco' }).click();
  await expect(card.getByRole('status')).toContainText('✗');
  // A request routed to it gets a 401: the router retires the key, and the card says so.
  const admin = new URL(env.serve.uiUrl).searchParams.get('token')!;
  await fetch(`${env.serve.url}/app/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({ service: 'chat', method: 'stream', params: [{ model: 'newco/n1', messages: [{ role: 'user', content: 'hi' }], ephemeral: true }] }),
  }).then((r) => r.text());
  await openScreen(page, env.serve.uiUrl, 'providers');
  const reloaded = page.locator('[data-screen="providers"]').getByRole('region', { name: 'Provider newco' });
  await expect(reloaded).toContainText('retired (401)');
  await reloaded.getByRole('button', { name: 'Remove provider newco' }).click();
  await expect(reloaded).toHaveCount(0);
});
