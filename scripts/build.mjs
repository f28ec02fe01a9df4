// Builds everything that runs outside Vite's dev server: the CLI/engine, the Electron main and
// preload scripts (plain JS via esbuild, dependencies left external) and the renderer (Vite).
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

// Worker threads run files of their own (CommonJS, beside each bundle that starts them: the engine
// finds them next to its own bundle, electron/engine/worker-file.ts).
const workers = {
  'ledger-writer.worker': 'electron/engine/ledger/writer.worker.ts',
  'ledger-estimator.worker': 'electron/engine/ledger/estimator.worker.ts',
};
const buildWorkers = (outdir) => build({ ...common, entryPoints: workers, outdir, format: 'cjs', outExtension: { '.js': '.cjs' } });

// The CLI (and `serve`) carries its pure-JS dependencies inside its bundle: resolving and reading the
// hundreds of files undici, zod and conf are made of was most of the port's cold start. Native modules
// (and the tokenizer, loaded on demand) stay in node_modules. Of undici only the parts the engine uses
// are bundled (scripts/undici-slim.cjs).
const slimUndici = {
  name: 'slim-undici',
  setup(b) {
    // Only the bare `undici`: the slim file itself requires undici's own modules by path.
    b.onResolve({ filter: /^undici$/ }, () => ({ path: path.resolve('scripts/undici-slim.cjs') }));
  },
};
// zod's namespace re-exports every language's error messages (`z.locales`, ~400 KB of the bundle, parsed at
// every start); the engine sets none, so the bundle carries English only, which zod itself defaults to.
const englishZod = {
  name: 'english-zod',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.join(args.resolveDir, '../locales/en.js'), namespace: 'zod-english' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(args.path)};`,
      resolveDir: path.dirname(args.path),
    }));
  },
};
// conf validates against a JSON schema (with ajv and ajv-formats, ~300 KB) and runs versioned migrations
// (with semver) only when given those options. Switchboard passes neither: settings are checked by zod
// and migrated by electron/engine/settings/migrations.ts. Loading them cost ~15 ms of every start, so
// conf's imports of them are bundled as stubs that throw if conf ever reaches for them.
const CONF_UNUSED = {
  'ajv/dist/2020.js': 'export class Ajv2020 { constructor() { unused("ajv"); } }',
  'ajv-formats': 'export default { default: () => unused("ajv-formats") };',
  semver: 'export default new Proxy({}, { get: (_, name) => () => unused(`semver.${String(name)}`) });',
};
const confWithoutUnused = {
  name: 'conf-without-unused',
  setup(b) {
    b.onResolve({ filter: /^(ajv\/dist\/2020\.js|ajv-formats|semver)$/ }, (args) =>
      /[\\/]node_modules[\\/]conf[\\/]/.test(args.importer) ? { path: args.path, namespace: 'conf-unused' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'conf-unused' }, (args) => ({
      contents: `function unused(what) { throw new Error(\`\${what} is not bundled: Switchboard gives conf no schema and no migrations (scripts/build.mjs)\`); }\n${CONF_UNUSED[args.path]}`,
    }));
  },
};
/**
 * V8 keeps a script's source in the heap for as long as it runs, one byte per character only when every
 * character is Latin-1: one em dash in a bundled dependency's comment stored the CLI's whole 2.4 MB
 * source at two bytes per character. esbuild already escapes non-ASCII characters in code (its default
 * ASCII charset), so what is left is in comments: each UTF-16 unit becomes `?`, which keeps every
 * column, and so the source map, as it was.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, '?');
  if (ascii !== text) writeFileSync(file, ascii);
}

const NOT_BUNDLED = ['@napi-rs/keyring', 'gpt-tokenizer', 'esbuild', 'electron'];
// libsql's JavaScript is bundled (its native package, chosen at run time, is not): loaded through
// @neon-rs/load it asked for a diagnostic report of the whole process to tell glibc from musl.
const libsqlTarget = {
  name: 'libsql-target',
  setup(b) {
    b.onResolve({ filter: /^@neon-rs\/load$/ }, () => ({ path: path.resolve('scripts/libsql-target.cjs') }));
  },
};
// CommonJS, not an ES module: node 20 starts the same bundle ~20 ms sooner as a script than through its
// ES module loader. Bundled code that asks for `import.meta.url` (the worker files and the renderer beside
// the bundle) gets the bundle's own URL, as it did when the bundle was a module.
await build({
  ...common,
  packages: undefined,
  external: NOT_BUNDLED,
  entryPoints: ['electron/cli.ts'],
  outfile: 'dist/cli.cjs',
  format: 'cjs',
  plugins: [slimUndici, englishZod, confWithoutUnused, libsqlTarget],
  define: { 'import.meta.url': '__sbBundleUrl', __SB_BUNDLED_LIBSQL__: 'true' },
  banner: { js: "const __sbBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
asciiOnly('dist/cli.cjs');
await buildWorkers('dist');
if (existsSync('electron/main.ts')) {
  await build({ ...common, entryPoints: ['electron/main.ts'], outfile: 'dist/electron/main.js', format: 'esm', external: ['electron'] });
  await buildWorkers('dist/electron');
}
if (existsSync('electron/assets')) cpSync('electron/assets', 'dist/electron/assets', { recursive: true });
if (existsSync('electron/preload.ts')) {
  // A sandboxed preload must be CommonJS.
  await build({
    ...common,
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  });
}
if (existsSync('vite.config.ts') && !process.argv.includes('--no-renderer')) {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}
