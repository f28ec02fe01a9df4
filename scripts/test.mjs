// `npm test`: lint, typecheck, build, unit + integration tests (vitest), browser tests (Playwright).
// Ends with one line `N passed, N failed, N skipped` summed over both runners, and a non-zero exit
// if any step failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync } from 'node:fs';

const node = process.execPath;
const steps = [];
let failedSteps = 0;

function step(name, args, env = {}) {
  console.log(`\n== ${name}`);
  const result = spawnSync(node, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  if (!ok) failedSteps++;
  steps.push(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
  return ok;
}

mkdirSync('test-results', { recursive: true });
for (const f of ['test-results/unit.json', 'test-results/e2e.json']) rmSync(f, { force: true });

step('lint', ['node_modules/eslint/bin/eslint.js', '.']);
step('format (prettier --check; npm run format fixes it)', [
  'node_modules/prettier/bin/prettier.cjs',
  '--check',
  '--log-level',
  'warn',
  '.',
]);
const shellTypes = existsSync('node_modules/electron/electron.d.ts');
if (!shellTypes)
  console.log('\nnote: the electron package is not installed, so the Electron shell is typechecked without it (tsconfig.headless.json).');
step('typecheck', ['node_modules/typescript/bin/tsc', '-p', shellTypes ? 'tsconfig.json' : 'tsconfig.headless.json', '--noEmit']);
const built = step('build', ['scripts/build.mjs']);
// The coding agents test/clients/ runs are a package of their own (large, test-only): install them once.
if (!existsSync('test/clients/agents/node_modules/.bin/claude')) {
  console.log('\n== installing the coding agents the client tests run (test/clients/agents, once)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: 'test/clients/agents', stdio: 'inherit' });
  if (r.status !== 0) console.log('the agents did not install: their tests will say which program is missing');
}
step('unit and integration tests (vitest)', [
  'node_modules/vitest/vitest.mjs',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=test-results/unit.json',
]);
if (built) step('browser tests (playwright)', ['node_modules/@playwright/test/cli.js', 'test']);
else console.log('\nbrowser tests not run: the build failed');

let passed = 0,
  failed = 0,
  skipped = 0;
if (existsSync('test-results/unit.json')) {
  const r = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (existsSync('test-results/e2e.json')) {
  const s = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats;
  passed += s.expected + s.flaky;
  failed += s.unexpected;
  skipped += s.skipped;
}
console.log(`\n== summary\n${steps.join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps > 0 || failed > 0 || passed === 0 ? 1 : 0);
