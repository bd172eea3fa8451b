/**
 * Lab scenarios as data. A scenario changes what the lab's DNS publishes and how the provider
 * MX simulators judge mail; adding one is adding an entry to SCENARIOS (no code paths per name).
 *
 * The active scenario is persisted in `STATE/scenario.json`; the MX sims re-read it for every
 * message, the DNS is re-rendered and NSD reloaded by `setScenario()`.
 */
import type { ProviderId } from './topology.ts';

export interface TempfailRule {
  /** answer this many attempts per Message-ID with a 4xx, then accept */
  attempts: number;
  code: number;
  text: string;
}

export interface Scenario {
  name: string;
  description: string;
  dns: {
    /**
     * sending domains whose `<selector>._domainkey` publishes the previous public key instead of
     * the one OpenDKIM signs with (a key rotation that was never published → dkim=fail, RFC 6376
     * §6.1.3); every other domain publishes its signing key
     */
    dkimStale: string[];
    /** Return Path SenderScore of the sending IPv4 address, answered as 127.0.4.<score> */
    senderScore: number;
    /** Mailspike reputation answer for the sending IPv4 address (127.0.0.10 worst .. 127.0.0.20 excellent) */
    mailspike: string;
    /** a DNS posture mistake (dns/posture-records.ts): SPF, DMARC, PTR or a blocklist listing */
    posture?: PostureBreak;
  };
  /** the user's own server mail.canary.test as seen from outside (Postfix, see services/postfix.ts) */
  server: {
    /** `open`: the inbound MX relays for anybody (mynetworks = the whole Internet) */
    relay: 'closed' | 'open';
    /** certificate of the MX and submission ports */
    cert: 'valid' | 'expired' | 'wrong-name';
    /** host name the SMTP greeting announces; unset: the server's real name */
    bannerHost?: string;
    /** submission offers AUTH before STARTTLS (smtpd_tls_auth_only = no, TLS optional) */
    authInClear: boolean;
  };
  /**
   * a third party sending as the domain when the scenario is set (lab/spoofer.ts): from an
   * unknown loopback address straight to a provider's MX, so the provider's next DMARC report
   * lists it as a source
   */
  spoof?: { provider: ProviderId; ip: string; from: string; count: number };
  /** the website of canary.test (services/web.ts) */
  web: {
    /** the home page links an imprint/contact page */
    contactPage: boolean;
  };
  /**
   * settings the user's suite runs with in this scenario (what the sender sends), e.g. the
   * `spammy` control variant; the lab tests and `node lab/cli.ts` pass them to the run
   */
  suiteEnv?: Record<string, string>;
  /**
   * what a run of the user's suite shows in this scenario, for `npm run demo` to explain and
   * check: the tests expected to fail (title patterns) and why; every other test should pass.
   * `mayFail`: tests whose outcome depends on earlier runs' history, not on the scenario alone
   * (the server-log test fails only when a domain refuses that did not in the previous reading)
   */
  shows?: { failing: RegExp[]; mayFail?: RegExp[]; why: string };
  mx: {
    /** sending IPs on a provider's allowlist; a provider listed here rejects everybody else */
    allowlist: Partial<Record<ProviderId, string[]>>;
    tempfail: Partial<Record<ProviderId, TempfailRule>>;
    /**
     * a provider that refuses at the greeting (RFC 5321 §3.1: a 554 instead of 220), as Telekom
     * does for listed IPs; `{ip}` in the text becomes the client's address
     */
    greetingBlock?: Partial<Record<ProviderId, { code: number; text: string }>>;
  };
}

import type { PostureBreak } from './dns/types.ts';
import { LISTED_SPAM_DOMAIN } from './dns/posture-records.ts';

export const SENDER_IPS = ['127.0.0.1', '::1'];

