/**
 * A static walk of an SPF record tree (RFC 7208), for what check_host() evaluation does not report:
 * how many DNS-querying terms and void lookups the whole tree costs, loops, risky `all` qualifiers
 * and deprecated `ptr`. The walk visits every term, which is what a receiver does for a client IP
 * that matches nothing (a spoofer): the worst case the section 4.6.4 limits are about.
 * Pass/fail evaluation is mailauth's (./evaluate.ts); this walker never decides a result.
 */
import { validateTerms } from 'mailauth/lib/spf/syntax.js';
import { joinTxt, lookup } from '../../shared/dns/resolver.ts';
import type { Resolver } from '../../shared/dns/resolver.ts';
import { normalizeDomain } from '../../shared/dns/names.ts';
import { cleanText } from './evaluate.ts';

/** RFC 7208 section 4.6.4 */
export const SPF_LOOKUP_LIMIT = 10;
export const SPF_VOID_LIMIT = 2;
export const SPF_MX_LIMIT = 10;
/** stop walking a pathological tree well past the limit: the verdict is already permerror */
const WALK_STOP = 40;

export interface SpfProblem {
  level: 'fail' | 'warn';
  code:
    | 'none'
    | 'multiple-records'
    | 'syntax'
    | 'lookup-limit'
    | 'void-limit'
    | 'loop'
    | 'include-none'
    | 'redirect-none'
    | 'temperror'
    | 'plus-all'
    | 'neutral-all'
    | 'no-all'
    | 'include-plus-all'
    | 'ptr'
    | 'mx-limit'
    | 'macro';
  domain: string;
  message: string;
}

export interface SpfNode {
  domain: string;
  via: 'root' | 'include' | 'redirect';
  record?: string;
  /** qualifier of this record's `all` mechanism, if it has one */
  all?: string;
  children: SpfNode[];
}

export interface SpfWalk {
  domain: string;
  root: SpfNode;
  /** DNS-querying terms (include, a, mx, ptr, exists, redirect) over the whole tree */
  lookups: number;
  /** queries of those terms that returned NXDOMAIN or no records */
  voidLookups: number;
  /** names behind the void lookups, so the fix can name them */
  voidNames: string[];
  /** qualifier of the top-level `all` (`+ - ~ ?`), or undefined when the record has none */
  all?: string;
  problems: SpfProblem[];
  /** a DNS error made the walk incomplete */
  temperror?: string;
}

