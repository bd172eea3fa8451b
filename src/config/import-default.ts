import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Settings files (seeds, senders) are ES modules, as every file of mailcanary is. One kept
 * outside the project (`/etc/mailcanary/seeds.ts`) has no package.json saying so, and a
 * TypeScript loader that goes by package.json alone (Playwright's) reads it as CommonJS: its
 * `import { defineSeeds } from '…/seeds/define.ts'` then fails with "Unexpected token 'export'".
 * This hook tells the loader that such a file, and the `.ts` files it imports from outside any
 * package, are modules; a file inside a package keeps the package's own `type`.
 */
const forced = new Set<string>();
let hooked = false;

function hookOnce(): void {
  if (hooked) return;
  hooked = true;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const r = nextResolve(specifier, context);
      const fromForced = !!context.parentURL && forced.has(context.parentURL);
      if ((forced.has(r.url) || (fromForced && r.url.startsWith('file:') && r.url.endsWith('.ts'))) && !packageType(fileURLToPath(r.url))) {
        forced.add(r.url);
        return { ...r, format: 'module-typescript' };
      }
      return r;
    },
  });
}

/** The `type` of the package.json nearest to a file, or undefined when none says. */
export function packageType(file: string): string | undefined {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        const type = (JSON.parse(readFileSync(pj, 'utf8')) as { type?: unknown }).type;
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The default export of a user's TypeScript settings file (seeds, senders). A file loaded as
 * CommonJS after all (one inside a `"type": "commonjs"` package) has its default export
 * unwrapped once more. Returns the error's first line and a fix that names the real cause when
 * the file cannot be loaded.
 */
export async function importDefault(file: string): Promise<{ value: unknown } | { error: string; fix?: string }> {
  const url = pathToFileURL(file).href;
  if (file.endsWith('.ts') && !packageType(file)) {
    hookOnce();
    forced.add(url);
  }
  let mod: { default?: unknown };
  try {
    mod = await import(url);
  } catch (e) {
    const error = (e as Error).message.split('\n')[0];
    return { error, fix: loadFix(file, error) };
  }
  let exported = mod.default as unknown;
  if (exported && !Array.isArray(exported) && Array.isArray((exported as { default?: unknown }).default)) exported = (exported as { default: unknown }).default;
  return { value: exported };
}

/** What to do about a load error: module syntax read as CommonJS has its own cause; else undefined (the caller's syntax fix). */
function loadFix(file: string, error: string): string | undefined {
  if (!/Unexpected token 'export'|Cannot use import statement outside a module|require\(\) of ES Module/.test(error)) return undefined;
  const type = packageType(file);
  return (
    `the file was read as CommonJS${type ? ` (its package.json says "type": "${type}")` : ''}, but settings files are ES modules: ` +
    `rename it to .mts, or keep it inside the mailcanary project (e.g. seeds/), or beside a package.json with "type": "module"`
  );
}
