/**
 * Reading a non-RFC 3464 bounce in its MTA's own layout (lhost-formats.ts) and deciding a reason
 * from that MTA's own message table (lhost-tables.ts). A layout read gives each failed recipient
 * the error lines written for it, so that a multi-recipient notice does not hand one recipient's
 * error to another; a table verdict is the MTA's own account of a failure it decided itself.
 * Pure functions; table entries are rulebook entries (ids, k-fold switchable).
 */
import type { Headers } from './mime.ts';
import { FORMATS, type MtaFormat } from './lhost-formats.ts';
import { FORMATS_2 } from './lhost-formats-2.ts';
import { MTA_TABLES } from './lhost-tables.ts';
import { MTA_TABLES_2, OFFICE365_SOURCE, OFFICE365_STATUS, POWERMTA_CATEGORIES, POWERMTA_SOURCE, SES_SOURCE, SES_SUBTYPES } from './lhost-tables-2.ts';
import { cleanAddress } from './rfc3464.ts';
import { matchEntries, recording, type Entry } from './rulebook.ts';
import type { Reason } from './vocabulary.ts';

export interface FormatRecipient {
  address: string;
  /** the error lines that belong to this recipient, one per line */
  text: string;
}

export interface FormatRead {
  /** MTA family */
  name: string;
  /** recipients in the order the report lists them (empty: the layout names none) */
  recipients: FormatRecipient[];
  /** every error line of the report */
  text: string;
  /** the layout lists its recipients (false: the returned message's To: is the recipient) */
  listsRecipients: boolean;
  /** the family whose layout and table this one shares */
  like?: string;
  /** the notice's RFC 3464 fields name the recipients; the layout names only the family */
  fieldsOnly: boolean;
}

// a clone's own mark is more specific than the layout it copies, so the newer list is tried first
const ALL_FORMATS = [...FORMATS_2, ...FORMATS];

/** Which MTA layout the bounce is in, and what it says per recipient; undefined for none. */
export function readFormat(h: Headers, subject: string, body: string): FormatRead | undefined {
  // the layout's opening line must be there too: a family's headers alone are not its layout
  const f = ALL_FORMATS.find((x) => x.detect(h, subject, body) && (!x.start || body.split('\n').some((l) => x.start!.test(l.replace(/\s+$/, '')))));
  if (!f) return undefined;
  return { name: f.name, ...readLines(f, body), listsRecipients: !!f.recipient, like: f.like, fieldsOnly: !!f.fieldsOnly };
}

function readLines(f: MtaFormat, body: string): { recipients: FormatRecipient[]; text: string } {
  const rcpts: Array<{ address: string; own: string[] }> = [];
  const preamble: string[] = [];
  const every: string[] = [];
  let on = !f.start;
  let prev = '';
  let cur: { address: string; own: string[] } | undefined;
  for (const raw of body.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (!on) {
      if (!f.start!.test(line)) continue;
      on = true;
    }
    if (f.end?.some((re) => re.test(line))) break;
    if (!line.trim()) continue;
    const before = prev;
    prev = line.trim();
    // the first group that matched is the address, the next one the error on the same line
    const groups = f.recipient
      ?.exec(line)
      ?.slice(1)
      .filter((g) => g !== undefined);
    const address = groups?.length ? cleanAddress(groups[0]) : undefined;
    if (groups && address && address.includes('@')) {
      const inline = f.recipientLineIsText ? line.trim() : (groups[1] ?? '').trim();
      if (!cur || cur.address.toLowerCase() !== address.toLowerCase()) {
        cur = rcpts.find((r) => r.address.toLowerCase() === address.toLowerCase()) ?? { address, own: [] };
        if (!rcpts.includes(cur)) rcpts.push(cur);
      }
      if (inline) {
        cur.own.push(inline);
        every.push(inline);
      }
      continue;
    }
    if (f.skip?.test(line)) continue;
    const text = f.text ? f.text(line, before) : line.trim();
    if (!text) continue;
    every.push(text);
    (cur ? cur.own : preamble).push(text);
  }
  const recipients = rcpts.map((r) => {
    const own = f.preamble ? [...preamble, ...r.own] : r.own;
    return { address: r.address, text: (own.length ? own : every).join('\n') };
  });
  return { recipients, text: every.join('\n') };
}