const DNS_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);
const hasMacro = (s: string): boolean => /%\{/.test(s);

/**
 * Picks the SPF records out of a TXT answer (RFC 7208 section 4.5): a record begins with exactly
 * `v=spf1`, then SP or its end; nothing may come before the version, not even white space.
 */
export function selectSpfRecords(txt: (string[] | string)[]): string[] {
  return txt.map(joinTxt).filter((r) => /^v=spf1(?: |$)/i.test(r));
}

/** TXT records that would be SPF records without their leading white space: receivers ignore them. */
function nearMisses(txt: (string[] | string)[]): string[] {
  return txt.map(joinTxt).filter((r) => !/^v=spf1(?: |$)/i.test(r) && /^v=spf1(?: |$)/i.test(r.trimStart()));
}

interface State {
  lookups: number;
  voids: number;
  voidNames: string[];
  problems: SpfProblem[];
  temperror?: string;
  resolver: Resolver;
}

function problem(state: State, level: SpfProblem['level'], code: SpfProblem['code'], domain: string, message: string): void {
  if (!state.problems.some((p) => p.code === code && p.domain === domain && p.message === message)) {
    state.problems.push({ level, code, domain, message });
  }
}

/** A query counted as a void lookup when it has no answer (RFC 7208 section 4.6.4). */
async function probe(state: State, name: string, types: ('A' | 'AAAA' | 'MX')[]): Promise<number | undefined> {
  let found = 0;
  let voids = 0;
  for (const t of types) {
    const r = await lookup(state.resolver, name, t);
    if (r.ok) found += r.records.length;
    else if (r.none) voids++;
    else {
      state.temperror ??= `${t} ${name}: ${r.error}`;
      return undefined;
    }
  }
  // dual-stack names are void only when neither family answers (as mailauth counts them)
  if (found === 0 && voids === types.length) {
    state.voids++;
    state.voidNames.push(name);
  }
  return found;
}

function splitTerm(term: string): { qualifier: string; mechanism: string; arg: string } {
  const m = /^([+\-?~]?)([a-z0-9]+)(.*)$/i.exec(term) ?? ['', '', term, ''];
  return { qualifier: m[1] || '+', mechanism: m[2].toLowerCase(), arg: m[3] };
}

/** `a:host/24` → `host`; `a` → the current domain. */
function targetOf(arg: string, current: string): string {
  const m = /^:([^/]*)/.exec(arg);
  return m && m[1] ? m[1].replace(/\.$/, '') : current;
}

async function walkNode(state: State, domain: string, via: SpfNode['via'], chain: string[]): Promise<SpfNode> {
  const node: SpfNode = { domain, via, children: [] };
  if (chain.includes(domain)) {
    problem(state, 'fail', 'loop', domain, `${via} loop: ${[...chain, domain].join(' → ')}`);
    return node;
  }
  const txt = await lookup(state.resolver, domain, 'TXT');
  if (!txt.ok && !txt.none) {
    state.temperror ??= `TXT ${domain}: ${txt.error}`;
    return node;
  }
  if (!txt.ok && via !== 'root') {
    // the query of an include/redirect target that does not exist is a void lookup too
    state.voids++;
    state.voidNames.push(domain);
  }
  const records = txt.ok ? selectSpfRecords(txt.records) : [];
  if (records.length === 0) {
    const near = txt.ok ? nearMisses(txt.records) : [];
    if (via === 'root')
      problem(
        state,
        'fail',
        'none',
        domain,
        near.length
          ? `${domain} publishes no SPF record: ${JSON.stringify(cleanText(near[0], 80))} has white space before "v=spf1", so receivers ignore it (RFC 7208 section 4.5); remove it`
          : `${domain} publishes no SPF record`,
      );
    else
      problem(
        state,
        'fail',
        via === 'include' ? 'include-none' : 'redirect-none',
        domain,
        `${via}:${domain} has no SPF record, which is a permerror (RFC 7208 sections 5.2 and 6.1)`,
      );
    return node;
  }
  if (records.length > 1) {
    problem(state, 'fail', 'multiple-records', domain, `${domain} publishes ${records.length} SPF records; exactly one is allowed (RFC 7208 section 4.5)`);
    return node;
  }
  // record = version terms *SP (RFC 7208 section 4.5): trailing spaces are allowed, nothing else is
  // trimmed, so a tab or CR at either end is checked like any other character
  const record = records[0];
  node.record = record.replace(/ +$/, '');
  // RFC 7208 §4.6.1: terms are separated by SP only; §3.1 / §12: a record is printable US-ASCII
  const terms = record.split(' ').filter(Boolean).slice(1);
  const bad = /[^\x20-\x7e]/.exec(record);
  const syntax = bad
    ? `character ${JSON.stringify(bad[0])} at position ${bad.index}: an SPF record holds printable US-ASCII terms separated by spaces (RFC 7208 sections 3.1 and 4.6.1)`
    : validateTerms(terms);
  if (syntax)
    problem(
      state,
      'fail',
      'syntax',
      domain,
      `syntax error in the SPF record of ${domain}: ${syntax}, which receivers evaluate as permerror (RFC 7208 section 4.6)`,
    );

  let redirect: string | undefined;
  let allQualifier: string | undefined;
  for (const term of terms) {
    if (state.lookups > WALK_STOP) break;
    const eq = term.indexOf('=');
    const colon = term.search(/[:/]/);
    if (eq > 0 && (colon < 0 || eq < colon)) {
      if (term.slice(0, eq).toLowerCase() === 'redirect') redirect = term.slice(eq + 1).replace(/\.$/, '');
      continue;
    }
    const { qualifier, mechanism, arg } = splitTerm(term);
    if (mechanism === 'all') {
      allQualifier = qualifier;
      continue;
    }
    if (!DNS_TERMS.has(mechanism)) continue;
    state.lookups++;
    const target = mechanism === 'exists' || mechanism === 'include' ? arg.replace(/^:/, '').replace(/\.$/, '') : targetOf(arg, domain);
    if (mechanism === 'ptr') {
      problem(
        state,
        'warn',
        'ptr',
        domain,
        `"${term}" in ${domain}: the ptr mechanism is deprecated (RFC 7208 section 5.5), slow, and some receivers ignore it`,
      );
      continue;
    }
    if (hasMacro(target)) {
      problem(state, 'warn', 'macro', domain, `"${term}" in ${domain} uses macros; its lookups depend on the message and were not followed`);
      continue;
    }
    if (mechanism === 'include') {
      const child = await walkNode(state, normalizeDomain(target), 'include', [...chain, domain]);
      node.children.push(child);
      if (child.all === '+') {
        problem(
          state,
          'fail',
          'include-plus-all',
          child.domain,
          `include:${child.domain} ends in "+all", so it matches every IP and ${chain[0] ?? domain} passes for anyone`,
        );
      }
    } else if (mechanism === 'a') {
      await probe(state, target, ['A', 'AAAA']);
    } else if (mechanism === 'exists') {
      await probe(state, target, ['A']);
    } else if (mechanism === 'mx') {
      const mx = await lookup(state.resolver, target, 'MX');
      if (!mx.ok && !mx.none) state.temperror ??= `MX ${target}: ${mx.error}`;
      else if (!mx.ok) {
        state.voids++;
        state.voidNames.push(target);
      } else if (mx.records.length > SPF_MX_LIMIT) {
        problem(
          state,
          'fail',
          'mx-limit',
          domain,
          `"${term}" in ${domain}: ${target} has ${mx.records.length} MX hosts, more than ${SPF_MX_LIMIT} is a permerror (RFC 7208 section 4.6.4)`,
        );
      }
    }
  }
  node.all = allQualifier;
  if (redirect && allQualifier === undefined && state.lookups <= WALK_STOP) {
    // RFC 7208 section 6.1: redirect is ignored when the record has an "all" mechanism
    state.lookups++;
    if (hasMacro(redirect)) problem(state, 'warn', 'macro', domain, `redirect=${redirect} uses macros and was not followed`);
    else node.children.push(await walkNode(state, normalizeDomain(redirect), 'redirect', [...chain, domain]));
  }
  return node;
}

/** Walks the SPF tree of `domain` through `resolver` and reports limits and risks. */
export async function walkSpf(domain: string, resolver: Resolver): Promise<SpfWalk> {
  const d = normalizeDomain(domain);
  const state: State = { lookups: 0, voids: 0, voidNames: [], problems: [], resolver };
  const root = await walkNode(state, d, 'root', []);
  const all = root.all;
  const walk: SpfWalk = {
    domain: d,
    root,
    lookups: state.lookups,
    voidLookups: state.voids,
    voidNames: state.voidNames,
    all,
    problems: state.problems,
    temperror: state.temperror,
  };
  if (state.lookups > SPF_LOOKUP_LIMIT) {
    state.problems.push({
      level: 'fail',
      code: 'lookup-limit',
      domain: d,
      message: `${state.lookups > WALK_STOP ? `more than ${WALK_STOP}` : state.lookups} DNS-querying terms (include, a, mx, ptr, exists, redirect) across includes and redirects; receivers stop at ${SPF_LOOKUP_LIMIT} with permerror (RFC 7208 section 4.6.4)`,
    });
  }
  if (state.voids > SPF_VOID_LIMIT) {
    state.problems.push({
      level: 'fail',
      code: 'void-limit',
      domain: d,
      message: `${state.voids} void lookups (${state.voidNames.join(', ')}); receivers stop at ${SPF_VOID_LIMIT} with permerror (RFC 7208 section 4.6.4)`,
    });
  }
  if (root.record) {
    // the effective "all" of the root record, or of its redirect target
    let eff = all;
    let n: SpfNode | undefined = root;
    while (eff === undefined && n) {
      n = n.children.find((c) => c.via === 'redirect');
      eff = n?.all;
    }
    walk.all = eff;
    if (eff === '+')
      state.problems.push({
        level: 'fail',
        code: 'plus-all',
        domain: d,
        message: `the SPF record of ${d} ends in "+all": every IP on the Internet passes SPF for ${d}`,
      });
    else if (eff === '?')
      state.problems.push({
        level: 'fail',
        code: 'neutral-all',
        domain: d,
        message: `the SPF record of ${d} ends in "?all": unlisted IPs get neutral, so SPF protects nothing`,
      });
    else if (eff === undefined && !state.problems.some((p) => p.code === 'loop' || p.code === 'redirect-none'))
      state.problems.push({
        level: 'warn',
        code: 'no-all',
        domain: d,
        message: `the SPF record of ${d} has no "all": unlisted IPs get neutral (RFC 7208 section 4.7)`,
      });
  }
  return walk;
}
