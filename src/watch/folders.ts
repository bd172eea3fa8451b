import type { Placement } from '../model.ts';

/** The part of an IMAP LIST entry the folder plan needs (imapflow's ListResponse fits). */
export interface FolderInfo {
  path: string;
  flags: Set<string> | string[];
  specialUse?: string;
  /** how imapflow knows the special use: from the server (RFC 6154), the user, or guessed from the name */
  specialUseSource?: 'user' | 'extension' | 'name';
}

export interface FolderPlan {
  inbox: string;
  /** spam folders, searched right after INBOX */
  spam: string[];
  /** how the spam folder was found: the server's `\Junk` flag, a known name, or not at all */
  spamFoundBy: 'special-use' | 'name' | 'none';
  /** every other folder a message could have been filed into */
  others: string[];
}

/**
 * Folders never searched: `\All` (Gmail's All Mail holds every message, so a hit there says
 * nothing about placement), `\Flagged` (virtual), `\Sent` and `\Drafts` (the seed's own mail),
 * and names that cannot be selected (RFC 3501 §7.2.2 `\Noselect`, RFC 5258 `\NonExistent`).
 */
const SKIP_SPECIAL_USE = new Set(['\\All', '\\Flagged', '\\Sent', '\\Drafts']);
const SKIP_FLAGS = new Set(['\\Noselect', '\\NonExistent']);

function norm(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * Decides which folder is INBOX, which is spam, and which others to search.
 * Spam is found by the RFC 6154 `\Junk` special-use attribute the server advertises; servers
 * that don't (Outlook's `Junk Email`, GMX's `Spamverdacht`) are matched by the preset's
 * (or the seed's own) names, compared on the full path and on the last path segment.
 */
export function planFolders(list: FolderInfo[], spamNames: string[]): FolderPlan {
  const selectable = list.filter((f) => {
    const flags = [...f.flags];
    return !flags.some((x) => SKIP_FLAGS.has(x));
  });
  const inbox = selectable.find((f) => f.path.toUpperCase() === 'INBOX')?.path ?? 'INBOX';
  let spam = selectable.filter((f) => f.specialUse === '\\Junk' && f.specialUseSource !== 'name').map((f) => f.path);
  let spamFoundBy: FolderPlan['spamFoundBy'] = spam.length ? 'special-use' : 'none';
  const wanted = spamNames.map(norm);
  const byName = selectable
    .filter((f) => {
      const p = norm(f.path);
      const last = p.split(/[/.]/).pop() ?? p;
      return wanted.includes(p) || wanted.includes(last);
    })
    .map((f) => f.path);
  if (!spam.length && byName.length) {
    spam = byName;
    spamFoundBy = 'name';
  } else if (spam.length) {
    // A configured name that exists beside the \Junk folder is searched as spam too.
    for (const p of byName) if (!spam.includes(p)) spam.push(p);
  }
  if (!spam.length) {
    // Last resort: imapflow's name-based guess.
    spam = selectable.filter((f) => f.specialUse === '\\Junk').map((f) => f.path);
    if (spam.length) spamFoundBy = 'name';
  }
  const others = selectable
    .filter((f) => f.path !== inbox && !spam.includes(f.path))
    .filter((f) => !(f.specialUse && SKIP_SPECIAL_USE.has(f.specialUse) && f.specialUseSource !== 'name'))
    .map((f) => f.path);
  return { inbox, spam, spamFoundBy, others };
}

export function placementOf(plan: FolderPlan, path: string): Placement {
  if (path === plan.inbox) return 'inbox';
  if (plan.spam.includes(path)) return 'spam';
  return `other-folder:${path}`;
}

/** inbox beats spam beats any other folder: the first place a user would look decides. */
export function placementRank(p: Placement): number {
  if (p === 'inbox') return 0;
  if (p === 'spam') return 1;
  if (p === 'missing') return 3;
  return 2;
}
