// What every CLI command gets from electron/cli.ts: output, input and the data dir to work on.
export interface CommandIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  dataDir: string;
}
