// Key files through the vault, against real files in a temp dir: present, missing, open to others
// (refused with the chmod to run), several lines, rotation picked up after the recheck interval, and
// never a byte of the file in a message. No keychain is touched: these keys never reach it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileKeys, FILE_KEY_RECHECK_MS, FileKeyError } from './file-keys';
import { createVault } from './vault';

const posix = process.platform !== 'win32';
let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-keyfile-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A fresh key file with this content and mode. */
function keyFile(content: string, mode = 0o600): string {
  const file = path.join(dir, `key-${++n}`);
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode); // the umask may have taken bits away from writeFileSync's mode
  return file;
}

/** The FileKeyError keysFor throws for these keys (fails the test if it throws nothing, or something else). */
function refusal(run: () => unknown): FileKeyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FileKeyError);
    return error as FileKeyError;
  }
  throw new Error('expected a FileKeyError');
}

describe('vault with key files', () => {
  it('reads the key, trimmed, labels it by path (or its label) and describes it masked with its path', () => {
    const file = keyFile('\uFEFFsk-file-0123456789abcd\r\n\n');
    const vault = createVault({ env: {} });
    expect(vault.keysFor('acme', [{ file }])).toEqual([{ label: file, secret: 'sk-file-0123456789abcd' }]);
    expect(vault.keysFor('acme', [{ file, label: 'prod' }])).toEqual([{ label: 'prod', secret: 'sk-file-0123456789abcd' }]);
    const described = vault.describe('acme', [{ file, label: 'prod' }]);
    expect(described).toEqual([{ label: 'prod', source: 'file', filePath: file, present: true, masked: 'sk-…abcd' }]);
    expect(JSON.stringify(described)).not.toContain('0123456789');
  });

  it('counts a missing file as absent, saying so, and still serves the provider’s other keys', () => {
    const file = path.join(dir, 'no-such-key');
    const vault = createVault({ env: { SB_ENV: 'sk-env-0123456789abcd' } });
    const error = refusal(() => vault.keysFor('acme', [{ file }]));
    expect(error).toMatchObject({ problem: 'missing', path: file, message: `key file ${file} does not exist` });
    expect(vault.describe('acme', [{ file }])).toEqual([
      { label: file, source: 'file', filePath: file, present: false, problem: `key file ${file} does not exist` },
    ]);
    expect(vault.keysFor('acme', [{ file }, { env: 'SB_ENV' }])).toEqual([{ label: 'SB_ENV', secret: 'sk-env-0123456789abcd' }]);
  });

  it.runIf(posix)('refuses a file group or others may use, naming the chmod to run', () => {
    const vault = createVault({ env: {} });
    for (const [mode, shown] of [
      [0o640, '0640'],
      [0o604, '0604'],
      [0o620, '0620'],
      [0o601, '0601'],
    ] as const) {
      const file = keyFile('sk-open-0123456789abcd\n', mode);
      const error = refusal(() => vault.keysFor('acme', [{ file }]));
      expect(error.problem).toBe('open-to-others');
      expect(error.message).toBe(`key file ${file} is open to group or others (mode ${shown}): run \`chmod 600 ${file}\``);
      const [info] = vault.describe('acme', [{ file }]);
      expect(info).toMatchObject({ source: 'file', present: false, problem: error.message });
      expect(info!.masked).toBeUndefined();
    }
    // Stricter than 0600 is fine.
    expect(vault.keysFor('acme', [{ file: keyFile('sk-strict-0123456789abcd', 0o400) }])).toHaveLength(1);
  });

  it.runIf(posix)('quotes a path with spaces in the command it suggests', () => {
    const file = path.join(dir, 'my keys');
    fs.writeFileSync(file, 'sk-spaced-0123456789abcd');
    fs.chmodSync(file, 0o644);
    const error = refusal(() => createVault({ env: {} }).keysFor('acme', [{ file }]));
    expect(error.message).toContain(`run \`chmod 600 '${file}'\``);
  });

  it.runIf(posix)('refuses a file that belongs to another user than the one running Switchboard', () => {
    const file = keyFile('sk-owned-0123456789abcd');
    const other = (process.getuid?.() ?? 0) + 1;
    const error = refusal(() => createVault({ env: {}, uid: other }).keysFor('acme', [{ file }]));
    expect(error.problem).toBe('wrong-owner');
    expect(error.message).toMatch(
      new RegExp(`^key file ${file} belongs to uid \\d+, not to the user running Switchboard \\(uid ${other}\\)`),
    );
    expect(error.message).toContain(`chmod 600 ${file}`);
  });

  it('skips the mode and owner checks on Windows, as the data dir does', () => {
    const file = keyFile('sk-windows-0123456789abcd', 0o644);
    const vault = createVault({ env: {}, platform: 'win32', uid: 12345 });
    expect(vault.keysFor('acme', [{ file }])).toEqual([{ label: file, secret: 'sk-windows-0123456789abcd' }]);
  });

  it('refuses several non-empty lines, an empty file, an env-file line and a directory, rather than guess', () => {
    const vault = createVault({ env: {} });
    const cases: Array<[string, string, RegExp]> = [
      [
        keyFile('sk-one-0123456789abcd\nsk-two-0123456789abcd\n'),
        'several-lines',
        /has 2 non-empty lines: it must hold the key alone, on one line$/,
      ],
      [keyFile('\n  \n'), 'empty', /is empty$/],
      [keyFile('OPENAI_KEY=sk-assigned-0123456789abcd\n'), 'not-a-key', /holds an assignment to OPENAI_KEY, not a key alone/],
      [keyFile('export OPENAI_KEY=sk-assigned-0123456789abcd'), 'not-a-key', /holds an assignment to OPENAI_KEY/],
      [keyFile('sk-half one-0123456789abcd'), 'not-a-key', /has spaces inside its line/],
      [dir, 'not-a-file', /is not a regular file$/],
    ];
    if (posix) {
      // A FIFO would block a plain open until something writes to it.
      const fifo = path.join(dir, 'fifo');
      execFileSync('mkfifo', ['-m', '600', fifo]);
      cases.push([fifo, 'not-a-file', /is not a regular file$/]);
    }
    for (const [file, problem, message] of cases) {
      const error = refusal(() => vault.keysFor('acme', [{ file }]));
      expect(error.problem, file).toBe(problem);
      expect(error.message).toMatch(message);
    }
    // Base64 padding is part of a key, not an assignment.
    expect(vault.keysFor('acme', [{ file: keyFile('QUJDREVGR0hJSktMTU5PUA==\n') }])[0]?.secret).toBe('QUJDREVGR0hJSktMTU5PUA==');
  });

  it('never puts what a refused file holds in an error or a description', () => {
    const secret = 'sk-never-shown-0123456789abcd';
    const vault = createVault({ env: {} });
    const files = [
      keyFile(`${secret}\nsecond-line-${secret}`),
      keyFile(`OPENAI_KEY=${secret}`),
      keyFile(`${secret} trailing`),
      ...(posix ? [keyFile(secret, 0o644)] : []),
    ];
    for (const file of files) {
      const error = refusal(() => vault.keysFor('acme', [{ file }]));
      expect(`${error.message} ${String(error.stack)}`).not.toContain('never-shown');
      expect(JSON.stringify(vault.describe('acme', [{ file }]))).not.toContain('never-shown');
    }
  });

  it('serves from memory between checks, and picks up a rotated, removed or loosened file after the recheck interval', () => {
    let clock = Date.now();
    const vault = createVault({ env: {}, now: () => clock });
    const file = keyFile('sk-first-0123456789abcd\n');
    const keys = [{ file }];
    const secret = () => vault.keysFor('acme', keys)[0]?.secret;
    expect(secret()).toBe('sk-first-0123456789abcd');

    // Rewritten in place, same length: still the cached key within the interval (no syscall per request)...
    fs.writeFileSync(file, 'sk-other-0123456789abcd\n');
    clock += FILE_KEY_RECHECK_MS - 1;
    expect(secret()).toBe('sk-first-0123456789abcd');
    // ...and the new one once the interval has passed.
    clock += 1;
    expect(secret()).toBe('sk-other-0123456789abcd');

    // Replaced by rename, as rotation tools do.
    const next = `${file}.new`;
    fs.writeFileSync(next, 'sk-third-0123456789abcd', { mode: 0o600 });
    fs.renameSync(next, file);
    clock += FILE_KEY_RECHECK_MS;
    expect(secret()).toBe('sk-third-0123456789abcd');

    // Unchanged: still served after many intervals.
    clock += 10 * FILE_KEY_RECHECK_MS;
    expect(secret()).toBe('sk-third-0123456789abcd');

    if (posix) {
      fs.chmodSync(file, 0o644);
      clock += FILE_KEY_RECHECK_MS;
      expect(refusal(secret).problem).toBe('open-to-others');
      fs.chmodSync(file, 0o600);
      clock += FILE_KEY_RECHECK_MS;
      expect(secret()).toBe('sk-third-0123456789abcd');
    }

    fs.rmSync(file);
    clock += 1_000;
    expect(secret()).toBe('sk-third-0123456789abcd');
    clock += FILE_KEY_RECHECK_MS;
    expect(refusal(secret).problem).toBe('missing');
    fs.writeFileSync(file, 'sk-back-0123456789abcd', { mode: 0o600 });
    clock += FILE_KEY_RECHECK_MS;
    expect(secret()).toBe('sk-back-0123456789abcd');
  });

  it('rechecks a settled file with one stat: kept while unchanged, read again once its content, mode or inode changes', () => {
    let clock = Date.now();
    // racyMs 0: files written by this test count as settled at once, so the stat-only path is the one taken.
    const files = createFileKeys({ now: () => clock, racyMs: 0 });
    const file = keyFile('sk-settled-0123456789abcd');
    const secret = () => {
      const read = files.read(file);
      return 'secret' in read ? read.secret : read.error.problem;
    };
    expect(secret()).toBe('sk-settled-0123456789abcd');
    clock += 3 * FILE_KEY_RECHECK_MS;
    expect(secret()).toBe('sk-settled-0123456789abcd');
    fs.writeFileSync(file, 'sk-changed-0123456789abcd'); // same length, in place
    clock += FILE_KEY_RECHECK_MS;
    expect(secret()).toBe('sk-changed-0123456789abcd');
    if (posix) {
      fs.chmodSync(file, 0o640);
      clock += FILE_KEY_RECHECK_MS;
      expect(secret()).toBe('open-to-others');
    }
  });
});
