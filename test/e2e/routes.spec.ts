// The routes screen end to end: each configured route with its strategy and ordered targets.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

test('lists routes with strategy and ordered targets', async ({ page }, testInfo) => {
  await openScreen(page, env.serve.uiUrl, 'routes');
  const screen = page.locator('[data-screen="routes"]');
  const route = screen.getByRole('region', { name: 'Route default' });
  await expect(route).toContainText('fallback');
  await expect(route.getByRole('listitem')).toHaveText([/acme\/m1\s*first/, /acme\/m2\s*fallback/]);
  await expect(screen.getByRole('region', { name: 'Route fast' }).getByRole('listitem')).toHaveCount(1);
  await expect(screen.getByRole('button', { name: 'New route' })).toBeDisabled();
  await expectAccessible(page, 'routes');
  await saveScreens(page, testInfo, 'routes');
});
