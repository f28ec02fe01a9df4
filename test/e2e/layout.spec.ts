// Every screen at 900x600, 1280x800 and 1600x1000, light and dark, with real data in it (requests,
// a conversation, a four-way compare, tokens, a budget): no sideways page scroll, no serious axe
// violation, and a screenshot of each kept in test-results/screens/layout/. One engine, one page.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { appChat, portChat, rpc } from './helpers/app-rpc';
import { startServe, type ServeHandle } from './helpers/serve';

const REPLY = [
  'Here is a considered answer with a table and some code, long enough to wrap on a narrow window.',
  '',
  '| strategy | when to use it |',
  '|---|---|',
  '| fallback | an ordered list of targets, the first healthy one answers |',
  '| weighted | share traffic between targets by weight |',
  '',
  '```ts',
  "const route = { name: 'default', strategy: 'fallback', targets: [{ provider: 'acme', model: 'm1' }, { provider: 'acme', model: 'm2' }] };",
  '```',
].join('\n');

const SIZES = [
  { width: 900, height: 600 },
  { width: 1280, height: 800 },
  { width: 1600, height: 1000 },
];
const THEMES = ['light', 'dark'] as const;
// Team is shown only in team mode (`serve --ledger postgres://…`); this engine is not, so it has no Team screen.
const SCREENS = ['chat', 'compare', 'spend', 'providers', 'routes', 'port', 'settings'];

let fake: OpenAIFake;
let serve: ServeHandle;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: REPLY, chunks: 6, models: ['m1', 'm2', 'm3', 'm4'], apiKey: 'sk-layout-1234567890' });
  serve = await startServe({
    env: { ACME_KEY: 'sk-layout-1234567890' },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [
            { id: 'm1', price: { input: 1, output: 2 } },
            { id: 'm2', price: { input: 3, output: 15 } },
            { id: 'm3', price: { input: 0.1, output: 0.4 } },
            { id: 'm4-with-a-rather-long-model-identifier-2026-01-01', price: { input: 2, output: 8 } },
          ],
        },
        { id: 'backup', kind: 'anthropic', models: [{ id: 'claude-x', price: { input: 3, output: 15 } }] },
      ],
      routes: [
        {
          name: 'default',
          strategy: 'fallback',
          targets: [
            { provider: 'acme', model: 'm1' },
            { provider: 'acme', model: 'm2' },
          ],
        },
        {
          name: 'balanced',
          strategy: 'weighted',
          targets: [
            { provider: 'acme', model: 'm1', weight: 3 },
            { provider: 'acme', model: 'm3', weight: 1 },
          ],
        },
        {
          name: 'cheapest',
          strategy: 'lowest-cost',
          targets: [
            { provider: 'acme', model: 'm2' },
            { provider: 'acme', model: 'm3' },
          ],
        },
      ],
    },
  });
  // Data on every screen: chat requests (a conversation), port requests with a client token, a budget.
  for (const model of ['acme/m1', 'acme/m2', 'default', 'acme/m3'])
    await appChat(serve, model, 'Compare the routing strategies, with an example config');
  const { token } = await rpc<{ token: string }>(serve, 'tokens', 'create', { name: 'cursor-on-the-laptop' });
  for (const model of ['default', 'acme/m2', 'balanced']) await portChat(serve, token, model);
  await rpc(serve, 'budgets', 'set', [{ name: 'team-monthly', period: 'monthly', mode: 'soft', usd: 5 }]);
});

test.afterAll(async () => {
  await serve?.stop();
  await fake?.close();
});

async function noSidewaysScroll(page: Page, screen: string, label: string): Promise<void> {
  const widths = await page.evaluate((id) => {
    const doc = document.scrollingElement!;
    const el = document.querySelector<HTMLElement>(`[data-screen="${id}"]`)!;
    return { doc: [doc.scrollWidth, doc.clientWidth], screen: [el.scrollWidth, el.clientWidth] };
  }, screen);
  expect(widths.doc[0], `${label}: the page scrolls sideways`).toBeLessThanOrEqual(widths.doc[1]!);
  expect(widths.screen[0], `${label}: the screen scrolls sideways`).toBeLessThanOrEqual(widths.screen[1]!);
}

