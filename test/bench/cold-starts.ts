// Cold starts of the port: spawn of `node dist/cli.cjs serve` to its first answer, on a data dir with a
// ledger already holding rows, the way a user's restart finds it.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { children, freePort, sleep, stop } from './bench-processes';
import { seedLedger } from './ledger-fixtures';
import { cliPath, prepareDataDir } from './switchboard-serve';

/** Spawn to the first 200 from GET /v1/models, for each of `starts` starts of serve on a data dir seeded with `ledgerRows` rows. */
export async function coldStarts(config: unknown, starts: number, ledgerRows: number): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-bench-cold-'));
  const agent = new Agent({ connections: 1 });
  try {
    await seedLedger(dir, ledgerRows);
    const setup = prepareDataDir(dir, config);
    const times: number[] = [];
    for (let i = 0; i < starts; i++) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/v1/models`;
      const t0 = performance.now();
      const child = spawn(process.execPath, [cliPath(), 'serve', '--port', String(port), '--config', setup.configFile], {
        env: setup.env,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      try {
        let answered = NaN;
        // Polled every few ms: a refused connection costs the poller little, and the start is not slowed.
        while (Number.isNaN(answered) && performance.now() - t0 < 10_000 && child.exitCode === null) {
          let res;
          try {
            res = await request(url, { headers: { authorization: `Bearer ${setup.token}` }, dispatcher: agent });
          } catch {
            await sleep(5); // not listening yet
            continue;
          }
          const text = await res.body.text();
          if (res.statusCode !== 200) throw new Error(`GET /v1/models answered ${res.statusCode}: ${text}`);
          answered = performance.now() - t0;
        }
        if (Number.isNaN(answered)) throw new Error('switchboard serve did not answer within 10 s of its start');
        times.push(answered);
      } finally {
        await stop(child);
      }
    }
    return times;
  } finally {
    await agent.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
