/**
 * The lab's fixed world: names, users, folders and ports. Everything else in `lab/` renders
 * configuration from this one description, so a test and the daemons can never disagree.
 *
 * Only loopback is used (127.0.0.0/8 and ::1): the machine's uplink is never a lab address.
 *
 * | env var                          | default              | what                                   |
 * | -------------------------------- | -------------------- | -------------------------------------- |
 * | MAILCANARY_LAB_DIR               | /tmp/mailcanary-lab  | state dir (configs, logs, mail, pids)  |
 * | MAILCANARY_LAB_DNS_PORT          | 5353                 | NSD, UDP+TCP on 127.0.0.1              |
 * | MAILCANARY_LAB_IMAP_PORT         | 1143                 | Dovecot IMAP on 127.0.0.1 and ::1, and |
 * |                                  |                      | on 127.0.0.3 without UIDPLUS (below)   |
 * | MAILCANARY_LAB_LMTP_PORT         | 1124                 | Dovecot LMTP (Postfix local delivery)  |
 * | MAILCANARY_LAB_AUTH_PORT         | 1125                 | Dovecot auth (Postfix SASL)            |
 * | MAILCANARY_LAB_SUBMISSION_PORT   | 1587                 | Postfix authenticated submission       |
 * | MAILCANARY_LAB_INBOUND_PORT      | 2525                 | Postfix as inbound MX of canary.test   |
 * | MAILCANARY_LAB_MILTER_PORT       | 18891                | OpenDKIM milter                        |
 * | MAILCANARY_LAB_MX_BASE_PORT      | 2601                 | provider MX sims use base..base+5      |
 * | MAILCANARY_LAB_SMTPS_PORT        | 2465                 | Postfix submission, implicit TLS (465) |
 * | MAILCANARY_LAB_WEB_PORT          | 8443                 | HTTPS website of canary.test (443)     |
 * | MAILCANARY_LAB_OAUTH_PORT        | 8480                 | OAuth2 token/introspection (lab/oauth) |
 * | MAILCANARY_LAB_CA_DIR            | /tmp/mailcanary-lab-ca | lab CA, shared by lab instances      |
 * | MAILCANARY_LAB_RSPAMD_PORT       | 11333                | rspamd normal worker (/checkv2)        |
 * | MAILCANARY_LAB_SUBMISSION4_PORT  | 1588                 | 2nd Postfix: submission whose mail     |
 * |                                  |                      | leaves over IPv4 only (SMTP_PATHS)     |
 *
 * Postfix's inbound, submission and smtps ports listen on 127.0.0.1 and ::1 (mail.canary.test
 * has an AAAA record), as does the website. The gmail-like MX is dual-stack like the real one:
 * it listens on ::1 (the main Postfix's path) and on 127.0.0.1 at the same port (the IPv4 path
 * of lab/services/postfix-v4path.ts).
 */
import { join } from 'node:path';

export type ProviderId = 'gmail' | 't-online' | 'gmx' | 'outlook' | 'blackhole' | 'council';

export interface LabUser {
  address: string;
  password: string;
  /** folders created at start, besides INBOX */
  folders: string[];
  spamFolder: string;
  /** special-use flag on the spam folder (RFC 6154), null where the real provider sets none */
  spamSpecialUse: '\\Junk' | null;
}

export interface LabProvider {
  id: ProviderId;
  domain: string;
  /** mx.<domain>: the MX host name and the authserv-id of its Authentication-Results (RFC 8601 §2.5) */
  mxHost: string;
  /** address the simulator listens on; gmail-like is the IPv6 path */
  listenHost: string;
  port: number;
  hasAAAA: boolean;
  seed: LabUser;
}

/**
 * One domain the user's server sends for: its own zone, DKIM selector and key pair, DMARC
 * record and submission login. The first one is `domain` (canary.test).
 */
export interface LabSenderDomain {
  domain: string;
  /** DKIM selector; the key pair is `STATE/keys/<selector>.private` (lab/dkim.ts) */
  selector: string;
  /** the submission login of the domain's sender (a Dovecot user, authenticated by Postfix SASL) */
  login: { address: string; password: string };
}

