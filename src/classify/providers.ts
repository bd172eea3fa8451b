/**
 * Provider rules: what a specific receiving provider means by its own wording and its own status
 * codes. Generic text rules cannot know that Yahoo's "[TSS04] temporarily deferred due to ... user
 * complaints" is about the sender's reputation rather than an IP listing, that Orange's
 * `LPN007_416` is an unknown recipient or that Microsoft's 5.7.509 is a DMARC failure.
 *
 * A provider applies when its `hosts` pattern is found in the remote MTA, the reporting MTA, the
 * report's head or the diagnostic itself (a provider's wording names it: `(S3150)`,
 * `RESOLVER.ADR.RecipNotFound`, `LPN007_416`). Rules that decide by a code alone apply only when
 * the provider is this recipient's own: its address's domain, the remote MTA that answered (the
 * Remote-MTA field or the host the report says answered), the reporting MTA or its diagnostic; so
 * a company domain whose MX is `*.mail.protection.outlook.com` gets Microsoft's codes. Its rules are tried in order and the first match
 * wins over the generic verdict. The rule sets are data (providers-data*.ts), each rule citing
 * where the provider documents it; every phrase or code is an entry of its own (rulebook.ts).
 */
import { findCommand } from './classify.ts';
import { GOOGLE_PROVIDERS } from './providers-data-google.ts';
import { MICROSOFT_PROVIDERS } from './providers-data-microsoft.ts';
import { GLOBAL_PROVIDERS } from './providers-data.ts';
import { GATEWAY_PROVIDERS } from './providers-data-gateways.ts';
import { REGIONAL_PROVIDERS } from './providers-data-regional.ts';
import { ISP_PROVIDERS } from './providers-data-isp.ts';
import { entryOn, matchEntries, noteHit, recording, type Entry } from './rulebook.ts';
import type { Reason } from './vocabulary.ts';

export interface ProviderRule {
  reason: Reason;
  /** lower-case substrings of the diagnostic */
  phrases?: string[];
  patterns?: RegExp[];
  /**
   * enhanced status codes the rule is documented for: exact (`5.7.509`) or a prefix with a range
   * of details (`5.7.606-649`). With phrases, the codes narrow them; without, the code decides.
   */
  codes?: string[];
  /** only when the status/reply class is this ('4' or '5') */
  klass?: '4' | '5';
  /** only when the failure followed this SMTP command */
  command?: string;
  /** where the provider documents the code or wording */
  source: string;
}

export interface Provider {
  name: string;
  hosts: RegExp;
  rules: ProviderRule[];
  /**
   * A provider error-code scheme inside the text (Orange's `OFR004_405`): `pattern` captures the
   * code, `table` maps it; an unmapped or null code gives no verdict.
   */
  codeTable?: { pattern: RegExp; key: (m: RegExpExecArray) => string; table: Record<string, Reason | null>; source: string };
}

interface CompiledRule {
  rule: ProviderRule;
  text: Entry[];
  /** the wordings of three words or more: the ones that read without their code */
  sentences: Entry[];
  codes: Array<{ id: string; test: (s: string) => boolean }>;
}
interface CompiledProvider {
  p: Provider;
  rules: CompiledRule[];
}

function codeTest(spec: string): (s: string) => boolean {
  const m = /^(\d\.\d{1,3}\.)(\d{1,3})-(\d{1,3})$/.exec(spec);
  if (!m) return (s) => s === spec;
  const [, prefix, lo, hi] = m;
  return (s) => s.startsWith(prefix) && Number(s.slice(prefix.length)) >= Number(lo) && Number(s.slice(prefix.length)) <= Number(hi);
}

function compile(p: Provider): CompiledProvider {
  return {
    p,
    rules: p.rules.map((rule) => {
      const base = `${p.name}:${rule.reason}`;
      const codes = (rule.codes ?? []).map((c) => ({ id: `${base}:${c}`, test: codeTest(c) }));
      const scope = rule.codes ? `[${rule.codes.join(',')}]` : '';
      const text: Entry[] = [
        ...(rule.phrases ?? []).map((ph) => ({ id: `${base}${scope}:${ph}`, source: rule.source, phrase: ph })),
        ...(rule.patterns ?? []).map((re) => ({ id: `${base}${scope}:/${re.source}/`, source: rule.source, re })),
      ];
      const sentences = text.filter((e) => e.re || (e.phrase ?? '').trim().split(/\s+/).length >= 3);
      return { rule, text, codes, sentences };
    }),
  };
}

export const PROVIDERS: Provider[] = [
  ...GOOGLE_PROVIDERS,
  ...MICROSOFT_PROVIDERS,
  ...GLOBAL_PROVIDERS,
  ...GATEWAY_PROVIDERS,
  ...REGIONAL_PROVIDERS,
  ...ISP_PROVIDERS,
];
const COMPILED = PROVIDERS.map(compile);

/** Every provider entry with its id and source (for the evaluation and for documentation). */
export function providerEntries(): Array<{ id: string; source: string; provider: string; reason: Reason }> {
  const out: Array<{ id: string; source: string; provider: string; reason: Reason }> = [];
  for (const c of COMPILED) {
    for (const r of c.rules) {
      const base = { source: r.rule.source, provider: c.p.name, reason: r.rule.reason };
      if (r.text.length) for (const e of r.text) out.push({ ...base, id: e.id });
      else for (const k of r.codes) out.push({ ...base, id: k.id });
    }
    const ct = c.p.codeTable;
    if (ct) {
      for (const [k, reason] of Object.entries(ct.table)) if (reason) out.push({ id: `${c.p.name}:code:${k}`, source: ct.source, provider: c.p.name, reason });
    }
  }
  return out;
}

