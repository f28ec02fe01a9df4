// A new user's first run, on a fresh data dir: every screen says what to do next and goes there; a
// provider is added from the keyboard alone (an OpenAI-compatible preset pointed at the OpenAI fake,
// with a pasted key, its models fetched and priced from the bundled catalog, one price typed in);
// Chat's model picker has its models at once (no reload), a chat gets a priced reply, a compare runs,
// and a tool's request shows in the Port log and every request in Spend. Twice: with the OS keychain
// (CI runs inside a D-Bus session with gnome-keyring) and without one, where the key is kept for the
// session only and the page explains how to get a keychain, never showing the system's error.
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { startOpenAIFake, type OpenAIFake } from '../fakes/openai-fake';
import { portChat, rpc } from './helpers/app-rpc';
import { pickModel } from './helpers/model-picker';
import { expectAccessible, saveScreens } from './helpers/screens';
import { startServe, type ServeHandle } from './helpers/serve';

const KEY = 'sk-first-run-0123456789abcdWXYZ';
const REPLY = 'Hello from acme, through Switchboard.';

let fake: OpenAIFake;
let serve: ServeHandle | undefined;

test.beforeAll(async () => {
  fake = await startOpenAIFake({ reply: REPLY, chunks: 3, apiKey: KEY, models: ['gpt-4o-mini', 'house-model'] });
});
test.afterEach(async () => {
  // Takes the key out of the keychain again (the provider's removal deletes it).
  if (serve) await rpc(serve, 'providers', 'remove', 'acme').catch(() => undefined);
  await serve?.stop();
  serve = undefined;
});
test.afterAll(async () => fake?.close());

