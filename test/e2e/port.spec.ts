// The port screen end to end: the address tools should use, the model names, and a setup snippet
// naming this port and a real model name.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

test('shows the address, model names and snippets that work', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openScreen(page, env.serve.uiUrl, 'port');
  const screen = page.locator('[data-screen="port"]');
  await expect(screen.getByTestId('port-address')).toHaveText(`${env.serve.url}/v1`);
  await screen.getByRole('button', { name: 'Copy address' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${env.serve.url}/v1`);
  const names = screen.getByRole('region', { name: 'Model names' });
  await expect(names.getByRole('listitem')).toHaveText([/default/, /fast/, 'acme/m1', 'acme/m2', 'backup/claude-x']);

  await screen.getByRole('tab', { name: 'curl' }).click();
  const snippet = await screen.getByTestId('snippet').textContent();
  expect(snippet).toContain(`${env.serve.url}/v1/chat/completions`);

  // The snippet's body is a valid request for the first listed model name.
  const body = JSON.parse(/-d '(.+)'/.exec(snippet ?? '')?.[1] ?? 'null') as { model: string };
  expect(body.model).toBe('default');
  await screen.getByRole('tab', { name: 'OpenAI SDK (Python)' }).click();
  await expect(screen.getByTestId('snippet')).toContainText(`base_url="${env.serve.url}/v1"`);

  await expectAccessible(page, 'port');
  await saveScreens(page, testInfo, 'port');
});
