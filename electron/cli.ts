// The `switchboard` command: dispatches to one module per subcommand in electron/commands/.
import { defaultDataDir } from './paths';
import type { CommandIO } from './commands/io';

const USAGE = `usage: switchboard <command> [options]

commands:
  serve [--port N] [--host H] [--data-dir D] [--config FILE]   engine, port and UI in a browser
  token create NAME | list | revoke NAME [--ledger URL]          client tokens for tools on the port (URL: a team database)
  member add NAME | list | remove NAME | budget NAME --ledger URL   team members, in the team database
  key set PROVIDER_ID [--label L] | delete PROVIDER_ID           provider keys in the OS keychain (key read from stdin)
  key list [PROVIDER_ID] | test PROVIDER_ID [--label L]          keys (masked) and a live check of one
  spend [--since 7d] [--until D] [--by day|model|provider|client|route] [--json|--csv]   what was spent
  doctor [--port N]                                              keychain, data dir, port, each provider reachable

every command accepts --data-dir D (default: ${'$'}SWITCHBOARD_DATA_DIR or the platform's app-data folder)`;

const commands: Record<string, () => Promise<{ run(args: string[], io: CommandIO): Promise<number> }>> = {
  serve: () => import('./commands/serve'),
  token: () => import('./commands/token'),
  member: () => import('./commands/member'),
  key: () => import('./commands/key'),
  spend: () => import('./commands/spend'),
  doctor: () => import('./commands/doctor'),
};

/** Pulls `--data-dir D` / `--data-dir=D` out of the arguments, wherever it stands. */
function takeDataDir(args: string[]): { dataDir: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--data-dir') dataDir = args[++i];
    else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else rest.push(a);
  }
  return { dataDir, rest };
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`switchboard: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  const { dataDir, rest } = takeDataDir(args);
  const io: CommandIO = {
    stdout: (s) => console.log(s),
    stderr: (s) => console.error(s),
    stdin: readStdin,
    env: process.env,
    dataDir: dataDir ?? defaultDataDir(),
  };
  try {
    return await (await load()).run(rest, io);
  } catch (error) {
    const e = error as Error & { code?: string };
    // parseArgs errors are the user's; anything else is ours, reported without a stack trace dump.
    console.error(`switchboard ${name}: ${e.message}`);
    return e.code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