const healthy: Scenario = {
  name: 'healthy',
  description: 'everything set up right: SPF, DKIM, DMARC pass, t-online-like allowlists the sender',
  dns: { dkimStale: [], senderScore: 92, mailspike: '127.0.0.18' },
  mx: { allowlist: { 't-online': [...SENDER_IPS] }, tempfail: {} },
  server: { relay: 'closed', cert: 'valid', authInClear: false },
  web: { contactPage: true },
  shows: { failing: [], why: 'everything set up right: every test passes (the lab seeds expect spam and missing where the simulated providers file so)' },
};

/** A variant of `healthy`; what it shows is its own (a variant without `shows` says nothing). */
function variant(name: string, description: string, change: (s: Scenario) => void): Scenario {
  const s: Scenario = structuredClone(healthy);
  s.name = name;
  s.description = description;
  delete s.shows;
  change(s);
  return s;
}

/** The server-log test: it fails when a remote domain refuses that did not in the previous reading. */
const SERVER_LOG = /\brejections of your real mail and outbound volume\b/;
/** the MXs that verify SPF, DKIM and DMARC; the blackhole drops mail unread */
const VERIFYING = '(?:gmail|tonline|gmx|outlook)';
/** every placement test of one lab seed */
const atSeed = (seed: string) => new RegExp(`\\blab-${seed} › `);
/**
 * the placement tests of canary.test mail at the verifying MXs: titles with a sender, and
 * without one (the MAIL_FROM shorthand sends as canary.test)
 */
const CANARY_AT_VERIFYING = [new RegExp(`\\blab-${VERIFYING} › .+ from canary\\.test `), new RegExp(`\\blab-${VERIFYING} › \\S+ (?:lands in|is) `)];
/** every placement test: nothing the run sends reaches a seed */
const EVERY_PLACEMENT = /\blab-[a-z]+ › .+ (?:lands in|is missing)\b/;
/**
 * a certificate the send step refuses: the three TLS checks fail, and no message is submitted,
 * so every placement test fails as send-failed
 */
const BAD_CERTIFICATE = [
  /\btls › canary\.test MX offers STARTTLS with a valid certificate\b/,
  /\btls › submission \S+ port \d+ requires STARTTLS before AUTH\b/,
  /\btls › smtps \S+ port \d+ implicit TLS with a valid certificate\b/,
  EVERY_PLACEMENT,
];

