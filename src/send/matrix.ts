import type { Sender } from '../config/index.ts';

/**
 * The run's matrix: seed × sender × variant × path, one test message each. Pure.
 *
 * With exactly one sender the sender is left out of every key, title and tag, so the matrix,
 * its tags' indexes and its test titles are those of a run before senders existed (history and
 * baselines keep matching). With several, each cell names its sender's id.
 */
export interface Cell {
  seedId: string;
  to: string;
  variant: string;
  /** SMTP_PATHS name; absent for the default path */
  path?: string;
  /** sender id; absent when the run has one sender */
  sender?: string;
  /** position in the full matrix: names the tag, so shards never share one */
  index: number;
}

export function buildMatrix(
  seeds: ReadonlyArray<{ id: string; address: string }>,
  senders: ReadonlyArray<Pick<Sender, 'id' | 'paths'>>,
  variants: readonly string[],
  pathNames: ReadonlyArray<string | undefined>,
): Cell[] {
  const several = senders.length > 1;
  const cells: Cell[] = [];
  for (const seed of seeds)
    for (const sender of senders)
      for (const variant of variants)
        for (const path of pathNames) {
          const index = cells.length;
          // a sender limited to some paths skips the others, but keeps its place in the numbering
          if (path && sender.paths && !sender.paths.includes(path)) {
            cells.push({ seedId: '', to: '', variant, index });
            continue;
          }
          cells.push({ seedId: seed.id, to: seed.address, variant, ...(path ? { path } : {}), ...(several ? { sender: sender.id } : {}), index });
        }
  return cells.filter((c) => c.seedId !== '');
}

/**
 * How titles and the report name a sender: its domain, or its address when another sender of
 * the run shares the domain; system mail says so, since receivers judge it by the host name.
 */
export function senderLabel(sender: Pick<Sender, 'id' | 'address' | 'domain' | 'system'>, all: ReadonlyArray<Pick<Sender, 'id' | 'domain'>>): string {
  const shared = all.some((o) => o.id !== sender.id && o.domain === sender.domain);
  const name = shared ? sender.address.toLowerCase() : sender.domain;
  return sender.system ? `${name} (system mail)` : name;
}

/** Test tags of a sender: its domain (`@family.example`), and `@system` for the server's own mail. None with one sender. */
export function senderTags(sender: Pick<Sender, 'domain' | 'system'>, all: readonly unknown[]): string[] {
  if (all.length < 2) return [];
  return [`@${sender.domain}`, ...(sender.system ? ['@system'] : [])];
}

/** `plain`, `plain via ipv6`, `plain from family.example`, `plain from family.example via ipv6`. */
export function cellLabel(variant: string, path: string | undefined, sender: string | undefined): string {
  return `${variant}${sender ? ` from ${sender}` : ''}${path ? ` via ${path}` : ''}`;
}
