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
const shellTypes = existsSync('node_modules/electron/electron.d.ts');
if (!shellTypes) console.log('\nnote: the electron package is not installed, so the Electron shell is typechecked without it (tsconfig.headless.json).');
step('typecheck', ['node_modules/typescript/bin/tsc', '-p', shellTypes ? 'tsconfig.json' : 'tsconfig.headless.json', '--noEmit']);
const built = step('build', ['scripts/build.mjs']);
step('unit and integration tests (vitest)', ['node_modules/vitest/vitest.mjs', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json']);
if (built) step('browser tests (playwright)', ['node_modules/@playwright/test/cli.js', 'test']);
else console.log('\nbrowser tests not run: the build failed');

let passed = 0, failed = 0, skipped = 0;
if (existsSync('test-results/unit.json')) {
  const r = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
  passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (existsSync('test-results/e2e.json')) {
  const s = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats;
  passed += s.expected + s.flaky; failed += s.unexpected; skipped += s.skipped;
}
console.log(`\n== summary\n${steps.join('\n')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failedSteps > 0 || failed > 0 || passed === 0 ? 1 : 0);