/** `x.0.0` names no subject (RFC 3463 §3.1, §3.2): under it the wording is all there is. */
const UNDEFINED_STATUS = /^[245]\.0\.0$/;

/**
 * A rule documented under codes reads its wording under those codes; with no status or only an
 * undefined one (a relay that kept the reply but not its enhanced code) a sentence of the provider
 * decides alone. A fragment of one or two words ("syntax error", "invalid address") is documented
 * under several codes with different causes and needs its code, as does a rule of codes alone.
 */
function ruleMatches(r: CompiledRule, lower: string, status: string | undefined): boolean {
  if (!r.codes.length) return matchEntries(r.text, lower);
  const hit = status ? r.codes.find((k) => k.test(status)) : undefined;
  if (!hit) return (!status || UNDEFINED_STATUS.test(status)) && matchEntries(r.sentences, lower);
  if (r.text.length) return matchEntries(r.text, lower);
  if (!entryOn(hit.id)) return false;
  noteHit(hit.id);
  return true;
}

/**
 * A multi-line reply (RFC 5321 §4.2.1) flattened into one diagnostic keeps each line's
 * `550-5.2.1 ` prefix inside the provider's sentence; the sentence is matched without them.
 */
export function unfoldReply(lower: string): string {
  return lower.replace(/(^|\s)[245]\d\d-(?:[245]\.\d{1,3}\.\d{1,3}\s+)?/g, '$1').replace(/\s{2,}/g, ' ');
}

/**
 * Hosts a report names as the one that answered (`host X[ip] said:` of Postfix, `while talking to
 * X.:` of Sendmail, `host X [ip]` of Exim): with the Remote-MTA field they say whose reply the
 * diagnostic is, so a company domain hosted at Microsoft 365 or Google Workspace gets that
 * provider's codes whatever its own domain is.
 */
export function remoteHosts(text: string): string {
  const out: string[] = [];
  const re = /\bhost\s+([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.?\s*\[|\btalking to\s+([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\.?:/gi;
  for (const m of text.slice(0, 20000).matchAll(re)) out.push(m[1] ?? m[2]);
  return out.join(' ');
}

/**
 * The providers whose rules apply, in order. When the recipient's domain or the host that answered
 * names a provider, the reply is that provider's and only its rules read it (a Microsoft 365
 * tenant relaying to au.com reports au's reply, not Microsoft's); otherwise the provider that
 * wrote the report comes first, then any other the report mentions. A provider the diagnostic's
 * own wording names (`(S3150)`, `LPN007_416`) is read after them in every case.
 */
function rank(nearHosts: string | undefined, reporting: string | undefined): CompiledProvider[] {
  if (nearHosts === undefined) return COMPILED;
  const first: CompiledProvider[] = [];
  const second: CompiledProvider[] = [];
  const rest: CompiledProvider[] = [];
  for (const c of COMPILED) {
    if (c.p.hosts.test(nearHosts)) first.push(c);
    else if (reporting && c.p.hosts.test(reporting)) second.push(c);
    else rest.push(c);
  }
  return first.length ? first : second.length ? [...second, ...rest] : COMPILED;
}

/**
 * The provider's verdict for this diagnostic, or undefined when no provider rule applies.
 * `where`: the text a provider may be named in (report head, MTAs); `context`: the recipient's
 * part of the report; `near`: its remote MTA and address; `reporting`: the Reporting-MTA.
 */
export function providerReason(
  where: string,
  diagnostic: string,
  status?: string,
  replyCode?: number,
  context?: string,
  near?: string,
  reporting?: string,
): { provider: string; reason: Reason } | undefined {
  if (!diagnostic) return undefined;
  const lower = unfoldReply(diagnostic.toLowerCase());
  const nearHosts = near === undefined ? undefined : `${near} ${context ? remoteHosts(context) : ''}`;
  const ownHosts = nearHosts === undefined ? undefined : `${nearHosts} ${reporting ?? ''}`;
  let command: string | undefined | null = null;
  const klass = status ? status[0] : replyCode !== undefined ? String(replyCode)[0] : '';
  let verdict: { provider: string; reason: Reason } | undefined;
  const ranked = rank(nearHosts, reporting);
  const order = ranked === COMPILED ? ranked : [...ranked, ...COMPILED.filter((c) => !ranked.includes(c) && c.p.hosts.test(diagnostic))];
  for (const { p, rules } of order) {
    if (!p.hosts.test(where) && !p.hosts.test(diagnostic) && !(ownHosts && p.hosts.test(ownHosts))) continue;
    if (p.codeTable) {
      const m = p.codeTable.pattern.exec(diagnostic);
      if (m) {
        const key = p.codeTable.key(m);
        const reason = p.codeTable.table[key];
        const id = `${p.name}:code:${key}`;
        if (reason && entryOn(id)) {
          noteHit(id);
          verdict ??= { provider: p.name, reason };
          if (!recording()) return verdict;
        }
      }
    }
    // A code alone names a cause only in the provider's own reply: the provider must be this
    // recipient's (its address, the host that answered, the reporting MTA, its diagnostic), not
    // any host the report mentions.
    const own = ownHosts === undefined || p.hosts.test(ownHosts) || p.hosts.test(diagnostic);
    for (const r of rules) {
      if (r.rule.klass && r.rule.klass !== klass) continue;
      if (!own && r.codes.length && !r.text.length) continue;
      if (r.rule.command) {
        if (command === null) command = findCommand(lower) ?? (context ? findCommand(context.toLowerCase()) : undefined);
        if (command !== r.rule.command) continue;
      }
      if (ruleMatches(r, lower, status)) {
        verdict ??= { provider: p.name, reason: r.rule.reason };
        if (!recording()) return verdict;
      }
    }
  }
  return verdict;
}
