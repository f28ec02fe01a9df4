// The row log: rows appended as they finish, read back after their process is gone (a cut last line
// skipped), a live owner's left alone, a committed batch's file deleted.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { requestRow } from '../../../test/support/request-rows';
import { orphanedRows, RowLog, rowLine, rowLogDir } from './row-log';
import { toRow } from './rows';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const dataDir = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'sb-rowlog-'));
  dirs.push(d);
  return d;
};

describe('the row log', () => {
  it('gives back the rows of a process that is gone, skipping a line the kill cut short', () => {
    const dir = dataDir();
    const log = new RowLog(dir, '999999:0b1c2d3e-0000-4000-8000-000000000000');
    const rows = [requestRow({ costUsd: null }), requestRow({ errorMessage: 'a "quoted"\nmessage' })].map(toRow);
    log.append(rows.map(rowLine));
    const file = log.seal()!;
    appendFileSync(file, '["cut-by-the-kill", 17');
    const found = orphanedRows(dir, () => true);
    expect(found.files).toEqual([file]);
    expect(found.rows).toEqual(rows);
  });

  it('leaves the logs of a live owner alone, and a dropped file is gone', () => {
    const dir = dataDir();
    const log = new RowLog(dir, '1:0b1c2d3e-0000-4000-8000-000000000001');
    log.append([rowLine(toRow(requestRow()))]);
    const file = log.seal()!;
    expect(orphanedRows(dir, () => false)).toEqual({ rows: [], files: [] });
    RowLog.drop(file);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(rowLogDir(dir))).toEqual([]);
  });

  it('makes no folder until the first row (a CLI that only reads leaves nothing behind)', () => {
    const dir = dataDir();
    const log = new RowLog(dir, '1:0b1c2d3e-0000-4000-8000-000000000002');
    expect(log.seal()).toBeUndefined();
    expect(existsSync(rowLogDir(dir))).toBe(false);
  });
});
