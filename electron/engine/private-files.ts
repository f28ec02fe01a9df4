// Keeps the data dir and the files the engine keeps in it readable by the user alone (dir 0700, files
// 0600): spend, conversations and token hashes are nobody else's business on a shared machine.
import fs from 'node:fs';

/** Windows has no POSIX modes (chmod there only toggles read-only), so nothing is changed there. */
const POSIX = process.platform !== 'win32';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * Creates the dir (and missing parents) as 0700, and tightens one an older version left 0755. A dir
 * that belongs to someone else cannot be tightened: that is said on stderr rather than refusing to start.
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!POSIX) return;
  try {
    fs.chmodSync(dir, 0o700);
  } catch (error) {
    if (code(error) !== 'EPERM') throw error;
    console.error(`switchboard: cannot make ${dir} private (it belongs to another user); other users may be able to read it`);
  }
}

/**
 * Creates the file empty as 0600 when it is missing (so whatever opens it next keeps that mode: SQLite
 * gives its -wal and -shm the database's mode), and tightens it when it exists.
 */
export function ensurePrivateFile(file: string): void {
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (error) {
    if (code(error) !== 'EEXIST') throw error;
  }
  tightenFile(file);
}

/** Tightens a file an older version left 0644; a missing one is fine (SQLite makes -wal/-shm later). */
export function tightenFile(file: string): void {
  if (!POSIX) return;
  try {
    fs.chmodSync(file, 0o600);
  } catch (error) {
    if (code(error) !== 'ENOENT') throw error;
  }
}
