// Lint, including the layering of docs/architecture.md §1: the engine never imports electron, the renderer
// imports only renderer/ and shared/, shared/ imports nothing of ours, features stay independent.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import prettierOff from 'eslint-config-prettier';
import { readdirSync, existsSync } from 'node:fs';

const features = existsSync('renderer/features')
  ? readdirSync('renderer/features', { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
  : [];

// ESLint rejects empty lists here, so drop them (e.g. the sibling-feature rule while there is one feature).
const restrict = (patterns, paths = []) => {
  const options = { patterns: patterns.filter((p) => p.group.length > 0) };
  if (paths.length > 0) options.paths = paths;
  return ['error', options];
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // CommonJS scripts (scripts/undici-slim.cjs) are written with require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    // The two classic hook rules: hooks called unconditionally, effect dependencies complete.
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['electron/engine/**'],
    rules: {
      'no-restricted-imports': restrict(
        [
          { group: ['electron', 'electron/*'], message: 'electron/engine is plain Node: it may not import electron.' },
          { group: ['**/renderer/**'], message: 'the engine may not import the renderer.' },
        ],
        [{ name: 'electron', message: 'electron/engine is plain Node: it may not import electron.' }],
      ),
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['../*', '!./*', '**/electron/**', '**/renderer/**', 'electron'],
          message: 'shared/ imports nothing of ours (only its own files).',
        },
      ]),
    },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/features/**'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/electron/**', 'electron', '**/test/**'], message: 'the renderer may import only renderer/ and shared/.' },
      ]),
    },
  },
  ...features.map((feature) => ({
    files: [`renderer/features/${feature}/**`],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/electron/**', 'electron', '**/test/**'], message: 'the renderer may import only renderer/ and shared/.' },
        {
          group: features.filter((f) => f !== feature).flatMap((f) => [`**/features/${f}`, `**/features/${f}/**`, `../${f}`, `../${f}/**`]),
          message: `a feature may not import another feature (${feature}); move shared pieces to renderer/ui or shared/.`,
        },
      ]),
    },
  })),
  // Formatting is Prettier's (npm run format); lint checks it with prettier --check and turns off style rules.
  prettierOff,
);
