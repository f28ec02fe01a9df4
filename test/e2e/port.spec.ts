// The port screen end to end: the address, a client token created (shown once, copied), used by a
// tool through the port, visible in the live request log (what it asked for, a row opened to its
// attempts) and in the token's spend without a Refresh, refused by a budget (said so), then revoked
// (the port refuses it at once); setup snippets carry the port, a model name and the new token, and
// setup steps show code as code.
import { expect, test } from '@playwright/test';
import { rpc } from './helpers/app-rpc';
import { expectAccessible, openScreen, saveScreens } from './helpers/screens';
import { startOneProvider } from './helpers/one-provider';

let env: Awaited<ReturnType<typeof startOneProvider>>;
test.beforeAll(async () => void (env = await startOneProvider()));
test.afterAll(async () => env?.stop());

const ask = (token: string, model = 'default') =>
  fetch(`${env.serve.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello' }] }),
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

  // A tool uses it: the live log shows the request, and the token's spend counts it, with no Refresh.
  const res = await ask(token);
  expect(res.status).toBe(200);
  const log = screen.getByTestId('port-request');
  await expect(log.first()).toContainText('cursor');
  await expect(log.first()).toContainText('acme/m1');
  const row = screen.getByRole('table', { name: 'Tokens' }).getByRole('row', { name: /cursor/ });
  await expect(row.getByRole('cell')).toHaveText(['cursor', `${token.slice(0, 8)}…`, /\d/, '1', '<$0.0001', 'Revoke']);

  // "Asked for" is the model name the tool sent: a route, or a provider/model id.
  expect((await ask(token, 'acme/m2')).status).toBe(200);
  await expect(log).toHaveCount(2);
  await expect(log.nth(0).getByRole('cell').nth(2)).toHaveText('acme/m2');
  await expect(log.nth(1).getByRole('cell').nth(2)).toHaveText('default');
  await expect(row.getByRole('cell').nth(3)).toHaveText('2');

  // A row opens to its detail: what was asked, who answered, every attempt.
  await log
    .nth(1)
    .getByRole('button', { name: /^Details of the request/ })
    .click();
  const detail = screen.getByTestId('request-detail');
  await expect(detail).toContainText('Asked fordefault');
  await expect(detail.getByRole('list', { name: /Attempts of request/ }).getByRole('listitem')).toHaveText([/acme\/m1.*HTTP 200/]);

  // A hard budget refuses the next request: the log says a budget refused it (not "402 error"), and why.
  await rpc(env.serve, 'budgets', 'set', [{ name: 'cursor cap', client: 'cursor', period: 'daily', mode: 'hard', usd: 0.000001 }]);
  expect((await ask(token)).status).toBe(402);
  await expect(log).toHaveCount(3);
  await expect(log.first().getByRole('cell').nth(4)).toHaveText('402 refused by budget');
  await log
    .first()
    .getByRole('button', { name: /^Details of the request/ })
    .click();
  await expect(detail).toContainText('Refused by a budget: hard budget "cursor cap"');
  await expect(detail).toContainText('None: the request was not sent upstream.');
  await rpc(env.serve, 'budgets', 'set', []);

  // Snippets: the port's address, a real model name and the token just created.
  await screen.getByRole('tab', { name: 'OpenAI SDK (JavaScript, Python)' }).click();
  await expect(screen.getByTestId('snippet').first()).toContainText(`${env.serve.url}/v1`);
  await expect(screen.getByTestId('snippet').first()).toContainText(token);

  // Setup steps show `code` as code, not as backticks.
  await screen.getByRole('tab', { name: 'Claude Code' }).click();
  const steps = screen.locator('.guide-steps');
  await expect(steps.locator('code').first()).toHaveText('claude');
  await expect(steps).not.toContainText('`');

  await expectAccessible(page, 'port');
  await saveScreens(page, testInfo, 'port');

  // Revoke: the port refuses the token at once.
  await screen.getByRole('button', { name: 'Revoke token cursor' }).click();
  await expect(screen.getByRole('table', { name: 'Tokens' })).toContainText('No tokens yet');
  await expect(screen.getByTestId('new-token')).toHaveCount(0);
  expect((await ask(token)).status).toBe(401);
});
