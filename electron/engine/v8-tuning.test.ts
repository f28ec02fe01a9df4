// The port's V8 tuning takes effect when set at run time: in a fresh process, a function on which it is
// called reaches optimized code after a fraction of the calls it needs with V8's defaults.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { tiersByInterruptBudget } from './v8-tuning';

const dir = mkdtempSync(join(tmpdir(), 'sb-v8-tuning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bundle = join(dir, 'v8-tuning.cjs');
buildSync({
  entryPoints: [join(__dirname, 'v8-tuning.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'silent',
});

/** Calls a small function until V8 reports it optimized (bit 16 of %GetOptimizationStatus): how many calls it took. */
function callsToOptimize(tuned: boolean): number {
  const script = `
    const { tuneV8ForGateway } = require(${JSON.stringify(bundle)});
    if (${tuned}) tuneV8ForGateway();
    function price(row) { return row.input * row.rate + row.output * row.outRate; }
    const row = { input: 12, rate: 2.5, output: 9, outRate: 10 };
    let calls = 0;
    while (calls < 2000000) {
      price(row);
      calls++;
      if (%GetOptimizationStatus(price) & 16) break;
    }
    console.log(calls);`;
  // Synchronous recompilation: the function is optimized the moment its budget says so, not when a thread gets to it.
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', '--no-concurrent-recompilation', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (run.status !== 0) throw new Error(`the probe process failed: ${run.stderr}`);
  return Number(run.stdout.trim());
}

describe('tuneV8ForGateway', () => {
  it('sends the budget flag only to V8 11, the version that tiers by it', () => {
    expect(tiersByInterruptBudget('11.3.244.8-node.38')).toBe(true);
    expect(tiersByInterruptBudget('12.4.254.21-node.33')).toBe(false);
    expect(tiersByInterruptBudget('14.2.231.21-electron.0')).toBe(false);
  });

  it.runIf(tiersByInterruptBudget())('gets code optimized after a fraction of the calls V8 needs by default', () => {
    const byDefault = callsToOptimize(false);
    const tuned = callsToOptimize(true);
    expect(byDefault).toBeLessThan(2_000_000);
    // A quarter of the budget: about a quarter of the calls (the ratio allows for V8's rounding).
    expect(tuned).toBeLessThan(byDefault / 2);
  });
});
