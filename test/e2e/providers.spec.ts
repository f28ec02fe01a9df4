// The providers screen end to end: configured providers with models, prices, masked keys and live
// health; adding a provider from the presets with a pasted key (into the real OS keychain: run
// under a Secret Service session like the rest of `npm test`): tested, its models listed and chosen,
// then more added from the API's list, one price edited, the key deleted and the provider removed.
// The key never reaches the page; a wrong key adds nothing.
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
  const flow = screen.getByRole('region', { name: 'Add a provider' });
  // The type select and the id field sit side by side without overlapping, whatever the option's length.
  const type = await flow.getByLabel('Provider type').boundingBox();
  const idBox = await flow.getByLabel('Provider id').boundingBox();
  expect(type!.x + type!.width).toBeLessThanOrEqual(idBox!.x);
  await flow.getByLabel('Provider type').selectOption({ label: 'Other OpenAI-compatible server' });
  await flow.getByLabel('Provider id').fill('newco');
  await flow.getByLabel('Base URL').fill(second.url);
  // A wrong key: the test says so, and nothing is added.
  await flow.getByLabel('API key').fill('sk-wrong-key-000000000000');
  await flow.getByRole('button', { name: 'Test and list models' }).click();
  await expect(flow.getByRole('alert')).toContainText('newco refused the key (401)');
  await flow.getByLabel('API key').fill(PASTED);
  await flow.getByRole('button', { name: 'Test and list models' }).click();
  await flow.getByRole('checkbox', { name: 'Offer n3' }).uncheck();
  await flow.getByRole('button', { name: 'Add provider with 2 models' }).click();

  const card = screen.getByRole('region', { name: 'Provider newco' });
  await expect(card).toContainText('keychain');
  await expect(card).toContainText('sk-…QRST');
  await expect(card.getByRole('table', { name: 'Models of newco' }).getByRole('row')).toHaveCount(3);
  // The key went to the keychain; the page (and its inputs) hold only the masked form.
  expect(await page.content()).not.toContain(PASTED);

  await card.getByRole('button', { name: 'Test key default of newco' }).click();
  await expect(card.getByRole('status').first()).toContainText('✓');
  await card.getByRole('button', { name: "List models from newco's API" }).click();
  const listed = card.getByRole('group', { name: "Models newco's API lists" });
  await expect(listed).toContainText('3 listed; 1 not offered yet.');
  expect(second.requests.at(-1)?.headers.authorization).toBe(`Bearer ${PASTED}`);
  await listed.getByRole('checkbox', { name: /n3/ }).check();
  await listed.getByRole('button', { name: 'Add 1 selected model' }).click();
  await expect(card.getByRole('table', { name: 'Models of newco' }).getByRole('row')).toHaveCount(4);

  // Its price is unknown until the user gives one.
  const n3 = card.getByRole('row', { name: /^n3/ });
  await expect(n3).toContainText('unknown');
  await n3.getByRole('button', { name: 'Edit price of n3' }).click();
  const editor = card.getByRole('form', { name: 'Price of newco/n3' });
  await editor.getByRole('textbox', { name: 'Input', exact: true }).fill('0.5');
  await editor.getByRole('textbox', { name: 'Output', exact: true }).fill('1.5');
  await editor.getByRole('button', { name: 'Save price' }).click();
  await expect(n3).toContainText('$0.5');
  await expect(n3).toContainText('your price');

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
  await expect(card.getByRole('status').first()).toContainText('✗');
  // A request routed to it gets a 401: the router retires the key, and the card says so.
  const admin = new URL(env.serve.uiUrl).searchParams.get('token')!;
  await fetch(`${env.serve.url}/app/stream`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      service: 'chat',
      method: 'stream',
      params: [{ model: 'newco/n1', messages: [{ role: 'user', content: 'hi' }], ephemeral: true }],
    }),
  }).then((r) => r.text());
  await openScreen(page, env.serve.uiUrl, 'providers');
  const reloaded = page.locator('[data-screen="providers"]').getByRole('region', { name: 'Provider newco' });
  await expect(reloaded).toContainText('retired (401)');
  await reloaded.getByRole('button', { name: 'Remove provider newco' }).click();
  await expect(reloaded).toHaveCount(0);
});
