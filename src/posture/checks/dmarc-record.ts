/** Pure validation of a DMARC record's tags (RFC 7489 section 6.3; `np` from RFC 9989). */
import { parseTagList } from '../records/tag-list.ts';

export interface DmarcUri {
  uri: string;
  /** the domain of a mailto: address, where reports are sent */
  host?: string;
}

export interface DmarcRecordInfo {
  tags: Record<string, string>;
  errors: string[];
  warnings: string[];
  p?: string;
  sp?: string;
  np?: string;
  pct: number;
  adkim: string;
  aspf: string;
  rua: DmarcUri[];
  ruf: DmarcUri[];
}

const POLICIES = new Set(['none', 'quarantine', 'reject']);
const KNOWN = new Set(['v', 'p', 'sp', 'np', 'adkim', 'aspf', 'fo', 'rua', 'ruf', 'rf', 'ri', 'pct', 't', 'psd']);

function parseUris(tag: string, value: string, errors: string[]): DmarcUri[] {
  const out: DmarcUri[] = [];
  for (const raw of value.split(',')) {
    const uri = raw.trim();
    if (!uri) continue;
    // RFC 7489 section 6.2: a URI, with an optional "!size" limit
    const u = uri.replace(/![0-9]+[kmgt]?$/i, '');
    const m = /^mailto:([^@\s,;]+)@([^\s,;!?]+)$/i.exec(u);
    if (m) out.push({ uri: u, host: m[2].toLowerCase().replace(/\.$/, '') });
    else if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(u)) out.push({ uri: u });
    else errors.push(`${tag}: "${uri.slice(0, 80)}" is not a URI (write mailto:address@domain)`);
  }
  return out;
}

export function parseDmarcRecordTags(rr: string): DmarcRecordInfo {
  const errors: string[] = [];
  const warnings: string[] = [];
  const tags: Record<string, string> = {};
  parseTagList(rr).forEach((part, i) => {
    if (part.malformed !== undefined) {
      errors.push(`"${part.malformed.slice(0, 40)}" is not a tag=value pair`);
      return;
    }
    const name = part.name.toLowerCase();
    const value = part.value;
    if (i === 0 && (name !== 'v' || value !== 'DMARC1')) errors.push('the record must start with "v=DMARC1"');
    if (name in tags) warnings.push(`tag ${name} appears twice; receivers may use either`);
    if (!KNOWN.has(name)) warnings.push(`unknown tag "${name}" is ignored by receivers`);
    tags[name] = value;
  });
  const lower = (t: string): string | undefined => tags[t]?.toLowerCase();
  const p = lower('p');
  if (p === undefined) errors.push('the required p= tag is missing (RFC 7489 section 6.3)');
  else if (!POLICIES.has(p)) errors.push(`p=${p} is not none, quarantine or reject`);
  for (const t of ['sp', 'np']) {
    const v = lower(t);
    if (v !== undefined && !POLICIES.has(v)) errors.push(`${t}=${v} is not none, quarantine or reject`);
  }
  let pct = 100;
  if (tags.pct !== undefined) {
    if (!/^\d{1,3}$/.test(tags.pct) || Number(tags.pct) > 100) errors.push(`pct=${tags.pct} is not an integer from 0 to 100`);
    else pct = Number(tags.pct);
  }
  for (const t of ['adkim', 'aspf']) {
    const v = lower(t);
    if (v !== undefined && v !== 'r' && v !== 's') errors.push(`${t}=${v} must be r (relaxed) or s (strict)`);
  }
  if (tags.fo !== undefined && !/^[01ds](:[01ds])*$/i.test(tags.fo.replace(/\s+/g, ''))) errors.push(`fo=${tags.fo} must be 0, 1, d or s, separated by ":"`);
  if (tags.ri !== undefined && !/^\d+$/.test(tags.ri)) errors.push(`ri=${tags.ri} must be a number of seconds`);
  const rua = tags.rua !== undefined ? parseUris('rua', tags.rua, errors) : [];
  const ruf = tags.ruf !== undefined ? parseUris('ruf', tags.ruf, errors) : [];
  return { tags, errors, warnings, p, sp: lower('sp'), np: lower('np'), pct, adkim: lower('adkim') ?? 'r', aspf: lower('aspf') ?? 'r', rua, ruf };
}