interface CompiledTable {
  module: string;
  anywhere: boolean;
  rules: Array<{ reason: Reason; entries: Entry[] }>;
}

const COMPILED: CompiledTable[] = [...MTA_TABLES, ...MTA_TABLES_2].map((t) => ({
  module: t.module,
  anywhere: !!t.anywhere,
  rules: t.reasons.map(([reason, list]) => ({
    reason,
    entries: list.map((p) =>
      typeof p === 'string'
        ? { id: `${reason}:lhost:${t.module}:${p}`, source: t.source, phrase: p }
        : { id: `${reason}:lhost:${t.module}:/${p.source}/`, source: t.source, re: p },
    ),
  })),
}));

/** The reason the MTA's own table gives for this diagnostic, if any (its own MTA's first, then `anywhere` tables). */
export function tableReason(module: string | undefined | Array<string | undefined>, diagnostic: string): Reason | undefined {
  const lower = diagnostic.toLowerCase();
  if (!lower) return undefined;
  const mine = new Set(Array.isArray(module) ? module : [module]);
  const tables = [...COMPILED.filter((t) => mine.has(t.module)), ...COMPILED.filter((t) => t.anywhere && !mine.has(t.module))];
  let found: Reason | undefined;
  // while an evaluation records matches, every entry is tried so that each hit is counted
  for (const t of tables) {
    for (const r of t.rules) {
      if (matchEntries(r.entries, lower)) found ??= r.reason;
      if (found && !recording()) return found;
    }
  }
  return found;
}

/** A value the sending system states as its verdict (a category, a status code), one entry per value. */
type Verdicts = Array<{ reason: Reason; entry: Entry }>;

// a stated value matches only as a whole (each of these values is letters, digits, dots and hyphens)
const exact = (v: string): RegExp => new RegExp(`^${v.replace(/[.-]/g, (c) => `\\${c}`)}$`);

const verdicts = (kind: string, source: string, list: Array<[string | RegExp, Reason]>): Verdicts =>
  list.map(([v, reason]) =>
    typeof v === 'string'
      ? { reason, entry: { id: `${reason}:${kind}:${v}`, source, re: exact(v) } }
      : { reason, entry: { id: `${reason}:${kind}:/${v.source}/`, source, re: v } },
  );

const POWERMTA = verdicts('powermta-category', POWERMTA_SOURCE, Object.entries(POWERMTA_CATEGORIES));
const OFFICE365 = verdicts('office365-status', OFFICE365_SOURCE, OFFICE365_STATUS);
const SES = verdicts(
  'ses-subtype',
  SES_SOURCE,
  Object.entries(SES_SUBTYPES).map(([k, r]) => [k.toLowerCase(), r]),
);

function verdict(list: Verdicts, value: string | undefined): Reason | undefined {
  const v = value?.trim().toLowerCase();
  if (!v) return undefined;
  let found: Reason | undefined;
  for (const x of list) {
    if (matchEntries([x.entry], v)) found ??= x.reason;
    if (found && !recording()) return found;
  }
  return found;
}

/** PowerMTA's X-PowerMTA-BounceCategory value as a reason. */
export const powerMtaCategoryReason = (category: string | undefined): Reason | undefined => verdict(POWERMTA, category);
/** What an Office 365 enhanced status code means there. */
export const office365StatusReason = (status: string | undefined): Reason | undefined => verdict(OFFICE365, status);
/** An Amazon SES bounceSubType that names a cause. */
export const sesSubtypeReason = (subtype: string | undefined): Reason | undefined => verdict(SES, subtype);

/** Every table entry with its reason (for the evaluation's entry accounting). */
export function tableEntries(): Array<Entry & { reason: string }> {
  return COMPILED.flatMap((t) => t.rules.flatMap((r) => r.entries.map((e) => ({ ...e, reason: r.reason })))).concat(
    [...POWERMTA, ...OFFICE365, ...SES].map((x) => ({ ...x.entry, reason: x.reason })),
  );
}