/** axe-core injected once into the page (the page is never reloaded): a run then costs ~0.3 s, not ~2 s. */
async function injectAxe(page: Page): Promise<void> {
  await page.evaluate(await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
}

async function seriousViolations(page: Page, screen: string): Promise<string[]> {
  return page.evaluate(async (id) => {
    type Result = { violations: Array<{ id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<Result> } }).axe;
    const results = await axe.run({ include: [[`[data-screen="${id}"]`], ['nav']] }, { resultTypes: ['violations'] });
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, screen);
}

test('every screen fits 900x600 to 1600x1000 in both themes, accessible, with screenshots', async ({ page }, testInfo) => {
  test.setTimeout(90_000);
  await mkdir('test-results/screens/layout', { recursive: true });
  await page.setViewportSize(SIZES[0]!);
  await page.goto(`${serve.uiUrl}#chat`);
  // A conversation open in chat, and a four-way compare that has finished.
  await page
    .locator('[data-screen="chat"]')
    .getByRole('button', { name: /Compare the routing strategies/ })
    .first()
    .click();
  await expect(page.locator('[data-screen="chat"] .message-assistant').first()).toBeVisible();
  await page.getByRole('link', { name: 'Compare' }).click();
  const compare = page.locator('[data-screen="compare"]');
  for (const id of ['acme/m1', 'acme/m2', 'acme/m3', 'default']) {
    await compare.getByRole('combobox', { name: 'Add a model' }).fill(id);
    await compare.getByRole('combobox', { name: 'Add a model' }).press('Enter');
  }
  await compare.getByRole('textbox', { name: 'Prompt' }).fill('Compare the routing strategies, with an example config');
  await compare.getByRole('button', { name: 'Run compare' }).click();
  await expect(compare.locator('[data-testid="compare-column"][data-status="done"]')).toHaveCount(4, { timeout: 20_000 });

  await injectAxe(page);
  const problems: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
      for (const screen of SCREENS) {
        const label = `${screen} ${size.width}x${size.height} ${theme}`;
        await page.evaluate((id) => (window.location.hash = id), screen);
        const root = page.locator(`[data-screen="${screen}"]`);
        await expect(root.locator('h1')).toBeVisible();
        // Screens load their data when shown; wait until nothing says it is loading.
        await expect(root.getByText('Loading…')).toHaveCount(0);
        await noSidewaysScroll(page, screen, label);
        for (const v of await seriousViolations(page, screen)) problems.push(`${label}: ${v}`);
        const shot = await page.screenshot({
          path: `test-results/screens/layout/${screen}-${size.width}x${size.height}-${theme}.png`,
          animations: 'disabled',
        });
        if (size.width === 900) await testInfo.attach(`${screen}-900-${theme}`, { body: shot, contentType: 'image/png' });
      }
    }
  }
  expect(problems).toEqual([]);
  // Every screen has loaded by now, team.status() with them: outside team mode there is no Team link.
  await expect(page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Team' })).toHaveCount(0);

  // Unfolded by hand at 900 px, the sidebar still leaves every screen without a sideways scroll.
  await page.setViewportSize(SIZES[0]!);
  await page.getByRole('button', { name: 'Expand sidebar' }).click();
  for (const screen of SCREENS) {
    await page.evaluate((id) => (window.location.hash = id), screen);
    await expect(page.locator(`[data-screen="${screen}"] h1`)).toBeVisible();
    await noSidewaysScroll(page, screen, `${screen} 900x600, sidebar unfolded`);
  }
  await page.getByRole('button', { name: 'Collapse sidebar' }).click();
});

test('keyboard: a skip link, focus on each new screen, a collapsible sidebar, one Tab stop per conversation', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await page.goto(`${serve.uiUrl}#chat`);
  await expect(page.locator('[data-screen="chat"] h1')).toBeVisible();
  // The skip link comes first in the Tab order (before the sections), shows when focused, and takes
  // focus to the screen's heading. (The chat's composer has focus on load, so go back from the sections.)
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Chat' }).focus();
  await page.keyboard.press('Shift+Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-screen="chat"] h1')).toBeFocused();

  const nav = page.getByRole('navigation', { name: 'Sections' });
  // At 900 px the sidebar is an icon rail (its links keep their names); it expands on demand.
  expect((await nav.boundingBox())!.width).toBeLessThan(80);
  await expect(nav.getByRole('link', { name: 'Spend' })).toBeVisible();
  const toggle = nav.getByRole('button', { name: 'Expand sidebar' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(nav.getByRole('button', { name: 'Collapse sidebar' })).toHaveAttribute('aria-expanded', 'true');
  expect((await nav.boundingBox())!.width).toBeGreaterThan(180);
  await nav.getByRole('button', { name: 'Collapse sidebar' }).click();

  // A new screen's heading takes focus, by link or by shortcut.
  await nav.getByRole('link', { name: 'Spend' }).click();
  await expect(page.locator('[data-screen="spend"] h1')).toBeFocused();
  await page.keyboard.press('Control+5');
  await expect(page.locator('[data-screen="routes"] h1')).toBeFocused();
  await expect(page).toHaveTitle('Routes · Switchboard');

  // Conversations: one Tab stop each; the arrows reach a row's tools, F2 renames, Escape comes back.
  await nav.getByRole('link', { name: 'Chat' }).click();
  const list = page.getByRole('complementary', { name: 'Conversations' });
  const rows = list.locator('.conversation-open');
  await expect(rows).toHaveCount(4);
  await rows.nth(0).focus();
  await page.keyboard.press('Tab');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(
    list
      .locator('li')
      .nth(1)
      .getByRole('button', { name: /^Rename / }),
  ).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(rows.nth(1)).toBeFocused();
  await page.keyboard.press('F2');
  await expect(list.getByRole('textbox', { name: 'Conversation name' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(rows.nth(1)).toBeFocused();
});
