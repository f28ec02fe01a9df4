// Where Switchboard keeps its data when no Electron is around to say (the `switchboard` CLI,
// `serve`). Pure Node on purpose: the CLI imports this, and engine code must never pull in electron.
import envPaths from 'env-paths';

/** Environment variable that overrides the data dir for every entry point (CLI, serve, desktop). */
export const DATA_DIR_ENV = 'SWITCHBOARD_DATA_DIR';

/**
 * The platform's app-data folder for "Switchboard" (e.g. ~/.local/share/Switchboard on Linux), or
 * $SWITCHBOARD_DATA_DIR when set. No suffix: env-paths' default "-nodejs" would be an odd folder name.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env[DATA_DIR_ENV]?.trim();
  if (override) return override;
  return envPaths('Switchboard', { suffix: '' }).data;
}
