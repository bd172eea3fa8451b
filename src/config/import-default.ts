import { pathToFileURL } from 'node:url';

/**
 * The default export of a user's TypeScript settings file (seeds, senders). A file outside an
 * ESM package is loaded as CommonJS, so its default export is unwrapped once more.
 * Returns the error's first line when the file cannot be loaded.
 */
export async function importDefault(file: string): Promise<{ value: unknown } | { error: string }> {
  let mod: { default?: unknown };
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  }
  let exported = mod.default as unknown;
  if (exported && !Array.isArray(exported) && Array.isArray((exported as { default?: unknown }).default)) exported = (exported as { default: unknown }).default;
  return { value: exported };
}