/** Presses Tab until `target` has focus: proof it is reachable from the keyboard, in page order. */
async function tabTo(page: Page, target: Locator, most = 60): Promise<void> {
  for (let i = 0; i < most; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

async function emptyScreensLead(page: Page, testInfo: TestInfo): Promise<void> {
  await page.goto(serve!.uiUrl);
  const chat = page.locator('[data-screen="chat"]');
  await expect(chat.getByRole('heading', { name: 'Add a provider to start chatting' })).toBeVisible();
  await expectAccessible(page, 'chat');
  await saveScreens(page, testInfo, 'first-run-chat');
  // Each screen says what to do next, with a way there.
  const expectations: Array<[string, RegExp]> = [
    ['compare', /Nothing to compare yet/],
    ['spend', /No requests yet/],
    ['routes', /Routes need a provider first/],
    ['port', /No models for your tools yet/],
  ];
  for (const [screen, title] of expectations) {
    await page
      .locator('nav')
      .getByRole('link', { name: new RegExp(`^${screen}$`, 'i') })
      .click();
    const shown = page.locator(`[data-screen="${screen}"]`);
    await expect(shown.getByRole('heading', { name: title })).toBeVisible();
    await expect(shown.getByRole('link', { name: 'Add a provider' })).toHaveAttribute('href', '#providers');
  }
  await saveScreens(page, testInfo, 'first-run-port');
  await page
    .locator('nav')
    .getByRole('link', { name: /^chat$/i })
    .click();
}

/** The add-provider flow, keyboard only, from Chat's empty state. */
async function addProviderByKeyboard(page: Page, testInfo: TestInfo, sessionOnly: boolean): Promise<void> {
  const chat = page.locator('[data-screen="chat"]');
  await tabTo(page, chat.getByRole('link', { name: 'Add a provider' }));
  await page.keyboard.press('Enter');

  const providers = page.locator('[data-screen="providers"]');
  const flow = providers.getByRole('region', { name: 'Add a provider' });
  await expect(flow).toBeVisible(); // a first run opens straight on the flow
  const notice = providers.getByRole('region', { name: 'Keys are kept for this session only' });
  if (sessionOnly) {
    await expect(notice).toContainText('kept in memory for this session only');
    await notice.getByText('How to keep keys after a restart').click();
    await expect(notice).toContainText('GNOME Keyring');
    await expect(notice).toContainText('KWallet');
    await expect(notice).toContainText('environment variable');
  } else {
    await expect(notice).toHaveCount(0);
  }

  const type = flow.getByRole('combobox', { name: 'Provider type' });
  await tabTo(page, type);
  // Type-ahead on a closed select picks the option from the keyboard.
  await page.keyboard.type('Other');
  await expect(type).toHaveValue('openai-compatible:custom');
  const id = flow.getByRole('textbox', { name: 'Provider id', exact: true });
  await tabTo(page, id);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('acme');
  await tabTo(page, flow.getByRole('textbox', { name: 'Base URL', exact: true }));
  await page.keyboard.type(fake.url);
  await expect(flow.getByRole('radio', { name: 'Paste a key' })).toBeChecked();
  const key = flow.getByLabel('API key');
  await tabTo(page, key);
  await expect(key).toHaveAccessibleDescription(sessionOnly ? /this session only/ : /OS keychain/);
  await page.keyboard.type(KEY);
  await page.keyboard.press('Enter');

  // Step 2: the API's models, priced from the bundled catalog where it knows them.
  const models = flow.getByRole('table', { name: 'Models of acme' });
  await expect(flow.getByRole('status').first()).toContainText('acme answered: 2 models listed. Key sk-…WXYZ.');
  await expect(flow.getByRole('heading', { name: 'Choose the models of acme' })).toBeFocused();
  const mini = models.getByRole('row', { name: /gpt-4o-mini/ });
  await expect(mini.getByRole('textbox', { name: 'Input price of gpt-4o-mini (USD per million tokens)', exact: true })).toHaveValue('0.15');
  await expect(mini.getByRole('textbox', { name: 'Output price of gpt-4o-mini (USD per million tokens)', exact: true })).toHaveValue('0.6');
  await expect(mini.getByRole('textbox', { name: 'Context window of gpt-4o-mini (tokens)', exact: true })).toHaveValue('128000');
  await expect(mini).toContainText('as openai/gpt-4o-mini');
  await expect(models.getByRole('row', { name: /house-model/ })).toContainText('no price known');
  // The house model is unknown to the catalog: its price is typed in.
  await tabTo(page, models.getByRole('textbox', { name: 'Input price of house-model (USD per million tokens)', exact: true }));
  await page.keyboard.type('1');
  await page.keyboard.press('Tab');
  await page.keyboard.type('3');
  await expectAccessible(page, 'providers');
  await saveScreens(page, testInfo, sessionOnly ? 'first-run-models-session' : 'first-run-models');
  await tabTo(page, flow.getByRole('button', { name: 'Add provider with 2 models' }));
  await page.keyboard.press('Enter');

  const done = providers.getByRole('region', { name: 'acme is ready with 2 models' });
  await expect(done).toContainText(sessionOnly ? 'kept for this session only' : 'in your OS keychain');
  await expect(done.getByRole('heading')).toBeFocused();
  const card = providers.getByRole('region', { name: 'Provider acme' });
  await expect(card).toContainText(sessionOnly ? 'this session only' : 'keychain');
  await expect(card).toContainText(sessionOnly ? 'not kept after restart' : 'present');
  await expect(card).toContainText('sk-…WXYZ');
  await expect(card.getByRole('row', { name: /^house-model/ })).toContainText('$1');
  await expect(card.getByRole('row', { name: /^gpt-4o-mini/ })).toContainText('$0.15');
  expect(await page.content()).not.toContain(KEY);
  // Never the system's own words, never another provider's env variable.
  expect(await page.content()).not.toMatch(/DBus error|secure storage failure|org\.freedesktop|OPENAI_API_KEY/);
  await saveScreens(page, testInfo, sessionOnly ? 'first-run-added-session' : 'first-run-added');

  // The price editor, from the keyboard: the house model's input price changes.
  await tabTo(page, card.getByRole('button', { name: 'Edit price of house-model' }));
  await page.keyboard.press('Enter');
  const editor = card.getByRole('form', { name: 'Price of acme/house-model' });
  await expect(editor.getByRole('textbox', { name: 'Input', exact: true })).toBeFocused();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('2');
  await page.keyboard.press('Enter');
  await expect(card.getByRole('row', { name: /^house-model/ })).toContainText('your price');
  await expect(card.getByRole('row', { name: /^house-model/ })).toContainText('$2');

  await tabTo(page, done.getByRole('link', { name: 'Chat with it' }));
  await page.keyboard.press('Enter');
}

async function useIt(page: Page, testInfo: TestInfo, label: string): Promise<void> {
  // Chat: the picker has the new models without a reload; the reply is priced.
  const chat = page.locator('[data-screen="chat"]');
  await expect(chat.getByRole('heading', { name: 'Start a conversation' })).toBeVisible();
  await pickModel(page, 'acme/house-model');
  const message = chat.getByRole('textbox', { name: 'Message', exact: true });
  await message.fill('Say hello');
  await message.press('Enter');
  const answer = chat.getByTestId('assistant-message').last();
  await expect(answer).toContainText(REPLY);
  await expect(answer).toContainText('acme/house-model');
  await expect(answer).toContainText('$');

  // Compare: both models side by side.
  await page
    .locator('nav')
    .getByRole('link', { name: /^compare$/i })
    .click();
  const compare = page.locator('[data-screen="compare"]');
  await expect(compare.getByRole('heading', { name: /Nothing to compare yet/ })).toHaveCount(0);
  for (const id of ['acme/gpt-4o-mini', 'acme/house-model']) {
    const box = compare.getByRole('combobox', { name: 'Add a model' });
    await box.click();
    await box.fill(id);
    await page.getByRole('listbox').getByRole('option', { name: id, exact: true }).click();
    await expect(compare.getByRole('list', { name: 'Chosen models' })).toContainText(id);
  }
  await compare.getByRole('textbox', { name: 'Prompt', exact: true }).fill('Who are you?');
  await compare.getByRole('button', { name: /Run compare/ }).click();
  await expect(compare.getByText(REPLY)).toHaveCount(2);

  // A tool on the port, with a token made on the Port screen: the live log shows its request.
  await page
    .locator('nav')
    .getByRole('link', { name: /^port$/i })
    .click();
  const port = page.locator('[data-screen="port"]');
  await expect(port.getByRole('heading', { name: /No models for your tools yet/ })).toHaveCount(0);
  await port.getByRole('textbox', { name: 'Token name', exact: true }).fill('editor');
  await port.getByRole('textbox', { name: 'Token name', exact: true }).press('Enter');
  const token = (await port.getByTestId('new-token').textContent())!;
  expect((await portChat(serve!, token, 'acme/gpt-4o-mini')).status).toBe(200);
  await expect(port.getByTestId('port-request').first()).toContainText('editor');
  await expect(port.getByTestId('port-request').first()).toContainText('acme/gpt-4o-mini');

  // Spend: every request so far (chat, two compare columns, the tool's), priced.
  await page
    .locator('nav')
    .getByRole('link', { name: /^spend$/i })
    .click();
  const spend = page.locator('[data-screen="spend"]');
  await expect(spend.getByRole('heading', { name: 'No requests yet' })).toHaveCount(0);
  await expect(spend.getByRole('region', { name: 'Today' })).toContainText('4 requests');
  await expect(spend.getByTestId('total-today')).toHaveText(/^(\$\d|<\$0\.0001$)/); // priced: an amount, never "unknown"
  await expect(spend.getByRole('region', { name: 'Breakdown' })).toContainText('acme/house-model');
  await expect(spend.getByRole('region', { name: 'Breakdown' })).toContainText('acme/gpt-4o-mini');
  await saveScreens(page, testInfo, label);
}

test('first run with the OS keychain: add a provider by keyboard, chat, compare, port log, spend', async ({ page }, testInfo) => {
  // A whole first session (add a provider, chat, compare, a tool, spend): longer than one step's default budget on a loaded machine.
  test.setTimeout(120_000);
  serve = await startServe({});
  await emptyScreensLead(page, testInfo);
  await addProviderByKeyboard(page, testInfo, false);
  const [provider] = await rpc<Array<{ keys: Array<{ source: string }> }>>(serve, 'providers', 'list');
  expect(provider?.keys[0]?.source).toBe('keychain');
  await useIt(page, testInfo, 'first-run-spend');
});

test('first run without a keychain: the key is kept for the session, and the page says how to get a keychain', async ({
  page,
}, testInfo) => {
  // A whole first session (add a provider, chat, compare, a tool, spend): longer than one step's default budget on a loaded machine.
  test.setTimeout(120_000);
  // A session bus address that cannot exist: the keyring library finds no Secret Service, as on a bare server.
  serve = await startServe({ env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/switchboard-e2e-bus' } });
  await page.goto(serve.uiUrl);
  await addProviderByKeyboard(page, testInfo, true);
  const [provider] = await rpc<Array<{ keys: Array<{ source: string }> }>>(serve, 'providers', 'list');
  expect(provider?.keys[0]?.source).toBe('session');
  await useIt(page, testInfo, 'first-run-spend-session');
});

test('screens follow changes made elsewhere (another window, the CLI) without a reload or Refresh', async ({ page }) => {
  serve = await startServe({
    env: { ACME_KEY: KEY },
    config: {
      providers: [
        {
          id: 'acme',
          kind: 'openai-compatible',
          baseUrl: fake.url,
          keys: [{ env: 'ACME_KEY' }],
          models: [{ id: 'house-model', price: { input: 1, output: 3 } }],
        },
      ],
      routes: [],
    },
  });
  await page.goto(serve.uiUrl);
  await pickModel(page, 'acme/house-model');
  // Each change below is made through the engine, not this page: the page hears of it and reloads what it shows.
  await rpc(serve, 'providers', 'addModels', 'acme', [{ id: 'gpt-4o-mini' }]);
  await pickModel(page, 'acme/gpt-4o-mini');

  await page
    .locator('nav')
    .getByRole('link', { name: /^routes$/i })
    .click();
  const routes = page.locator('[data-screen="routes"]');
  await expect(routes.getByRole('heading', { name: 'No routes yet' })).toBeVisible();
  await rpc(serve, 'routes', 'save', { name: 'fast', strategy: 'fallback', targets: [{ provider: 'acme', model: 'house-model' }] });
  await expect(routes.getByRole('region', { name: 'Route fast' })).toBeVisible();

  await page
    .locator('nav')
    .getByRole('link', { name: /^port$/i })
    .click();
  const port = page.locator('[data-screen="port"]');
  await expect(port.getByRole('table', { name: 'Tokens' })).toBeVisible();
  await rpc(serve, 'tokens', 'create', { name: 'cli-tool' });
  await expect(port.getByRole('table', { name: 'Tokens' }).getByRole('row', { name: /cli-tool/ })).toBeVisible();

  await page
    .locator('nav')
    .getByRole('link', { name: /^providers$/i })
    .click();
  const row = page.locator('[data-screen="providers"]').getByRole('row', { name: /^house-model/ });
  await expect(row).toContainText('$1');
  await rpc(serve, 'catalog', 'setOverride', 'acme/house-model', { input: 5, output: 6 });
  await expect(row).toContainText('$5');
  await expect(row).toContainText('your price');
});
