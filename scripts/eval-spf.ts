/**
 * Run the openspf.org RFC 7208 test suite (rfc7208-tests.yml, as published with pyspf in its
 * test/ folder) through evaluateSpf with an in-memory resolver built from each section's
 * zonedata, and print N/M.
 *
 *   node scripts/eval-spf.ts <path/to/rfc7208-tests.yml> [--verbose]   (npm run eval:spf -- …)
 *
 * The suite is a test of the standard, not a corpus of this project; it is not shipped here.
 * Zone data conventions of the suite: `SPF` records stand for TXT records (RFC 7208 dropped the
 * SPF RR type, so a name with only `SPF` entries answers TXT with them, and a `TXT: NONE` entry
 * means "no TXT"); `TIMEOUT` makes every query of the name time out (or only the queries that
 * have no records, when other entries exist); MX entries are `[priority, exchange]`.
 * A `CNAME` entry is followed for other types, and a CNAME chain that loops is a server failure
 * (RFC 1034 section 3.6.2). A name listed with no entries (`name: []`, as revisions that fold the
 * `SPF` entries into `TXT` write a name whose only entries were `SPF`) exists with no records:
 * NODATA, not NXDOMAIN. A test whose `result` is a list passes with any of them.
 * Explanations are compared when the test gives one and the result is fail (`DEFAULT` stands for
 * "no exp text"): exactly, except for the case of the DNS names in them.
 *
 * The same suite also measures the own-record lint (walkSpf, the posture check of the user's own
 * record): a test whose only expected result is permerror passes when the lint reports a failing
 * problem of a permerror kind for the test's domain, and every other test passes when the lint
 * reports no syntax error (a false alarm on a valid record).
 * Exits 1 when a test fails, 2 when the suite cannot be read.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { evaluateSpf } from '../src/posture/spf/evaluate.ts';
import { walkSpf, type SpfProblem } from '../src/posture/spf/walk.ts';
import { dnsError, type RecordTypes, type Resolver, type RRType } from '../src/shared/dns/resolver.ts';

type ZoneEntry = string | Record<string, unknown>;
interface SuiteTest {
  spec?: string;
  helo: string;
  host: string;
  mailfrom: string;
  result: string | string[];
  explanation?: string;
}
interface Section {
  description: string;
  tests: Record<string, SuiteTest>;
  zonedata: Record<string, ZoneEntry[]>;
}

function fail(msg: string): never {
  console.error(`eval-spf: ${msg}`);
  process.exit(2);
}

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const verbose = args.includes('--verbose');
if (!file) fail('usage: node scripts/eval-spf.ts <path/to/rfc7208-tests.yml> [--verbose] (the openspf RFC 7208 test suite, test/rfc7208-tests.yml of pyspf)');
let sections: Section[];
try {
  sections = parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Section | null)
    .filter((s): s is Section => !!s && typeof s === 'object' && !!s.tests && !!s.zonedata);
} catch (e) {
  fail(`cannot read ${file}: ${(e as Error).message}`);
}
if (!sections.length) fail(`${file} holds no test sections (documents with "tests" and "zonedata")`);

/** A resolver over one section's zone data, with node:dns error codes. */
function zoneResolver(zone: Record<string, ZoneEntry[]>): Resolver {
  const byName = new Map<string, ZoneEntry[]>();
  for (const [name, entries] of Object.entries(zone)) byName.set(name.toLowerCase().replace(/\.$/, ''), entries ?? []);
  const cnameOf = (entries: ZoneEntry[]): string | undefined => {
    for (const e of entries) if (typeof e === 'object' && e !== null && typeof e.CNAME === 'string') return e.CNAME;
    return undefined;
  };
  const resolver = async (name: string, rrtype: RRType): Promise<unknown> => {
    let key = name.toLowerCase().replace(/\.$/, '');
    let entries = byName.get(key);
    const seen = new Set<string>();
    while (entries && rrtype !== 'CNAME' && cnameOf(entries) !== undefined) {
      // RFC 1034 section 3.6.2: a resolver follows CNAME chains and signals a loop as an error
      if (seen.has(key)) throw dnsError('ESERVFAIL', name, rrtype);
      seen.add(key);
      key = cnameOf(entries)!.toLowerCase().replace(/\.$/, '');
      entries = byName.get(key);
    }
    if (!entries) throw dnsError('ENOTFOUND', name, rrtype);
    // a name the zone lists exists even without records: its answers are NODATA (RFC 2308 section 2.2)
    if (!entries.length) throw dnsError('ENODATA', name, rrtype);
    const timeout = entries.includes('TIMEOUT');
    const want = rrtype === 'TXT' ? ['TXT', 'SPF'] : [rrtype];
    const values: unknown[] = [];
    let noneTxt = false;
    for (const e of entries) {
      if (typeof e !== 'object' || e === null) continue;
      for (const [t, v] of Object.entries(e)) {
        if (!want.includes(t)) continue;
        if (v === 'NONE') {
          noneTxt = true;
          continue;
        }
        // a name with TXT entries answers TXT with them only; SPF entries stand in for TXT otherwise
        if (rrtype === 'TXT' && t === 'SPF' && entries.some((x) => typeof x === 'object' && x !== null && 'TXT' in x)) continue;
        values.push(v);
      }
    }
    if (noneTxt && rrtype === 'TXT') values.length = 0;
    if (!values.length) {
      if (timeout) throw dnsError('ETIMEOUT', name, rrtype);
      throw dnsError('ENODATA', name, rrtype);
    }
    switch (rrtype) {
      case 'TXT':
        return values.map((v) => (Array.isArray(v) ? v.map(String) : [String(v)]));
      case 'MX':
        return values.map((v) => ({ priority: Number((v as unknown[])[0]), exchange: String((v as unknown[])[1]) }));
      default:
        return values.map(String);
    }
  };
  return resolver as Resolver as <T extends RRType>(name: string, rrtype: T) => Promise<RecordTypes[T]>;
}