export const SCENARIOS: Record<string, Scenario> = {
  healthy,
  'dkim-broken': variant('dkim-broken', 'DNS publishes an old DKIM key: OpenDKIM signs with a key nobody can verify', (s) => {
    s.dns.dkimStale = ['canary.test'];
    s.shows = {
      // the four MXs that verify DKIM; the blackhole drops mail unread. Titles with a sender, and
      // without one (the MAIL_FROM shorthand)
      failing: [/\blab-(?:gmail|tonline|gmx|outlook) › .+ from (?:mail\.)?canary\.test /, /\blab-(?:gmail|tonline|gmx|outlook) › \S+ (?:lands in|is) /],
      why: "canary.test mail (and the host name's system mail, signed with the same key) carries dkim=fail (the published mc2026 key is the old one): gmail-like files it as spam; t-online-, gmx- and outlook-like keep it where they would (DMARC still passes through aligned SPF) but report dkim=fail, which fails those tests' authentication check",
    };
  }),
  'dkim-broken-one-domain': variant(
    'dkim-broken-one-domain',
    'DNS of family.test publishes an old DKIM key; canary.test and club.test stay signed with keys that match',
    (s) => {
      s.dns.dkimStale = ['family.test'];
      s.shows = {
        failing: [/\blab-(?:gmail|tonline|gmx|outlook) › .+ from family\.test /],
        why: "family.test mail carries dkim=fail (the published fam2026 key is the old one): gmail-like files it as spam; t-online-, gmx- and outlook-like keep it where they would (DMARC still passes through aligned SPF) but report dkim=fail, which fails those tests' authentication check; canary.test, club.test and the system mail pass everywhere",
      };
    },
  ),
  'tonline-not-allowlisted': variant('tonline-not-allowlisted', 't-online-like no longer allowlists the sending IPs (NOWL reject)', (s) => {
    s.mx.allowlist['t-online'] = [];
    s.shows = {
      failing: [atSeed('tonline')],
      mayFail: [SERVER_LOG],
      why: "t-online-like refuses every sender's mail at RCPT with 554 5.7.1 … None/bad reputation (NOWL): each lab-tonline test is bounced (reason badreputation, Telekom's allowlist advice); the server-log test fails when t-online.lab.test refuses newly since the previous reading",
    };
  }),
  'tonline-greeting-block': variant(
    'tonline-greeting-block',
    't-online-like refuses the sending IP at the greeting (554 … (BL)); Postfix keeps retrying',
    (s) => {
      s.mx.greetingBlock = {
        't-online': { code: 554, text: 'IP={ip} - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)' },
      };
      s.shows = {
        failing: [atSeed('tonline')],
        mayFail: [SERVER_LOG],
        why: "t-online-like answers 554 … (BL) instead of its greeting and Postfix keeps retrying: each lab-tonline test is deferred at the seed's timeout with that reply from the server's log; the server-log test fails when t-online.lab.test refuses newly since the previous reading",
      };
    },
  ),
  'outlook-tempfail': variant('outlook-tempfail', 'outlook-like answers 451 4.7.500 to the first 2 attempts per message', (s) => {
    s.mx.tempfail.outlook = { attempts: 2, code: 451, text: '4.7.500 Server busy. Please try again later.' };
    s.shows = {
      failing: [],
      mayFail: [SERVER_LOG],
      why: 'outlook-like answers 451 4.7.500 twice per message, Postfix retries within seconds and the third attempt is accepted: every test passes (lab-outlook mail arrives after its delay reports); the server-log test fails when the 451 replies are new since the previous reading',
    };
  }),
  'outlook-tempfail-long': variant('outlook-tempfail-long', 'outlook-like answers 451 4.7.500 to every attempt (a provider throttling the sender)', (s) => {
    s.mx.tempfail.outlook = { attempts: 1_000_000, code: 451, text: '4.7.500 Server busy. Please try again later.' };
    s.shows = {
      failing: [atSeed('outlook')],
      mayFail: [SERVER_LOG],
      why: "outlook-like answers 451 4.7.500 to every attempt: each lab-outlook test is deferred at the seed's timeout with that reply; the server-log test fails when outlook.lab.test refuses newly since the previous reading",
    };
  }),
  'open-relay': variant('open-relay', "the server's MX port relays mail for anybody (mynetworks = 0.0.0.0/0)", (s) => {
    s.server.relay = 'open';
    s.shows = {
      failing: [/\bopen relay › canary\.test MX refuses to relay\b/],
      why: "the server's MX accepts mail from outside for a domain it does not serve: the open-relay check fails; mail still goes out, so every placement test passes",
    };
  }),
  'cert-expired': variant('cert-expired', 'the MX and submission ports present a certificate that expired 30 days ago', (s) => {
    s.server.cert = 'expired';
    s.shows = {
      failing: BAD_CERTIFICATE,
      why: 'the server presents a certificate that expired 30 days ago: the three TLS checks fail, and the send step cannot submit (certificate has expired), so every placement test fails as send-failed',
    };
  }),
  'cert-wrong-name': variant('cert-wrong-name', 'the MX and submission ports present a certificate for another host name', (s) => {
    s.server.cert = 'wrong-name';
    s.shows = {
      failing: BAD_CERTIFICATE,
      why: 'the server presents a certificate for another host name: the three TLS checks fail, and the send step cannot submit (the name does not match), so every placement test fails as send-failed',
    };
  }),
  'banner-mismatch': variant('banner-mismatch', "the SMTP greeting announces a hosting provider's default name, not the PTR name", (s) => {
    s.server.bannerHost = 'vps-1234.hosting.test';
    s.shows = {
      failing: [/\bbanner › canary\.test MX greeting and EHLO name match the PTR\b/],
      why: 'the MX greeting announces vps-1234.hosting.test while the PTR says mail.canary.test: the banner check fails; outgoing mail still says EHLO mail.canary.test, so every placement test passes',
    };
  }),
  'auth-in-clear': variant('auth-in-clear', 'submission offers AUTH before STARTTLS (passwords may cross in clear)', (s) => {
    s.server.authInClear = true;
    s.shows = {
      failing: [/\btls › submission \S+ port \d+ requires STARTTLS before AUTH\b/],
      why: 'the submission port offers AUTH before STARTTLS: that check fails; mailcanary itself still upgrades with STARTTLS before it logs in, so every placement test passes',
    };
  }),
  'low-reputation': variant('low-reputation', 'SenderScore 41 and Mailspike "very bad" for the sending IP', (s) => {
    s.dns.senderScore = 41;
    s.dns.mailspike = '127.0.0.11';
    s.shows = {
      failing: [/\breputation › 127\.0\.0\.1 by DNS reputation services and block lists\b/],
      why: 'SenderScore 41 and Mailspike "very bad" for the sending IPv4 address: its reputation check fails (both lists answer for IPv4 only, so ::1 passes); the lab MXs do not judge by these lists, so every placement test passes',
    };
  }),
  'spf-missing-ip': variant('spf-missing-ip', 'SPF no longer lists the sending IPs (the server moved, SPF was not updated)', (s) => {
    s.dns.posture = 'spf-missing-ip';
    s.shows = {
      failing: [/\bspf › canary\.test sending IPs pass\b/, ...CANARY_AT_VERIFYING],
      why: "canary.test's SPF no longer lists 127.0.0.1 and ::1: the DNS check of its sending IPs fails, and gmail-, t-online-, gmx- and outlook-like report spf=fail for canary.test mail, which fails those tests' authentication check (DMARC still passes through aligned DKIM); family.test, club.test and the system mail have their own SPF and pass",
    };
  }),
  'spf-too-many-lookups': variant('spf-too-many-lookups', 'SPF needs 11 DNS lookups (RFC 7208 allows 10): permerror', (s) => {
    s.dns.posture = 'spf-too-many-lookups';
    s.shows = {
      failing: [/\bspf › canary\.test record is valid and within limits\b/],
      why: "canary.test's SPF record needs 11 DNS lookups (RFC 7208 §4.6.4 allows 10): the record check fails; the evaluation of the sending IPs (the DNS check's and the lab receivers') still passes, so every placement test passes, while a receiver that counts every lookup answers permerror",
    };
  }),
  spoofer: variant('spoofer', 'an unknown host (127.0.0.66) sends as canary.test straight to the gmail-like MX, failing SPF and DKIM', (s) => {
    // never 192.0.2.x: that block is this machine's real uplink
    s.spoof = { provider: 'gmail', ip: '127.0.0.66', from: 'billing@canary.test', count: 2 };
    s.shows = {
      failing: [],
      why: "a stranger (127.0.0.66) sends as canary.test to the gmail-like MX; the run's own mail is untouched, so every test passes: the stranger shows up in gmail-like's next DMARC report (`npm run lab -- reports`, then the reports test names the unknown source)",
    };
  }),
  'dmarc-missing': variant('dmarc-missing', 'no DMARC record at _dmarc.canary.test', (s) => {
    s.dns.posture = 'dmarc-missing';
    s.shows = {
      failing: [/\bdmarc › (?:mail\.)?canary\.test policy is valid\b/, /\bbimi › canary\.test record\b/, ...CANARY_AT_VERIFYING],
      why: "_dmarc.canary.test is gone: the DMARC check fails for canary.test and for its host name mail.canary.test, which has no record of its own and falls back to the organizational domain's (RFC 7489 §6.6.3), BIMI fails (it needs an enforcing DMARC policy), and the receivers report dmarc=none for canary.test mail, which fails those tests' authentication check at gmail-, t-online-, gmx- and outlook-like; family.test, club.test and the system mail's placement tests pass",
    };
  }),
  'ipv6-ptr-missing': variant('ipv6-ptr-missing', 'the IPv6 sending address ::1 has no PTR (Gmail rejects such mail: 5.7.25)', (s) => {
    s.dns.posture = 'ipv6-ptr-missing';
    s.shows = {
      failing: [
        /\brdns › ::1 has forward-confirmed reverse DNS\b/,
        /\bbanner › sending host ::1 EHLO name matches the PTR\b/,
        /\bbanner › canary\.test MX greeting and EHLO name match the PTR\b/,
      ],
      why: 'the IPv6 address ::1 has no PTR: the reverse-DNS check fails, and so do the name checks against the PTR of ::1 as a sending host and of the MX, which answers on ::1 too; the lab MXs do not look the PTR up, so every placement test passes',
    };
  }),
  'ip-listed': variant('ip-listed', 'the sending IPs are listed on the lab blocklist bl.lab.test', (s) => {
    s.dns.posture = 'ip-listed';
    s.shows = {
      failing: [/\bblocklist › \S+ not listed on bl\.lab\.test\b/, /\breputation › \S+ by DNS reputation services and block lists\b/],
      why: 'the sending IPs are listed on bl.lab.test: the block-list check and the reputation check of each sending IP fail; the lab MXs do not query that list, so every placement test passes',
    };
  }),
  'spammy-content': variant(
    'spammy-content',
    `the sender adds the spammy variant, whose link (${LISTED_SPAM_DOMAIN}) is on the lab domain list: rspamd files it as spam at gmx-like and outlook-like`,
    (s) => {
      s.suiteEnv = { MAILCANARY_VARIANTS: 'plain,spammy', MAILCANARY_LINK_URL: `http://${LISTED_SPAM_DOMAIN}/claim` };
      s.shows = {
        failing: [/\bspammy link-lists\b/, new RegExp(`\\bblocklist › ${LISTED_SPAM_DOMAIN.replace(/\./g, '\\.')} not listed on `)],
        why: `the run sends the spammy variant instead of html-with-link; its link domain ${LISTED_SPAM_DOMAIN} is on the lab domain block list, so the variant's content check of its links and the DNS block-list check of that link domain fail; rspamd at gmx-like and outlook-like files it as spam, which the lab seeds expect, so every placement test passes`,
      };
    },
  ),
  'website-no-contact': variant('website-no-contact', 'the website of canary.test has no imprint or contact page', (s) => {
    s.web.contactPage = false;
    s.shows = {
      failing: [/\bwebsite › canary\.test serves a page with imprint or contact details over HTTPS\b/],
      why: "canary.test's website has no imprint or contact page: its website check fails; every placement test passes",
    };
  }),
};

export function scenarioNames(): string[] {
  return Object.keys(SCENARIOS);
}

/** Looks a scenario up by name; unknown names get an error listing the known ones. */
export function getScenario(name: string): Scenario {
  const s = Object.hasOwn(SCENARIOS, name) ? SCENARIOS[name] : undefined;
  if (!s) throw new Error(`unknown lab scenario ${JSON.stringify(name)}: use one of ${scenarioNames().join(', ')}`);
  return s;
}

/** Parses scenario.json as written by setScenario; a broken file falls back to `healthy` with a reason. */
export function parseScenarioFile(text: string): { scenario: Scenario; error?: string } {
  try {
    const data = JSON.parse(text) as { name?: unknown };
    if (typeof data.name !== 'string') return { scenario: healthy, error: 'scenario.json has no "name"' };
    return { scenario: getScenario(data.name) };
  } catch (err) {
    return { scenario: healthy, error: `scenario.json unreadable: ${(err as Error).message}` };
  }
}
