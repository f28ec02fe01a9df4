// `npm start`: the desktop app where Electron can run, otherwise `switchboard serve` after saying
// why in one line. Builds first when dist is missing or older than the sources.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

buildIfStale('npm start');
const electron = findElectron();
if (electron.binary) {
  run(electron.binary, [root, ...args], withoutRunAsNode(process.env), (error) =>
    headless(`the Electron binary failed to launch: ${error.message}`),
  );
} else {
  headless(electron.reason);
}

function headless(reason) {
  const shown = ['switchboard serve', ...args].join(' ');
  console.error(`Electron cannot start here (${reason}); running headless: ${shown}`);
  run(process.execPath, [path.join(root, 'bin', 'switchboard.js'), 'serve', ...args], process.env);
}

/** Where the Electron binary is, or why there is none we can use. */
function findElectron() {
  if (process.env.SWITCHBOARD_HEADLESS === '1') return { reason: 'SWITCHBOARD_HEADLESS=1 is set' };
  let binary;
  try {
    // The electron package exports the binary's path, and throws when its postinstall download failed.
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch (error) {
    if (error?.code === 'MODULE_NOT_FOUND' && String(error.message).includes("'electron'")) {
      return { reason: 'the electron package is not installed' };
    }
    if (/failed to install correctly/i.test(String(error?.message))) {
      return { reason: 'the Electron binary is not installed' };
    }
    return { reason: `the electron package failed to load: ${error?.message ?? error}` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { reason: 'the Electron binary is not installed' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set' };
  }
  return { binary };
}

/** Runs a child with our stdio, passes SIGINT/SIGTERM on, and exits with its status. */
function run(command, commandArgs, env, onSpawnError) {
  const child = spawn(command, commandArgs, { stdio: 'inherit', env });
  // A terminal's Ctrl-C already reaches the child (same process group) while `kill <our pid>` does
  // not, and we cannot tell which one this is. So pass a stop on once, as SIGTERM: a child that
  // handles each signal once then sees one SIGINT and one SIGTERM, never a second SIGINT that would
  // kill it by default in the middle of closing its ledger.
  let forwarded = false;
  const forward = () => {
    if (forwarded) return;
    forwarded = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const signals = ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, forward);
  let spawned = false;
  child.once('spawn', () => (spawned = true));
  child.once('error', (error) => {
    if (spawned) return; // the exit event reports the status
    for (const signal of signals) process.off(signal, forward);
    if (onSpawnError) return onSpawnError(error);
    console.error(`npm start: cannot run ${command}: ${error.message}`);
    process.exit(1);
  });
  child.once('exit', (code, signal) => {
    process.exit(code ?? 128 + (constants.signals[signal] ?? 1));
  });
}

// Electron run as plain Node (a variable some editors' terminals leak) would not open a window.
function withoutRunAsNode(env) {
  const copy = { ...env };
  delete copy.ELECTRON_RUN_AS_NODE;
  return copy;
}
