// Settings file versions and their migrations, and the backup kept of a file we cannot read.
// A broken file is never reset: it is copied aside and reported with both locations.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** v1: providers, routes, tokens (no `version` key). v2: + budgets, priceOverrides, version. */
export const SETTINGS_VERSION = 2;

type Stored = Record<string, unknown>;

const MIGRATIONS: Record<number, (data: Stored) => Stored> = {
  1: (data) => ({ ...data, budgets: data.budgets ?? [], priceOverrides: data.priceOverrides ?? {} }),
};

/** The data at SETTINGS_VERSION, or null when it already is; throws when the file is from a newer Switchboard. */
export function migrateSettings(data: Stored, file: string): Stored | null {
  const version = typeof data.version === 'number' ? data.version : 1;
  if (version > SETTINGS_VERSION) {
    throw new Error(
      `${file} is settings version ${version}, newer than this Switchboard understands (${SETTINGS_VERSION}); update Switchboard`,
    );
  }
  if (version === SETTINGS_VERSION) return null;
  let out = data;
  for (let v = version; v < SETTINGS_VERSION; v++) out = MIGRATIONS[v]!(out);
  return { ...out, version: SETTINGS_VERSION };
}

/**
 * Copies an unreadable settings file aside (`settings.broken-<hash>.json`, one per distinct content,
 * same permissions) and returns the copy's path; undefined when the file cannot be read at all.
 */
export function backupBrokenFile(file: string): string | undefined {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  const ext = path.extname(file);
  const backup = path.join(path.dirname(file), `${path.basename(file, ext)}.broken-${hash}${ext}`);
  if (!fs.existsSync(backup)) fs.writeFileSync(backup, content, { mode: 0o600 });
  return backup;
}