export interface LabTopology {
  stateDir: string;
  domain: string;
  /** every sending domain, `domain` first; mail of the host name itself is signed as `domain` */
  senderDomains: LabSenderDomain[];
  mailHost: string;
  dkimSelector: string;
  dns: { host: string; port: number };
  imap: { host: string; host6: string; port: number };
  /**
   * The same Dovecot and mailboxes, on another loopback address whose CAPABILITY leaves out
   * UIDPLUS (RFC 4315), like Cyrus IMAP and other servers without it: there only a plain EXPUNGE
   * exists, which removes every `\Deleted` message of a folder.
   */
  imapNoUidplus: { host: string; port: number };
  lmtp: { host: string; port: number };
  auth: { host: string; port: number };
  submission: { host: string; port: number };
  /** the second Postfix instance (lab/services/postfix-v4path.ts): same server, mail leaves over IPv4 */
  submission4: { host: string; port: number };
  inbound: { host: string; port: number };
  /** implicit-TLS submission (the lab's "465") */
  smtps: { host: string; port: number };
  /** the HTTPS website of the sending domain (the lab's "443"), on 127.0.0.1 and ::1 */
  web: { host: string; host6: string; port: number };
  /** the lab CA (outside the state dir: shared by every lab instance and by lab.env) */
  caDir: string;
  milter: { host: string; port: number };
  /** rspamd's normal worker, the content filter of the gmx-like and outlook-like MXs */
  rspamd: { host: string; port: number };
  /** Dovecot master user (RFC 4616 authzid-like `user*master` login) the MX sims file mail with */
  masterUser: { name: string; password: string };
  /** system user the mail is stored as */
  systemUser: string;
  sender: LabUser;
  providers: LabProvider[];
  users: LabUser[];
}

export const SEED_PASSWORD = 'lab-seed-password';
export const SENDER_PASSWORD = 'lab-sender-password';
/** the other sending domains of the same server: a family's and a club's (made-up lab passwords) */
export const EXTRA_SENDER_DOMAINS = [
  { domain: 'family.test', selector: 'fam2026', login: { address: 'monitor@family.test', password: 'lab-family-password' } },
  { domain: 'club.test', selector: 'club2026', login: { address: 'monitor@club.test', password: 'lab-club-password' } },
] as const satisfies readonly LabSenderDomain[];

