// `switchboard serve`: the engine, the port and the UI in a browser, for machines without a display.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../engine/app';
import { DEFAULT_PORT } from '../engine/gateway/port-address';
import { tuneV8ForGateway } from '../engine/v8-tuning';
import { ConfigError } from '../engine/settings/config-schema';
import { DatabaseUrlError, TeamDatabaseUnreachableError, teamLedgerUrl } from '../engine/team/database-url';
import { LedgerUrlError } from '../engine/team/team-directory-errors';
import { SchemaTooNewError } from '../engine/team/schema';
import type { CommandIO } from './io';
import { formatRequestLine } from './request-line';

function rendererDir(): string | undefined {
  // dist/cli.cjs sits beside dist/renderer once built.
  const dir = fileURLToPath(new URL('./renderer', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      log: { type: 'boolean' },
      'log-requests': { type: 'boolean' },
      ledger: { type: 'string' },
      instance: { type: 'string' },
    },
    strict: true,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.stderr(`switchboard serve: --port must be a whole number from 0 to 65535 (got "${values.port}")`);
    return 2;
  }
  // A host other machines can reach is warned about by the port itself when it opens (gateway/security.ts).
  const host = values.host ?? '127.0.0.1';
  // Team mode: --ledger, else SWITCHBOARD_LEDGER, else the config file's `ledger` (read by createApp).
  let ledger: string | undefined;
  try {
    ledger = teamLedgerUrl(values.ledger, io.env);
  } catch (error) {
    if (!(error instanceof LedgerUrlError)) throw error;
    io.stderr(`switchboard serve: ${error.message}`);
    return 2;
  }
  tuneV8ForGateway();
  let app;
  try {
    app = await createApp({
      dataDir: io.dataDir,
      configFile: values.config,
      port,
      host,
      rendererDir: rendererDir(),
      env: io.env,
      ...(ledger ? { ledger } : {}),
      ...(values.instance ? { instance: values.instance } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DatabaseUrlError) {
      io.stderr(`switchboard serve: ${error.message}`);
      return 2;
    }
    if (error instanceof SchemaTooNewError || error instanceof TeamDatabaseUnreachableError) {
      io.stderr(`switchboard serve: ${error.message}`);
      return 1;
    }
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      io.stderr(`switchboard serve: port ${port} on ${host} is already in use (choose another with --port, or --port 0 for any free port)`);
      return 1;
    }
    throw error;
  }
  const url = app.gateway!.url;
  io.stdout(`listening on ${url}`);
  io.stdout(`UI: ${url}/?token=${app.adminToken}`);
  io.stdout(`data dir: ${io.dataDir}`);
  if (app.team) io.stdout(`team ledger: ${app.team.database} (this instance: ${app.team.instance})`);
  // One line per request, refusals included, so a tool that only gets errors is not met with silence.
  if (values.log || values['log-requests']) app.requestLog.subscribe((entry) => io.stdout(formatRequestLine(entry)));

  // `on`, not `once`: a second Ctrl-C while closing must not kill the process before the ledger is flushed.
  await new Promise<void>((resolve) => {
    process.on('SIGINT', () => resolve());
    process.on('SIGTERM', () => resolve());
  });
  await app.close();
  return 0;
}
