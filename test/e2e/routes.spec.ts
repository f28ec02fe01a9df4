// The routes screen end to end: routes with strategy, ordered targets and live health; a route
// created and edited from the keyboard (targets reordered, no target twice, timeouts in seconds, focus
// kept in place, Escape cancels), tested with one click through the real engine, and deleted after a
// confirmation. Targets read in their strategy's terms; a failing target is not called healthy.
import { expect, test, type Locator } from '@playwright/test';
import { rpc } from './helpers/app-rpc';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

/** Adds a target with the searchable model picker. */
async function addTarget(form: Locator, id: string): Promise<void> {
  const box = form.getByRole('combobox', { name: 'Target to add' });
  await box.fill(id);
  await box.press('Enter');
}

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
  await expect(form.getByLabel('Route name')).toBeFocused();
  await form.getByLabel('Route name').fill('coding');
  await addTarget(form, 'acme/m1');
  await addTarget(form, 'acme/m2');
  // A target can be in a route once: the picker no longer offers it.
  await form.getByRole('combobox', { name: 'Target to add' }).fill('acme/m1');
  await expect(form.getByText('No model matches “acme/m1”.')).toBeVisible();
  await form.getByRole('combobox', { name: 'Target to add' }).press('Escape');
  await expect(form).toBeVisible();
  await form.getByLabel('First token (seconds)').fill('8');
  await form.getByLabel('Total (seconds)').fill('900');
  await form.getByRole('button', { name: 'Save route' }).click();

  const coding = screen.getByRole('region', { name: 'Route coding' });
  await expect(coding.getByRole('listitem')).toHaveText([/acme\/m1\s*first/, /acme\/m2\s*fallback/]);
  // Durations in their own unit, never "900.00 s".
  await expect(coding).toContainText('first token 8 s');
  await expect(coding).toContainText('total 15 min');
  // Focus lands on the new route's Edit button, not on <body>.
  await expect(coding.getByRole('button', { name: 'Edit route coding' })).toBeFocused();

  // Edit from the keyboard: Enter opens the editor with focus in it; Escape cancels and gives focus back.
  await page.keyboard.press('Enter');
  const edit = screen.getByRole('form', { name: 'Edit route coding' });
  await expect(edit.getByLabel('Route name')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(edit).toHaveCount(0);
  await expect(coding.getByRole('button', { name: 'Edit route coding' })).toBeFocused();

  // Edit: move m2 first (keyboard), keep the timeout.
  await page.keyboard.press('Enter');
  await expect(edit.getByLabel('First token (seconds)')).toHaveValue('8');
  await edit.getByRole('button', { name: 'Move acme/m2 up' }).focus();
  await page.keyboard.press('Enter');
  await edit.getByRole('button', { name: 'Save route' }).press('Enter');
  await expect(coding.getByRole('listitem')).toHaveText([/acme\/m2\s*first/, /acme\/m1\s*fallback/]);
  await expect(coding).toContainText('first token 8 s');

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

  // Delete asks first; the safe answer has focus, and Escape keeps the route.
  await coding.getByRole('button', { name: 'Delete route coding' }).click();
  const confirm = coding.getByRole('group', { name: 'Delete route coding?' });
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(coding.getByRole('button', { name: 'Delete route coding' })).toBeFocused();
  await coding.getByRole('button', { name: 'Delete route coding' }).click();
  await confirm.getByRole('button', { name: 'Delete route' }).click();
  await expect(coding).toHaveCount(0);
  // The chat's model list follows the settings: the deleted route is gone from it.
  await page.getByRole('link', { name: 'Chat' }).click();
  await expect(page.getByLabel('Model').locator('option[value="coding"]')).toHaveCount(0);
});

test("targets read in their strategy's terms, and a failing target is not called healthy", async ({ page }) => {
  await rpc(env.serve, 'routes', 'save', {
    name: 'split',
    strategy: 'weighted',
    targets: [
      { provider: 'acme', model: 'm1', weight: 3 },
      { provider: 'acme', model: 'm2', weight: 1 },
    ],
  });
  await rpc(env.serve, 'routes', 'save', {
    name: 'cheap',
    strategy: 'lowest-cost',
    targets: [
      { provider: 'acme', model: 'm1' },
      { provider: 'acme', model: 'm2' },
    ],
  });
  await openScreen(page, env.serve.uiUrl, 'routes');
  const screen = page.locator('[data-screen="routes"]');
  const split = screen.getByRole('region', { name: 'Route split' });
  await expect(split.getByRole('listitem')).toHaveText([/acme\/m1\s*weight 3 \(75%\)/, /acme\/m2\s*weight 1 \(25%\)/]);
  const cheap = screen.getByRole('region', { name: 'Route cheap' });
  await expect(cheap).toContainText('Targets cheapest first.');
  // No rank, no "first" or "fallback": order means nothing there.
  const items = [...(await split.getByRole('listitem').all()), ...(await cheap.getByRole('listitem').all())];
  for (const item of items) await expect(item).not.toContainText(/\bfirst\b(?! token)|fallback/);
  await expect(cheap.locator('.target-rank')).toHaveCount(0);

  // One failed attempt (503) leaves the breaker closed: the badge says the target is failing.
  env.fake.fault({ status: 503 });
  const fast = screen.getByRole('region', { name: 'Route fast' });
  await fast.getByRole('button', { name: 'Test route fast' }).click();
  await expect(fast.getByRole('status')).toContainText('✗');
  const target = fast.getByRole('listitem').first();
  await expect(target).toContainText('recent errors 503');
  await expect(target).toContainText('failing');
  await expect(target).not.toContainText('healthy');
  // A long result wraps inside its card.
  expect(await fast.getByRole('status').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  env.fake.fault(null);
  await rpc(env.serve, 'routes', 'remove', 'split');
  await rpc(env.serve, 'routes', 'remove', 'cheap');
});