function port(env: NodeJS.ProcessEnv, name: string, dflt: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${name}=${JSON.stringify(raw)} is not a TCP port: set it to an integer 1..65535 or unset it`);
  }
  return n;
}

function seed(domain: string, spamFolder: string, spamSpecialUse: '\\Junk' | null): LabUser {
  return { address: `seed@${domain}`, password: SEED_PASSWORD, folders: [spamFolder, 'Archive'], spamFolder, spamSpecialUse };
}

/** The lab topology with env overrides applied. Pure apart from reading `env`. */
export function labTopology(env: NodeJS.ProcessEnv = process.env): LabTopology {
  const stateDir = env.MAILCANARY_LAB_DIR || '/tmp/mailcanary-lab';
  const mxBase = port(env, 'MAILCANARY_LAB_MX_BASE_PORT', 2601);
  const providers: LabProvider[] = [
    { id: 'gmail', domain: 'gmail.lab.test', listenHost: '::1', hasAAAA: true, spam: '[Gmail]/Spam', su: '\\Junk' as const },
    { id: 't-online', domain: 't-online.lab.test', listenHost: '127.0.0.1', hasAAAA: false, spam: 'Spam', su: '\\Junk' as const },
    { id: 'gmx', domain: 'gmx.lab.test', listenHost: '127.0.0.1', hasAAAA: false, spam: 'Spamverdacht', su: null },
    { id: 'outlook', domain: 'outlook.lab.test', listenHost: '127.0.0.1', hasAAAA: false, spam: 'Junk Email', su: null },
    { id: 'blackhole', domain: 'blackhole.lab.test', listenHost: '127.0.0.1', hasAAAA: false, spam: 'Junk', su: '\\Junk' as const },
    // a domain no seed watches (lab/seeds.lab.ts has none): a council whose filter refuses the
    // sender by IP reputation, seen only in the sending server's log
    { id: 'council', domain: 'council.lab.test', listenHost: '127.0.0.1', hasAAAA: false, spam: 'Junk', su: '\\Junk' as const },
  ].map((p, i) => ({
    id: p.id as ProviderId,
    domain: p.domain,
    mxHost: `mx.${p.domain}`,
    listenHost: p.listenHost,
    port: mxBase + i,
    hasAAAA: p.hasAAAA,
    seed: seed(p.domain, p.spam, p.su),
  }));
  const sender: LabUser = {
    address: 'monitor@canary.test',
    password: SENDER_PASSWORD,
    folders: ['Junk', 'Archive'],
    spamFolder: 'Junk',
    spamSpecialUse: '\\Junk',
  };
  return {
    stateDir,
    domain: 'canary.test',
    senderDomains: [
      { domain: 'canary.test', selector: 'mc2026', login: { address: sender.address, password: sender.password } },
      ...EXTRA_SENDER_DOMAINS.map((d) => ({ domain: d.domain, selector: d.selector, login: { ...d.login } })),
    ],
    mailHost: 'mail.canary.test',
    dkimSelector: 'mc2026',
    dns: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_DNS_PORT', 5353) },
    imap: { host: '127.0.0.1', host6: '::1', port: port(env, 'MAILCANARY_LAB_IMAP_PORT', 1143) },
    imapNoUidplus: { host: '127.0.0.3', port: port(env, 'MAILCANARY_LAB_IMAP_PORT', 1143) },
    lmtp: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_LMTP_PORT', 1124) },
    auth: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_AUTH_PORT', 1125) },
    submission: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_SUBMISSION_PORT', 1587) },
    submission4: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_SUBMISSION4_PORT', 1588) },
    inbound: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_INBOUND_PORT', 2525) },
    smtps: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_SMTPS_PORT', 2465) },
    web: { host: '127.0.0.1', host6: '::1', port: port(env, 'MAILCANARY_LAB_WEB_PORT', 8443) },
    caDir: env.MAILCANARY_LAB_CA_DIR || '/tmp/mailcanary-lab-ca',
    milter: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_MILTER_PORT', 18891) },
    rspamd: { host: '127.0.0.1', port: port(env, 'MAILCANARY_LAB_RSPAMD_PORT', 11333) },
    masterUser: { name: 'labmx', password: 'lab-mx-master-password' },
    systemUser: 'mailcanary-lab',
    sender,
    providers,
    users: [...providers.map((p) => p.seed), sender],
  };
}

/** Files inside the state dir. One place, so cli/status/tests name the same log files. */
export function labPaths(stateDir: string) {
  return {
    stateDir,
    keys: join(stateDir, 'keys'),
    scenario: join(stateDir, 'scenario.json'),
    events: join(stateDir, 'mx-events.jsonl'),
    pids: join(stateDir, 'pids'),
    nsdDir: join(stateDir, 'nsd'),
    nsdLog: join(stateDir, 'nsd.log'),
    dovecotDir: join(stateDir, 'dovecot'),
    dovecotLog: join(stateDir, 'dovecot.log'),
    mailDir: join(stateDir, 'mail'),
    postfixDir: join(stateDir, 'postfix'),
    postfixLog: join(stateDir, 'postfix.log'),
    postfix4Dir: join(stateDir, 'postfix4'),
    postfix4Log: join(stateDir, 'postfix4.log'),
    opendkimDir: join(stateDir, 'opendkim'),
    /** OpenDKIM's milter socket: a Unix socket, since milter over loopback TCP stalls on Nagle + delayed ACK (~40 ms a message) */
    milterSocket: join(stateDir, 'opendkim', 'milter.sock'),
    opendkimLog: join(stateDir, 'opendkim.log'),
    mxLog: join(stateDir, 'mx.log'),
    tlsDir: join(stateDir, 'tls'),
    webLog: join(stateDir, 'web.log'),
    rspamdDir: join(stateDir, 'rspamd'),
    rspamdLog: join(stateDir, 'rspamd.log'),
    /** rspamd's compiled Hyperscan patterns: kept across lab starts (compiling them takes ~40 s, loading them ~2 s) */
    rspamdCache: join(stateDir, 'rspamd-hs-cache'),
  };
}
export type LabPaths = ReturnType<typeof labPaths>;
