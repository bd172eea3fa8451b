/**
 * Provider rules: what a specific receiving provider means by its own wording and its own status
 * codes. Generic text rules cannot know that Yahoo's "[TSS04] temporarily deferred due to ... user
 * complaints" is about the sender's reputation rather than an IP listing, that Orange's
 * `LPN007_416` is an unknown recipient or that Microsoft's 5.7.509 is a DMARC failure.
 *
 * A provider applies when its `hosts` pattern is found in the remote MTA, the reporting MTA, the
 * report's head or the diagnostic itself (rules that decide by a code alone only when the host is
 * the recipient's own: its remote MTA, its address or its diagnostic) (a provider's wording names it: `(S3150)`,
 * `RESOLVER.ADR.RecipNotFound`, `LPN007_416`). Its rules are tried in order and the first match
 * wins over the generic verdict. The rule sets are data (providers-data*.ts), each rule citing
 * where the provider documents it; every phrase or code is an entry of its own (rulebook.ts).
 */
import { findCommand } from './classify.ts';
import { GLOBAL_PROVIDERS } from './providers-data.ts';
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
      return { rule, text, codes };
    }),
  };
}

export const PROVIDERS: Provider[] = [...GLOBAL_PROVIDERS, ...REGIONAL_PROVIDERS, ...ISP_PROVIDERS];
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

function ruleMatches(r: CompiledRule, lower: string, status: string | undefined): boolean {
  if (r.codes.length) {
    if (!status) return false;
    const hit = r.codes.find((k) => k.test(status));
    if (!hit) return false;
    if (!r.text.length) {
      if (!entryOn(hit.id)) return false;
      noteHit(hit.id);
      return true;
    }
  }
  return matchEntries(r.text, lower);
}

/** The provider's verdict for this diagnostic, or undefined when no provider rule applies. */
export function providerReason(
  where: string,
  diagnostic: string,
  status?: string,
  replyCode?: number,
  context?: string,
  near?: string,
): { provider: string; reason: Reason } | undefined {
  if (!diagnostic) return undefined;
  const lower = diagnostic.toLowerCase();
  let command: string | undefined | null = null;
  const klass = status ? status[0] : replyCode !== undefined ? String(replyCode)[0] : '';
  let verdict: { provider: string; reason: Reason } | undefined;
  for (const { p, rules } of COMPILED) {
    if (!p.hosts.test(where) && !p.hosts.test(diagnostic)) continue;
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
    // recipient's (its remote MTA, its address, its diagnostic), not any host the report mentions.
    const own = near === undefined || p.hosts.test(near) || p.hosts.test(diagnostic);
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
