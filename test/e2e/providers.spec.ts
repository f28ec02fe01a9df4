// The providers screen end to end: configured providers with their models, prices and keys, the
// keys only ever masked.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

test('lists providers, models and masked keys', async ({ page }, testInfo) => {
  await openScreen(page, env.serve.uiUrl, 'providers');
  const screen = page.locator('[data-screen="providers"]');
  const acme = screen.getByRole('region', { name: 'Provider acme' });
  await expect(acme).toContainText('openai-compatible');
  await expect(acme).toContainText('served');
  await expect(acme.getByRole('row', { name: /m1/ })).toContainText('128,000');
  await expect(acme.getByRole('row', { name: /m2/ })).toContainText('unknown');
  await expect(acme).toContainText('env ACME_KEY');
  await expect(acme).toContainText('present');
  const backup = screen.getByRole('region', { name: 'Provider backup' });
  // Every kind has an adapter now; a provider without a key says so instead of pretending.
  await expect(backup).toContainText('anthropic');
  await expect(backup).toContainText('served');
  await expect(backup).toContainText('No key configured');
  // The key itself never reaches the page, only its masked form.
  expect(await page.content()).not.toContain('sk-live-abcdefgh12345678');
  await expect(acme).toContainText('5678');
  const add = screen.getByRole('button', { name: 'Add provider' });
  await expect(add).toBeDisabled();
  await expect(add).toHaveAccessibleDescription(/arrives with the providers and keys service/);
  await expectAccessible(page, 'providers');
  await saveScreens(page, testInfo, 'providers');
});
