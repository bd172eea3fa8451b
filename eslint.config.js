// Lint and layer rules of mailcanary (`npm run lint`): typescript-eslint's recommended rules,
// Prettier for format (eslint-config-prettier turns off the rules that would fight it), and
// import-x's no-restricted-paths for the layers described in docs/architecture.md.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import prettier from 'eslint-config-prettier';

const root = import.meta.dirname;
/** Folders every stage may use: shared infrastructure and the product's knowledge tables. */
const BOTTOM = new Set(['shared', 'knowledge']);
const stages = readdirSync(path.join(root, 'src')).filter((d) => statSync(path.join(root, 'src', d)).isDirectory() && !BOTTOM.has(d));

/**
 * A stage reaches another stage only through that stage's `index.ts` (its public API); the
 * bottom layers import no stage; product code (`src/`) imports nothing from the lab, the tests,
 * the benches, the scripts or the user-facing folders.
 */
const zones = [
  ...stages.flatMap((to) =>
    stages
      .filter((from) => from !== to)
      .map((from) => ({
        target: `./src/${to}`,
        from: `./src/${from}`,
        except: ['./index.ts'],
        message: `src/${to} may use src/${from} only through src/${from}/index.ts`,
      })),
  ),
  ...[...BOTTOM, 'model.ts'].flatMap((b) =>
    stages.map((s) => ({ target: `./src/${b}`, from: `./src/${s}`, message: `src/${b} is the bottom layer: it imports no stage` })),
  ),
  ...['lab', 'test', 'bench', 'scripts', 'suites', 'reporters', 'seeds'].map((f) => ({
    target: './src',
    from: `./${f}`,
    message: `product code never imports ${f}/`,
  })),
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'test-results/**', 'mailcanary-report/**', '.mailcanary/**', 'playwright-report/**', 'blob-report/**', 'src/report/assets/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js'] } } },
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty-pattern': 'off',
    },
  },
  prettier,
);