/** Lint problems that a receiver's check_host() turns into permerror (RFC 7208 sections 4.5, 4.6, 5.2, 6.1). */
const PERMERROR_CODES = new Set<SpfProblem['code']>([
  'syntax',
  'multiple-records',
  'include-none',
  'redirect-none',
  'lookup-limit',
  'void-limit',
  'loop',
  'mx-limit',
]);

/**
 * DNS names are case-insensitive (RFC 4343) and RFC 7208 section 7.4 writes %{ir} nibbles in lower
 * case where the suite writes them in upper case: the names in an explanation are compared without
 * case, every other character exactly.
 */
const DNS_NAME = /[a-z0-9-]+(?:\.[a-z0-9-]+)+/gi;
function sameExplanation(got: string | undefined, want: string | undefined): boolean {
  const fold = (s: string | undefined): string => (s ?? '').replace(DNS_NAME, (n) => n.toLowerCase());
  return fold(got) === fold(want);
}

let passed = 0;
let total = 0;
let lintPassed = 0;
const failures: string[] = [];
const lintFailures: string[] = [];
for (const s of sections) {
  const resolver = zoneResolver(s.zonedata);
  for (const [name, t] of Object.entries(s.tests)) {
    total++;
    const want = ([] as string[]).concat(t.result).map((r) => String(r).toLowerCase());
    const r = await evaluateSpf(String(t.host), String(t.mailfrom ?? ''), String(t.helo ?? ''), resolver, { timeLimitMs: 5000 });
    let ok = want.includes(r.result);
    let why = `result ${r.result}, expected ${want.join(' or ')}`;
    if (ok && t.explanation !== undefined && r.result === 'fail') {
      const exp = t.explanation === 'DEFAULT' ? undefined : String(t.explanation);
      if (!sameExplanation(r.explanation, exp)) {
        ok = false;
        why = `explanation ${JSON.stringify(r.explanation ?? null)}, expected ${JSON.stringify(exp ?? null)}`;
      }
    }
    if (ok) passed++;
    else failures.push(`${s.description} › ${name} (RFC 7208 ${t.spec ?? '?'}): ${why}${r.reason ? ` [${r.reason}]` : ''}`);
    if (verbose) console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: ${r.result}`);

    // the lint of the policy this test evaluates: the MAIL FROM domain, or HELO for a null sender
    const from = String(t.mailfrom ?? '');
    const domain = from.includes('@') ? from.slice(from.lastIndexOf('@') + 1) : String(t.helo ?? '');
    const walk = await walkSpf(domain, resolver);
    const flagged = walk.problems.filter((p) => p.level === 'fail' && PERMERROR_CODES.has(p.code));
    const lintOk = want.length === 1 && want[0] === 'permerror' ? flagged.length > 0 : !walk.problems.some((p) => p.code === 'syntax');
    if (lintOk) lintPassed++;
    else
      lintFailures.push(
        `${s.description} › ${name}: lint ${flagged.length ? flagged.map((p) => `${p.code}: ${p.message}`).join('; ') : 'found no permerror problem'}, expected ${want.join(' or ')}`,
      );
  }
}
for (const f of failures) console.log(f);
for (const f of lintFailures) console.log(f);
console.log(`\nRFC 7208 test suite: ${passed}/${total} tests pass (${((100 * passed) / total).toFixed(1)}%) through evaluateSpf`);
console.log(`RFC 7208 test suite: ${lintPassed}/${total} tests pass (${((100 * lintPassed) / total).toFixed(1)}%) through the own-record lint (walkSpf)`);
process.exit(failures.length || lintFailures.length ? 1 : 0);
