/**
 * Result keywords registered with IANA ("Email Authentication Result Names", RFC 8601 §6.2 and the
 * RFCs that define each method). A result outside its method's set is flagged as a semantic error:
 * `dkim=hardfail` or `dmarc=bestguesspass` is not a verdict anybody defined, and quietly reading it
 * as "not pass" would hide a broken or forged header.
 *
 * Only methods whose result set is registered and still in use are checked. Unknown and `x-`
 * methods take any keyword (RFC 8601 §2.7.7: unknown methods are ignored, not rejected);
 * `dkim-adsp` (historic) and `dkim-atps` (experimental; real OpenDKIM writes `neutral`) are left
 * unchecked on purpose. One receiver's own result words are its dialect (./authres-microsoft.ts).
 *
 * mailauth (7.1) keeps no registry: it returns whatever keyword a header carries, so a forged
 * `dkim=hardfail` and a real `dkim=fail` would look alike to its callers.
 */
import { snippet } from './text.ts';

export const REGISTERED_RESULTS: Readonly<Record<string, readonly string[]>> = {
  // RFC 8601 §2.7.1 (DKIM, RFC 6376), §2.7.2 (SPF; "hardfail" is the RFC 5451 name, deprecated by RFC 6577 but still written)
  dkim: ['none', 'pass', 'fail', 'policy', 'neutral', 'temperror', 'permerror'],
  domainkeys: ['none', 'pass', 'fail', 'policy', 'neutral', 'temperror', 'permerror'],
  spf: ['none', 'pass', 'fail', 'softfail', 'policy', 'neutral', 'temperror', 'permerror', 'hardfail'],
  'sender-id': ['none', 'pass', 'fail', 'softfail', 'policy', 'neutral', 'temperror', 'permerror', 'hardfail'],
  // RFC 8601 §2.7.3 iprev, §2.7.4 SMTP AUTH
  iprev: ['pass', 'fail', 'temperror', 'permerror'],
  auth: ['none', 'pass', 'fail', 'temperror', 'permerror'],
  // RFC 7489 §11.2 DMARC
  dmarc: ['none', 'pass', 'fail', 'temperror', 'permerror'],
  // RFC 8617 §10.1 ARC
  arc: ['none', 'pass', 'fail'],
  // RFC 6212 VBR, RFC 7281 S/MIME, RFC 7293 RRVS, RFC 8904 DNSWL
  vbr: ['none', 'pass', 'fail', 'temperror', 'permerror'],
  smime: ['none', 'pass', 'fail', 'policy', 'neutral', 'temperror', 'permerror'],
  rrvs: ['none', 'unknown', 'pass', 'fail', 'temperror', 'permerror'],
  dnswl: ['pass', 'none', 'temperror', 'permerror'],
  // BIMI (draft-brand-indicators-for-message-identification §7.7)
  bimi: ['pass', 'none', 'fail', 'temperror', 'declined', 'skipped'],
};

/** true when the keyword is allowed for the method (always true for unregistered methods). */
export function isRegisteredResult(method: string, result: string): boolean {
  const allowed = Object.hasOwn(REGISTERED_RESULTS, method) ? REGISTERED_RESULTS[method] : undefined;
  return allowed === undefined || allowed.includes(result);
}

/**
 * Property types (IANA "Email Authentication Property Types", RFC 7410 §3, RFC 8601 §2.3):
 * `smtp`, `header`, `body`, `policy`, and `dns` (RFC 8904 §5).
 */
export const REGISTERED_PTYPES: ReadonlySet<string> = new Set(['smtp', 'header', 'body', 'policy', 'dns']);

/**
 * The properties IANA registers per method ("Email Authentication Methods", RFC 8601 §6.2 and the
 * RFCs each row cites). A method listed with `undefined` is known but its property set is not
 * fixed (BIMI is a draft), so its properties are not checked.
 */
export const METHOD_PROPERTIES: Readonly<Record<string, readonly string[] | undefined>> = {
  // RFC 8601 §2.7.4, RFC 7001 (smtp.mailfrom for auth)
  auth: ['smtp.auth', 'smtp.mailfrom'],
  // RFC 8601 §2.7.1: header.d, header.i (RFC 6008 §3 adds header.b; RFC 8601 adds header.a, header.s)
  dkim: ['header.d', 'header.i', 'header.b', 'header.a', 'header.s'],
  'dkim-adsp': ['header.from'],
  'dkim-atps': ['header.from'],
  // RFC 7489 §11.2
  dmarc: ['header.from', 'policy.dmarc'],
  domainkeys: ['header.d', 'header.from', 'header.sender'],
  // RFC 8601 §2.7.3
  iprev: ['policy.iprev'],
  // RFC 8601 §2.7.2 for SPF; Sender ID reads the purported responsible address (RFC 4407 §2)
  spf: ['smtp.mailfrom', 'smtp.helo'],
  'sender-id': ['header.from', 'header.sender', 'header.resent-from', 'header.resent-sender'],
  // RFC 7281 §3 S/MIME
  smime: ['body.smime-identifier', 'body.smime-part', 'body.smime-serial', 'body.smime-issuer'],
  // RFC 7293 §6 RRVS, RFC 6212 §7 VBR
  rrvs: ['smtp.rcptto'],
  vbr: ['header.md', 'header.mv'],
  // RFC 8617 §10.1 ARC
  arc: ['header.oldest-pass', 'smtp.remote-ip'],
  // RFC 8904 §5 DNSWL
  dnswl: ['dns.zone', 'policy.ip', 'policy.txt', 'dns.sec'],
  bimi: undefined,
};

/** METHOD_PROPERTIES as Sets in a Map: looked up for every property of every header. */
const PROPERTIES = new Map<string, ReadonlySet<string> | null>(Object.entries(METHOD_PROPERTIES).map(([m, props]) => [m, props ? new Set(props) : null]));

/**
 * The registered properties of a method: a Set, `null` when the method is known but its set is
 * not fixed (BIMI), `undefined` for a method no registry defines. Looked up once per result.
 */
export function methodProperties(method: string): ReadonlySet<string> | null | undefined {
  return PROPERTIES.get(method);
}

/** registry finding messages, built once per name and shared by all parses (bounded) */
const METHOD_NOTES = new Map<string, string>();
const PTYPE_NOTES = new Map<string, string>();
const PROPERTY_NOTES = new Map<string, Map<string, string>>();

function remember(cache: Map<string, string>, name: string, build: () => string): string {
  let message = cache.get(name);
  if (message === undefined) {
    if (cache.size >= 256) cache.clear();
    cache.set(name, (message = build()));
  }
  return message;
}

/** The message for a method no registry defines. */
export function unregisteredMethod(method: string): string {
  return remember(METHOD_NOTES, method, () => `method ${snippet(method)} is not in the IANA Email Authentication Methods registry (RFC 8601 §2.7.7)`);
}

/** The message for a ptype outside the registry. */
export function unregisteredPtype(ptype: string): string {
  return remember(PTYPE_NOTES, ptype, () => `ptype ${snippet(ptype)} is not in the IANA Email Authentication Property Types registry (RFC 7410 §3)`);
}

/** The message for a property its (registered) method does not define. */
export function unregisteredProperty(method: string, key: string): string {
  let cache = PROPERTY_NOTES.get(method);
  if (cache === undefined) {
    if (PROPERTY_NOTES.size >= 64) PROPERTY_NOTES.clear();
    PROPERTY_NOTES.set(method, (cache = new Map()));
  }
  return remember(cache, key, () => `property ${snippet(key)} is not registered for the ${method} method (RFC 8601 §6.2)`);
}
