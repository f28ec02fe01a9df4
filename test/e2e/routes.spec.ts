// The routes screen end to end: routes with strategy, ordered targets and live health; a route
// created and edited from the keyboard (targets reordered, timeouts set), tested with one click
// through the real engine, and deleted.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

test('lists routes with strategy and ordered targets', async ({ page }) => {
  await openScreen(page, env.serve.uiUrl, 'routes');
  const screen = page.locator('[data-screen="routes"]');
  const route = screen.getByRole('region', { name: 'Route default' });
  await expect(route).toContainText('fallback');
  await expect(route.getByRole('listitem')).toHaveText([/acme\/m1\s*first/, /acme\/m2\s*fallback/]);
  await expect(screen.getByRole('region', { name: 'Route fast' }).getByRole('listitem')).toHaveCount(1);
  await expect(route).toContainText(/Timeouts: connect/);
});

test('creates, edits, tests and deletes a route', async ({ page }, testInfo) => {
  await openScreen(page, env.serve.uiUrl, 'routes');
  const screen = page.locator('[data-screen="routes"]');
  await screen.getByRole('button', { name: 'New route' }).click();
  const form = screen.getByRole('form', { name: 'New route' });
  await form.getByLabel('Route name').fill('coding');
  await form.getByLabel('Target to add').selectOption('acme/m1');
  await form.getByRole('button', { name: 'Add target' }).click();
  await form.getByLabel('Target to add').selectOption('acme/m2');
  await form.getByRole('button', { name: 'Add target' }).click();
  await form.getByLabel('First token (ms)').fill('8000');
  await form.getByRole('button', { name: 'Save route' }).click();

  const coding = screen.getByRole('region', { name: 'Route coding' });
  await expect(coding.getByRole('listitem')).toHaveText([/acme\/m1\s*first/, /acme\/m2\s*fallback/]);
  await expect(coding).toContainText('first token 8.00 s');

  // Edit: move m2 first (keyboard), keep the timeout.
  await coding.getByRole('button', { name: 'Edit route coding' }).click();
  const edit = screen.getByRole('form', { name: 'Edit route coding' });
  await expect(edit.getByLabel('First token (ms)')).toHaveValue('8000');
  await edit.getByRole('button', { name: 'Move acme/m2 up' }).focus();
  await page.keyboard.press('Enter');
  await edit.getByRole('button', { name: 'Save route' }).press('Enter');
  await expect(coding.getByRole('listitem')).toHaveText([/acme\/m2\s*first/, /acme\/m1\s*fallback/]);
  await expect(coding).toContainText('first token 8.00 s');

  // One click: a tiny chat goes through the route and says who answered.
  const before = env.fake.requests.length;
  await coding.getByRole('button', { name: 'Test route coding' }).click();
  await expect(coding.getByRole('status')).toContainText('✓ acme/m2 answered “hi”');
  expect(env.fake.requests.length).toBe(before + 1);
  expect(env.fake.requests.at(-1)?.body.model).toBe('m2');
  // After the test the router has seen the target: its health shows.
  await expect(coding.getByRole('listitem').first()).toContainText('healthy');

  // A bad edit is refused with the reason, and nothing changes.
  await coding.getByRole('button', { name: 'Edit route coding' }).click();
  await edit.getByLabel('Route name').fill('default');
  await edit.getByRole('button', { name: 'Save route' }).click();
  await expect(edit.getByRole('alert')).toContainText('a route named "default" exists already');
  await edit.getByRole('button', { name: 'Cancel' }).click();

  await expectAccessible(page, 'routes');
  await saveScreens(page, testInfo, 'routes');

  await coding.getByRole('button', { name: 'Delete route coding' }).click();
  await expect(coding).toHaveCount(0);
  // The chat's model list follows the settings: the deleted route is gone from it.
  await page.getByRole('link', { name: 'Chat' }).click();
  await expect(page.getByLabel('Model').locator('option[value="coding"]')).toHaveCount(0);
});
