// The settings screen end to end: the theme choice applies at once, survives a reload, and
// "system" follows the operating system's colour scheme.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

test('theme: light, dark and system, kept across reloads; screens reachable by keyboard', async ({ page }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await openScreen(page, env.serve.uiUrl, 'settings');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('radio', { name: /Dark/ }).check();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(page.getByRole('radio', { name: /Dark/ })).toBeChecked();
  await page.getByRole('radio', { name: /System/ }).check();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(html).toHaveAttribute('data-theme', 'light');

  // Keyboard: Ctrl+2 opens Compare, and Tab reaches the sidebar links in order.
  await page.keyboard.press('Control+2');
  await expect(page.locator('[data-screen="compare"]')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Compare' })).toHaveAttribute('aria-current', 'page');
  await page.getByRole('link', { name: 'Chat' }).focus();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Compare' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-screen="spend"]')).toBeVisible();
  await page.getByRole('link', { name: 'Settings' }).click();

  await expectAccessible(page, 'settings');
  await saveScreens(page, testInfo, 'settings');
});
