// The desktop shell with Playwright's Electron support: the window is locked down (context
// isolation, sandbox, no Node in the page, the CSP <meta>), the preload exposes only the bridge,
// IPC answers the contract, and navigation/new windows are refused. It needs the Electron binary;
// where it is missing (CI containers install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) every test is
// skipped with that reason. The CSP part also runs in Chromium on the built page from file://.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { _electron as electron, chromium, expect, test } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');
const builtPage = join(root, 'dist/renderer/index.html');

/** The Electron binary's path, or why there is none. */
function electronBinary(): { path?: string; reason?: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown as string;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { reason: `the Electron binary is not installed (${String(path)} missing; installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1?)` };
  } catch (error) {
    return { reason: `the Electron binary is not installed (require('electron') says: ${(error as Error).message.split('\n')[0]})` };
  }
}

test('the built page carries a strict CSP and runs under it (Chromium, file://)', async () => {
  test.skip(!existsSync(builtPage), 'the renderer is not built (npm run build)');
  // Electron gives file:// pages the module-script access plain Chromium needs this switch for.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--allow-file-access-from-files'],
  });
  const page = await browser.newPage();
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.goto(pathToFileURL(builtPage).href);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-eval');
  // The bundle ran (React mounted the shell) with the policy in force, and nothing was blocked.
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  // An inline script is refused under this policy.
  const inlineRan = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inline = true';
    document.head.append(s);
    return (window as unknown as { __inline?: boolean }).__inline === true;
  });
  expect(inlineRan).toBe(false);
  expect(violations.filter((v) => !/inline|eval/i.test(v))).toEqual([]);
  await browser.close();
});

test.describe('Electron shell', () => {
  const binary = electronBinary();
  if (!binary.path) console.log(`electron.spec: skipping the Electron tests: ${binary.reason}`);
  test.skip(!binary.path, `Electron tests need the Electron binary: ${binary.reason}`);

  test('a locked-down window that talks to the engine over IPC only', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-electron-'));
    const app = await electron.launch({
      executablePath: binary.path,
      args: [join(root, 'dist/electron/main.js'), '--no-sandbox'],
      env: { ...process.env, SWITCHBOARD_DATA_DIR: dataDir, SWITCHBOARD_PORT: '0' },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByRole('navigation', { name: 'Sections' })).toBeVisible();
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        const p = (w.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> | null }).getLastWebPreferences();
        return { contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration };
      });
      expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      // No Node in the page; the bridge is the only thing the preload adds.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => Object.keys((window as unknown as { switchboard: object }).switchboard).sort())).toEqual([
        'rpc',
        'stream',
      ]);
      // A contract call answers; a call outside the allowlist is refused.
      const ok = await win.evaluate(() =>
        (window as unknown as { switchboard: { rpc(c: unknown): Promise<unknown> } }).switchboard.rpc({
          service: 'routes',
          method: 'list',
          params: [],
        }),
      );
      expect(ok).toEqual({ result: [] });
      const refused = await win.evaluate(() =>
        (window as unknown as { switchboard: { rpc(c: unknown): Promise<unknown> } }).switchboard.rpc({
          service: 'settings',
          method: 'constructor',
          params: [],
        }),
      );
      expect(refused).toMatchObject({ error: { message: expect.any(String) } });
      // The CSP meta is in the page the window loaded.
      expect(await win.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).not.toContain('unsafe-eval');
      // Navigation away is refused: the page stays the app.
      const before = win.url();
      await win.evaluate(() => (window.location.href = 'https://example.com/'));
      await win.waitForTimeout(300);
      expect(win.url()).toBe(before);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
