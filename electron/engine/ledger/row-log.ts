// Finished rows not yet committed, appended synchronously to a small per-process file as they are
// recorded: a process killed between answering a request and the writer's next commit leaves its rows
// in the kernel's hands (a write(2) outlives the process, no fsync needed), and the next start commits
// them. One file per batch handed to the writer, deleted once that batch is committed.
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../private-files';
import { rowFromValues, rowValues, type RequestRow } from './rows';

const DIR = 'ledger-rows';
const SEGMENT = /^(\d+)_([0-9a-f-]+)\.(\d+)\.log$/;

/** The folder of a data dir's row logs. */
export const rowLogDir = (dataDir: string): string => path.join(dataDir, DIR);

export class RowLog {
  readonly #dir: string;
  readonly #tag: string;
  #fd = -1;
  #seq = 0;
  #current = '';

  /** `owner` is the journal's owner (`pid:uuid`, journal.ts): a later start replays only the logs of owners gone. */
  constructor(dataDir: string, owner: string) {
    this.#dir = rowLogDir(dataDir);
    this.#tag = owner.replace(':', '_');
  }

  /**
   * Appends rows, each given as its values' JSON (rowLine), in one write: the same text the writer thread
   * is sent, so a row is formatted once. Throws when the disk refuses (the caller reports it; the rows
   * still go to the writer).
   */
  append(lines: string[]): void {
    if (this.#fd < 0) {
      // Made at the first row, so a CLI that only reads the ledger leaves no folder behind.
      if (this.#seq === 0) ensurePrivateDir(this.#dir);
      this.#current = path.join(this.#dir, `${this.#tag}.${++this.#seq}.log`);
      this.#fd = openSync(this.#current, 'a', 0o600);
    }
    writeSync(this.#fd, `${lines.join('\n')}\n`);
  }

  /** Ends the file rows went to since the last seal (they are now in a batch); returns it, or undefined when none. */
  seal(): string | undefined {
    if (this.#fd < 0) return undefined;
    closeSync(this.#fd);
    this.#fd = -1;
    return this.#current;
  }

  /** Deletes a sealed file whose batch is committed. */
  static drop(file: string): void {
    rmSync(file, { force: true });
  }
}

/** A row's values in COLUMNS order as JSON, not the object: no column names, half the bytes to format and write. */
export const rowLine = (row: RequestRow): string => JSON.stringify(rowValues(row));

/** The row a rowLine holds. */
export const rowOfLine = (line: string): RequestRow => rowFromValues(JSON.parse(line) as unknown[]);

/**
 * The rows in row logs left by processes that are gone (`gone(owner)`), and their files (to drop once
 * the rows are committed). A line cut by the kill mid-write is skipped: its request had not been answered.
 */
export function orphanedRows(dataDir: string, gone: (owner: string) => boolean): { rows: RequestRow[]; files: string[] } {
  const dir = rowLogDir(dataDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { rows: [], files: [] };
  }
  const rows: RequestRow[] = [];
  const files: string[] = [];
  for (const name of names) {
    const m = SEGMENT.exec(name);
    if (!m || !gone(`${m[1]}:${m[2]}`)) continue;
    const file = path.join(dir, name);
    files.push(file);
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line) continue;
      try {
        rows.push(rowOfLine(line));
      } catch {
        // the last line of a write the kill cut short
      }
    }
  }
  return { rows, files };
}
