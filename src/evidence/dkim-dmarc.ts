/**
 * DKIM, SPF, DMARC and BIMI detail from the trusted Authentication-Results: which signatures
 * passed (header.d / header.s / header.a / header.i, RFC 8601 §2.7.1), identifier alignment with
 * the From domain (RFC 7489 §3.1: relaxed = same organisational domain, strict = same name), the
 * policy the receiver applied (RFC 7489 §6.3 p/sp, and `dis=`/`policy.*-disposition`), and BIMI.
 */
import { getDomain } from 'tldts';
import type { AuthResult } from './authres.ts';

export type Alignment = 'strict' | 'relaxed' | 'none';

export interface DkimSignature {
  result: string;
  /** signing domain: header.d, else the domain of header.i */
  domain?: string;
  selector?: string;
  algorithm?: string;
  identity?: string;
  /** alignment of `domain` with the From domain; absent when either is unknown */
  alignment?: Alignment;
}

export interface SpfDetail {
  result: string;
  /** domain of smtp.mailfrom (or smtp.helo when the envelope sender was empty) */
  domain?: string;
  identity?: 'mailfrom' | 'helo';
  alignment?: Alignment;
}

export interface DmarcDetail {
  result: string;
  headerFrom?: string;
  /** published policy p= (none, quarantine, reject), lower-cased */
  policy?: string;
  subdomainPolicy?: string;
  /** what the receiver did: dis= / policy.applied-disposition / Microsoft action= */
  disposition?: string;
}

export interface BimiDetail {
  result: string;
  domain?: string;
  selector?: string;
  /** remaining props (policy.authority, policy.indicator-uri, ...) */
  props: Record<string, string>;
}

const PSL_OPTS = { allowPrivateDomains: true } as const;

/** Organisational domain (RFC 7489 §3.2) by the public suffix list; the name itself when unknown. */
export function organizationalDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, PSL_OPTS) ?? d;
}

export function alignment(a: string | undefined, b: string | undefined): Alignment | undefined {
  if (!a || !b) return undefined;
  const x = a.toLowerCase().replace(/\.$/, '');
  const y = b.toLowerCase().replace(/\.$/, '');
  if (x === y) return 'strict';
  return organizationalDomain(x) === organizationalDomain(y) ? 'relaxed' : 'none';
}

function domainOf(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const at = v.lastIndexOf('@');
  const d = (at >= 0 ? v.slice(at + 1) : v).trim().replace(/^<|>$/g, '');
  return d.length > 0 && d.length <= 253 ? d.toLowerCase() : undefined;
}

export function dkimSignatures(results: readonly AuthResult[], fromDomain?: string): DkimSignature[] {
  return results
    .filter((r) => r.method === 'dkim')
    .map((r) => {
      const s: DkimSignature = { result: r.result };
      const domain = domainOf(r.props['header.d']) ?? domainOf(r.props['header.i']);
      if (domain) s.domain = domain;
      if (r.props['header.s']) s.selector = r.props['header.s'];
      if (r.props['header.a']) s.algorithm = r.props['header.a'].toLowerCase();
      if (r.props['header.i']) s.identity = r.props['header.i'];
      const a = alignment(domain, fromDomain);
      if (a) s.alignment = a;
      return s;
    });
}

export function spfDetail(results: readonly AuthResult[], fromDomain?: string): SpfDetail | undefined {
  const spf = results.filter((r) => r.method === 'spf');
  const r = spf.find((x) => 'smtp.mailfrom' in x.props && x.props['smtp.mailfrom'] !== '') ?? spf[0];
  if (!r) return undefined;
  const d: SpfDetail = { result: r.result };
  const mf = domainOf(r.props['smtp.mailfrom'] || undefined);
  const helo = domainOf(r.props['smtp.helo']);
  if (mf) {
    d.domain = mf;
    d.identity = 'mailfrom';
  } else if (helo) {
    d.domain = helo;
    d.identity = 'helo';
  }
  const a = alignment(d.domain, fromDomain);
  if (a) d.alignment = a;
  return d;
}

/** `p=REJECT sp=REJECT dis=NONE` (Gmail), `p=none,d=none` (Fastmail), `p=reject` (mailauth, Yahoo). */
function commentPolicy(comments: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of comments) {
    for (const m of c.matchAll(/(?:^|[\s,;(])(p|sp|dis|d|pct|action)\s*=\s*([A-Za-z0-9.]+)/gi)) {
      const k = m[1].toLowerCase();
      if (!(k in out)) out[k] = m[2].toLowerCase();
    }
  }
  return out;
}

export function dmarcDetail(results: readonly AuthResult[]): DmarcDetail | undefined {
  const r = results.find((x) => x.method === 'dmarc');
  if (!r) return undefined;
  const d: DmarcDetail = { result: r.result };
  const from = domainOf(r.props['header.from']);
  if (from) d.headerFrom = from;
  const c = commentPolicy(r.comments);
  const policy = r.props['policy.published-domain-policy'] ?? c.p;
  const sp = r.props['policy.published-subdomain-policy'] ?? c.sp;
  const dis = r.props['policy.applied-disposition'] ?? c.dis ?? c.d ?? r.props['action'] ?? c.action;
  if (policy) d.policy = policy.toLowerCase();
  if (sp) d.subdomainPolicy = sp.toLowerCase();
  if (dis) d.disposition = dis.toLowerCase();
  return d;
}

export function bimiDetail(results: readonly AuthResult[]): BimiDetail | undefined {
  const r = results.find((x) => x.method === 'bimi');
  if (!r) return undefined;
  const b: BimiDetail = { result: r.result, props: {} };
  for (const [k, v] of Object.entries(r.props)) {
    if (k === 'header.d') b.domain = v.toLowerCase();
    else if (k === 'header.selector' || k === 'header.s') b.selector = v;
    else b.props[k] = v;
  }
  return b;
}
