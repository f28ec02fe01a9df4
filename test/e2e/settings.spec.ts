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

test('proxy, data folder and desktop preferences are kept by the engine', async ({ page }, testInfo) => {
  await openScreen(page, env.serve.uiUrl, 'settings');
  const screen = page.locator('[data-screen="settings"]');
  await expect(screen.getByTestId('data-dir')).toHaveText(env.serve.dataDir);
  // A bad proxy is refused with the reason; a good one is saved and survives a reload.
  await screen.getByLabel('Proxy URL', { exact: true }).fill('not a proxy');
  await screen.getByRole('button', { name: 'Save proxy' }).click();
  await expect(screen.getByRole('alert')).toContainText('a proxy URL like');
  await screen.getByLabel('Proxy URL', { exact: true }).fill('http://127.0.0.1:3128');
  await screen.getByLabel('Proxy URL', { exact: true }).press('Enter');
  await expect(screen.getByRole('status')).toHaveText('Saved: proxy.');
  await screen.getByLabel('Provider proxy URL').fill('http://127.0.0.1:8080');
  await screen.getByRole('button', { name: 'Save provider proxy' }).click();
  await expect(screen.getByRole('listitem').filter({ hasText: 'acme' })).toContainText('http://127.0.0.1:8080');
  await screen.getByRole('checkbox', { name: /Start Switchboard when I log in/ }).check();
  await screen.getByRole('checkbox', { name: /keeps Switchboard and the port running in the tray/ }).check();
  await expect(screen.getByRole('status')).toHaveText('Saved: tray behaviour.');

  await page.reload();
  await expect(screen.getByLabel('Proxy URL', { exact: true })).toHaveValue('http://127.0.0.1:3128');
  await expect(screen.getByRole('checkbox', { name: /Start Switchboard when I log in/ })).toBeChecked();
  await expect(screen.getByRole('checkbox', { name: /running in the tray/ })).toBeChecked();
  await expect(screen.getByRole('listitem').filter({ hasText: 'acme' })).toContainText('http://127.0.0.1:8080');
  // Back to direct connections, so nothing else in this server goes through a proxy that is not there.
  await screen.getByLabel('Proxy URL', { exact: true }).fill('');
  await screen.getByRole('button', { name: 'Save proxy' }).click();
  await expect(screen.getByRole('status')).toHaveText('Saved: direct connections.');
  await expectAccessible(page, 'settings');
  await saveScreens(page, testInfo, 'settings-preferences');
});
