// What every CLI command gets from electron/cli.ts (output, input and the data dir to work on), and the
// argument parsing they share.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type ParsedResults<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}

/**
 * Parses a command's arguments: the values and positionals, or the exit code when they are wrong (2, the
 * error and the usage on stderr) or `--help` was asked (0, the usage on stdout).
 */
export function parseCommandArgs<T extends ParseArgsConfig>(
  io: CommandIO,
  command: string,
  usage: string,
  config: T,
): ParsedResults<T> | number {
  let parsed: ParsedResults<T>;
  try {
    parsed = parseArgs(config);
  } catch (error) {
    io.stderr(`switchboard ${command}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  if ((parsed.values as { help?: unknown }).help) {
    io.stdout(usage);
    return 0;
  }
  return parsed;
}
