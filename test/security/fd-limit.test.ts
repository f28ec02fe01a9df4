// `switchboard serve` started under a low soft limit on open files runs with the hard limit (Node raises
// it at start), so the connection cap (gateway/connection-cap.ts, three quarters of it) has room.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { assertBuilt, repoRoot } from '../support/cli';

const linux = process.platform === 'linux';
if (!linux) console.log('fd-limit: skipped, /proc/<pid>/limits is Linux only');

const limitsOf = (pid: number) => {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'))!;
  const [soft, hard] = line.split(/\s+/).slice(3, 5).map(Number);
  return { soft: soft!, hard: hard! };
};

describe('the open-file limit of serve', () => {
  it.skipIf(!linux)(
    'a soft limit of 256 is raised to the hard limit at start',
    async () => {
      assertBuilt();
      const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-fd-'));
      const bin = resolve(repoRoot, 'bin/switchboard.js');
      const child = spawn('sh', ['-c', `ulimit -S -n 256 && exec "${process.execPath}" "${bin}" serve --port 0 --data-dir "${dataDir}"`], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      try {
        await new Promise<void>((ready, fail) => {
          const timer = setTimeout(() => fail(new Error('serve did not start within 15 s')), 15_000);
          child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
          createInterface({ input: child.stdout! }).on('line', (line) => {
            if (line.startsWith('listening on ')) {
              clearTimeout(timer);
              ready();
            }
          });
        });
        const { soft, hard } = limitsOf(child.pid!);
        expect(hard).toBeGreaterThan(256);
        expect(soft).toBe(hard);
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
