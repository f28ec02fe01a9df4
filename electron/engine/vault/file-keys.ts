// Keys read from files (`{ "file": "/etc/switchboard/keys/openai" }`), for servers: the file must be the
// service user's alone (0600 or stricter) and hold the key on one line. Read at request time, but
// stat-ed at most once per recheck interval, so a rotated key is picked up within seconds off the hot path.
import fs from 'node:fs';
import os from 'node:os';

/** A key rewritten on disk is used within this long; between checks a file costs no syscall. */
export const FILE_KEY_RECHECK_MS = 5_000;

/**
 * A file changed this close to when it was read may change again without its times moving (file systems
 * with coarse timestamps): its print is not trusted until it is older than this (git's "racy clean").
 */
const RACY_MS = 2_000;

/** A key file is a key, not a document: anything bigger is not read at all. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

export type FileKeyProblem =
  'missing' | 'unreadable' | 'not-a-file' | 'too-large' | 'open-to-others' | 'wrong-owner' | 'empty' | 'several-lines' | 'not-a-key';

/** Why a key file was not used. The message names the file and the fix, never anything read from it. */
export class FileKeyError extends Error {
  constructor(
    readonly path: string,
    readonly problem: FileKeyProblem,
    message: string,
  ) {
    super(message);
    this.name = 'FileKeyError';
  }
}

export type FileKeyResult = { secret: string } | { error: FileKeyError };

export interface FileKeyOptions {
  now?: () => number;
  /** Windows has no POSIX modes or owners worth checking (as in private-files.ts). */
  platform?: NodeJS.Platform;
  /** The user a key file must belong to (default: the one running this process; tests). */
  uid?: number;
  /** RACY_MS (tests, to reach the stat-only recheck with files just written). */
  racyMs?: number;
}

interface CacheEntry {
  checkedAt: number;
  /** What the file looked like when read: any change to it (content, mode, owner, a new inode) means read again. */
  print: string;
  /** Modified so shortly before it was read that an unchanged print proves nothing (RACY_MS). */
  racy: boolean;
  result: FileKeyResult;
}

export interface FileKeys {
  read(file: string): FileKeyResult;
}

const printOf = (st: fs.Stats): string => `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.mode}:${st.uid}`;

/** A path as a shell would take it in the suggested command (quoted only when it has to be). */
const shellPath = (p: string): string => (/^[A-Za-z0-9_./:@%+=,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`);

export function createFileKeys(options: FileKeyOptions = {}): FileKeys {
  const now = options.now ?? Date.now;
  const posix = (options.platform ?? process.platform) !== 'win32';
  const uid = options.uid ?? (posix && process.getuid ? process.getuid() : -1);
  const racyMs = options.racyMs ?? RACY_MS;
  const cache = new Map<string, CacheEntry>();

  function refuse(file: string, problem: FileKeyProblem, why: string): { error: FileKeyError } {
    return { error: new FileKeyError(file, problem, `key file ${file} ${why}`) };
  }

  /** Checks the open file, then reads it; `st` is the open file's own stat, so what is checked is what is read. */
  function load(file: string, fd: number, st: fs.Stats): FileKeyResult {
    if (!st.isFile()) return refuse(file, 'not-a-file', 'is not a regular file');
    const p = shellPath(file);
    if (posix && st.uid !== uid) {
      const user = uid === process.getuid?.() ? userName() : undefined;
      return refuse(
        file,
        'wrong-owner',
        `belongs to uid ${st.uid}, not to the user running Switchboard (${user ? `${user}, ` : ''}uid ${uid}): ` +
          `as root, run \`chown ${user ?? uid} ${p} && chmod 600 ${p}\``,
      );
    }
    if (posix && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      return refuse(file, 'open-to-others', `is open to group or others (mode ${mode}): run \`chmod 600 ${p}\``);
    }
    if (st.size > MAX_KEY_FILE_BYTES)
      return refuse(file, 'too-large', `is over ${MAX_KEY_FILE_BYTES / 1024} KiB: it must hold the key alone`);
    // trim() also drops a byte-order mark and the newline editors add.
    const lines = fs
      .readFileSync(fd, 'utf8')
      .split(/\r\n|\r|\n/)
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    if (lines.length === 0) return refuse(file, 'empty', 'is empty');
    if (lines.length > 1)
      return refuse(file, 'several-lines', `has ${lines.length} non-empty lines: it must hold the key alone, on one line`);
    const [line] = lines as [string];
    // A line of an environment file (`OPENAI_KEY=sk-…`, `export …`) would be sent as the key: refuse it,
    // naming only the variable. Base64 padding (`…==` at the end) is not a variable assignment.
    const assignment = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=[^=]/.exec(line);
    if (assignment)
      return refuse(file, 'not-a-key', `holds an assignment to ${assignment[1]}, not a key alone: put only the key in the file`);
    if (/\s/.test(line)) return refuse(file, 'not-a-key', 'has spaces inside its line: it must hold the key alone');
    return { secret: line };
  }

  function open(file: string): Omit<CacheEntry, 'checkedAt'> {
    let fd: number;
    try {
      // Non-blocking, so a path naming a FIFO cannot stall the port: it opens at once and is refused as not a file.
      fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      const failed = (problem: FileKeyProblem, why: string) => ({
        print: `${problem}:${code}`,
        racy: false,
        result: refuse(file, problem, why),
      });
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ...failed('missing', 'does not exist'), print: 'missing' };
      if (code === 'EISDIR') return failed('not-a-file', 'is not a regular file');
      return failed('unreadable', `cannot be opened by the user running Switchboard (${code})`);
    }
    try {
      const st = fs.fstatSync(fd);
      // Wall-clock time on purpose: file times are, whatever clock the interval runs on.
      const racy = Math.max(st.mtimeMs, st.ctimeMs) >= Date.now() - racyMs;
      return { print: printOf(st), racy, result: load(file, fd, st) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      return { print: `unreadable:${code}`, racy: false, result: refuse(file, 'unreadable', `cannot be read (${code})`) };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The file's print now, without opening it; a failure to stat reads as a print that never matches a good read. */
  function statPrint(file: string): string {
    try {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      return st ? printOf(st) : 'missing';
    } catch (error) {
      return `unreadable:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }

  return {
    read(file: string): FileKeyResult {
      const at = now();
      const hit = cache.get(file);
      if (hit && at - hit.checkedAt < FILE_KEY_RECHECK_MS) return hit.result;
      // Unchanged since it was read (or refused): keep the answer, having paid one stat for the check.
      if (hit && !hit.racy && statPrint(file) === hit.print) {
        hit.checkedAt = at;
        return hit.result;
      }
      const entry = { checkedAt: at, ...open(file) };
      cache.set(file, entry);
      return entry.result;
    },
  };
}

function userName(): string | undefined {
  try {
    return os.userInfo().username;
  } catch {
    return undefined; // a uid with no passwd entry (some containers)
  }
}
