// What libsql asks @neon-rs/load for as it loads: the name of its native package for this system. The
// same names, with glibc told from musl by detect-libc's reading of the system's files instead of a full
// diagnostic report of the process (process.report.getReport(): ~8 ms of every start). Bundled in
// @neon-rs/load's place by scripts/build.mjs; libsql itself still turns a musl answer on glibc into gnu.
'use strict';
const { familySync, GLIBC } = require('detect-libc');

const TARGETS = {
  'win32-x64': 'win32-x64-msvc',
  'win32-arm64': 'win32-arm64-msvc',
  'win32-ia32': 'win32-ia32-msvc',
  'darwin-x64': 'darwin-x64',
  'darwin-arm64': 'darwin-arm64',
  'linux-arm': 'linux-arm-gnueabihf',
  'freebsd-x64': 'freebsd-x64',
  'android-arm': 'android-arm-eabi',
  'android-arm64': 'android-arm64',
};

exports.currentTarget = function currentTarget() {
  const { platform, arch } = process;
  if (platform === 'linux' && (arch === 'x64' || arch === 'arm64')) return `linux-${arch}-${familySync() === GLIBC ? 'gnu' : 'musl'}`;
  const target = TARGETS[`${platform}-${arch}`];
  if (!target) throw new Error(`libsql has no native package for ${platform} ${arch}`);
  return target;
};

// Only libsql's development mode (LIBSQL_JS_DEV) loads from a directory.
exports.load = function load() {
  throw new Error('libsql development builds are not bundled (scripts/libsql-target.cjs)');
};
