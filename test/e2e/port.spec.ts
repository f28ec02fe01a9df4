// The port screen end to end: the address, a client token created (shown once, copied), used by a
// tool through the port, visible in the live request log and in the token's spend, then revoked
// (the port refuses it at once); setup snippets carry the port, a model name and the new token.
import { expect, test } from '@playwright/test';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

const ask = (token: string) =>
  fetch(`${env.serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'default', messages: [{ role: 'user', content: 'hello' }] }),
  });

test('creates a token, sees it used in the log and its spend, revokes it; snippets work', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openScreen(page, env.serve.uiUrl, 'port');
  const screen = page.locator('[data-screen="port"]');
  await expect(screen.getByTestId('port-address')).toHaveText(`${env.serve.url}/v1`);
  // Under serve the UI lives on the port, so the switch is unavailable and says why.
  const portSwitch = screen.getByRole('button', { name: 'Turn port off' });
  await expect(portSwitch).toBeDisabled();
  await expect(portSwitch).toHaveAccessibleDescription(/UI is served from this port/);
  await screen.getByRole('button', { name: 'Copy address' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${env.serve.url}/v1`);
  const names = screen.getByRole('region', { name: 'Model names' });
  await expect(names.getByRole('listitem')).toHaveText([/default/, /fast/, 'acme/m1', 'acme/m2', 'backup/claude-x']);

  // Create a token from the keyboard; it is shown once and copied.
  await screen.getByRole('textbox', { name: 'Token name' }).fill('cursor');
  await screen.getByRole('textbox', { name: 'Token name' }).press('Enter');
  const shown = screen.getByTestId('new-token');
  await expect(shown).toHaveText(/^sbt_/);
  const token = (await shown.textContent())!;
  await screen.getByRole('button', { name: 'Copy token' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

  // A tool uses it: the live log shows the request, and the token's spend counts it.
  const res = await ask(token);
  expect(res.status).toBe(200);
  await expect(screen.getByTestId('port-request').first()).toContainText('cursor');
  await expect(screen.getByTestId('port-request').first()).toContainText('acme/m1');
  await screen.getByRole('button', { name: 'Refresh' }).click();
  const row = screen.getByRole('table', { name: 'Tokens' }).getByRole('row', { name: /cursor/ });
  await expect(row.getByRole('cell')).toHaveText(['cursor', `${token.slice(0, 8)}…`, /\d/, '1', /^\$0\.0000\d+$/, 'Revoke']);

  // Snippets: the port's address, a real model name and the token just created.
  await screen.getByRole('tab', { name: 'OpenAI SDK (JavaScript, Python)' }).click();
  await expect(screen.getByTestId('snippet').first()).toContainText(`${env.serve.url}/v1`);
  await expect(screen.getByTestId('snippet').first()).toContainText(token);

  await expectAccessible(page, 'port');
  await saveScreens(page, testInfo, 'port');

  // Revoke: the port refuses the token at once.
  await screen.getByRole('button', { name: 'Revoke token cursor' }).click();
  await expect(screen.getByRole('table', { name: 'Tokens' })).toContainText('No tokens yet');
  await expect(screen.getByTestId('new-token')).toHaveCount(0);
  expect((await ask(token)).status).toBe(401);
});
