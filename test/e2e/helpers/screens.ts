// Shared steps of the screen specs: an axe check with no serious or critical violations, and a
// screenshot (light and dark, dark axe-checked too) saved to test-results/screens/<screen>.png for review.
import { mkdir } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).include(`[data-screen="${screen}"]`).include('nav').analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export async function saveScreens(page: Page, testInfo: TestInfo, screen: string): Promise<void> {
  await mkdir('test-results/screens', { recursive: true });
  const light = await page.screenshot({ path: `test-results/screens/${screen}.png`, animations: 'disabled' });
  await testInfo.attach(screen, { body: light, contentType: 'image/png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  // Dark has its own colours, so its contrast is checked too.
  await expectAccessible(page, screen);
  const dark = await page.screenshot({ path: `test-results/screens/${screen}-dark.png`, animations: 'disabled' });
  await testInfo.attach(`${screen}-dark`, { body: dark, contentType: 'image/png' });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Opens the UI with its admin token on the given screen. */
export async function openScreen(page: Page, uiUrl: string, screen: string): Promise<void> {
  await page.goto(`${uiUrl}#${screen}`);
  await expect(page.locator(`[data-screen="${screen}"]`)).toBeVisible();
}
