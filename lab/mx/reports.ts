/**
 * The gmail-like and outlook-like MXs report back like the real ones: from what they received
 * (the event log, lab/mx/events.ts) each writes a DMARC aggregate report (RFC 7489 appendix C,
 * gzip'd, named `receiver!policy-domain!begin!end.xml.gz` as §7.2.1.1 asks) and an SMTP TLS
 * report (RFC 8460 §4, gzip'd JSON in a multipart/report of report-type tlsrpt, §5.3), and mails
 * them over real SMTP to the addresses the lab DNS publishes (`_dmarc` rua=, `_smtp._tls` rua=),
 * i.e. through the lab's Postfix into the Dovecot mailbox the lab's REPORTS_IMAP_* read.
 *
 * Each report covers the events since the provider's previous report (a cursor in the state
 * dir), so the next report shows what arrived since. The period's begin and end come from the
 * injected clock. The TLS report is written the way RFC 8460 §3 has it: by a sending MTA about
 * the recipient domain it delivered to. The simulated providers deliver to canary.test's MX
 * whenever they mail a report, so each such delivery is a session of theirs under canary.test's
 * MTA-STS policy (lab/mx/tls-report.ts): STARTTLS with the certificate checked against the lab CA
 * and mail.canary.test. On a TLS failure (the result types of §4.3) an aggregate report is not
 * sent in clear while the policy is in mode enforce (RFC 8461 §5.1): it waits in the provider's
 * queue for its next round, as a real MTA retries, and is given up after five days (RFC 5321
 * §4.5.4.1). A TLS report itself goes out in clear all the same and its session is left out of
 * the next report (RFC 8460 §3). Their next TLS report counts the other sessions.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import nodemailer from 'nodemailer';
import type { LabTopology, ProviderId } from '../topology.ts';
import { readEvents, type MxEvent } from './events.ts';
import { appliedStsPolicy, stsMode, tlsReportJson, tlsResultType, type TlsSessions } from './tls-report.ts';

/** The receivers that report: the big two, as in the real world. */
export const REPORTING_PROVIDERS: readonly ProviderId[] = ['gmail', 'outlook'];

const xml = (s: string | number): string =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** RFC 7489 §7.2: what the receiver did — filed in the inbox (none), in spam (quarantine), refused (reject). */
function disposition(e: MxEvent, spamFolder: string): string {
  if (e.event === 'rejected') return 'reject';
  if (e.event === 'filed' && e.folder === spamFolder) return 'quarantine';
  return 'none';
}

interface Row {
  ip: string;
  count: number;
  disposition: string;
  dkim: string;
  spf: string;
  headerFrom: string;
  envelopeFrom: string | null;
  auth: string;
}

/** The aggregate report XML of one provider's events for one From domain (RFC 7489 appendix C). */
export function aggregateReportXml(o: {
  orgName: string;
  email: string;
  reportId: string;
  begin: number;
  end: number;
  domain: string;
  policy: { p: string; sp: string; adkim: string; aspf: string };
  events: MxEvent[];
  spamFolder: string;
}): string {
  const rows = new Map<string, Row>();
  for (const e of o.events) {
    const f = e.report!;
    const auth =
      f.dkim
        .map(
          (d) =>
            `<dkim><domain>${xml(d.domain)}</domain>${d.selector ? `<selector>${xml(d.selector)}</selector>` : ''}<result>${xml(d.result)}</result></dkim>`,
        )
        .join('') + `<spf><domain>${xml(f.spf.domain)}</domain><scope>mfrom</scope><result>${xml(f.spf.result)}</result></spf>`;
    const r: Omit<Row, 'count'> = {
      ip: e.ip,
      disposition: disposition(e, o.spamFolder),
      dkim: f.aligned.dkim,
      spf: f.aligned.spf,
      headerFrom: f.headerFrom ?? o.domain,
      envelopeFrom: f.envelopeFrom,
      auth,
    };
    // §7.2.1.1: one record per distinct source and outcome, with its message count
    const key = JSON.stringify(r);
    const row = rows.get(key);
    if (row) row.count++;
    else rows.set(key, { ...r, count: 1 });
  }
  const records = [...rows.values()].map(
    (r) => `  <record>
    <row><source_ip>${xml(r.ip)}</source_ip><count>${r.count}</count><policy_evaluated><disposition>${r.disposition}</disposition><dkim>${r.dkim}</dkim><spf>${r.spf}</spf></policy_evaluated></row>
    <identifiers><header_from>${xml(r.headerFrom)}</header_from>${r.envelopeFrom ? `<envelope_from>${xml(r.envelopeFrom)}</envelope_from>` : ''}</identifiers>
    <auth_results>${r.auth}</auth_results>
  </record>`,
  );
  return `<?xml version="1.0" encoding="UTF-8" ?>
<feedback>
  <version>1.0</version>
  <report_metadata>
    <org_name>${xml(o.orgName)}</org_name>
    <email>${xml(o.email)}</email>
    <report_id>${xml(o.reportId)}</report_id>
    <date_range><begin>${o.begin}</begin><end>${o.end}</end></date_range>
  </report_metadata>
  <policy_published><domain>${xml(o.domain)}</domain><adkim>${o.policy.adkim}</adkim><aspf>${o.policy.aspf}</aspf><p>${xml(o.policy.p)}</p><sp>${xml(o.policy.sp)}</sp><pct>100</pct></policy_published>
${records.join('\n')}
</feedback>
`;
}

function mime(o: {
  from: string;
  to: string;
  subject: string;
  messageId: string;
  date: Date;
  extra: string[];
  reportType: string | null;
  text: string;
  file: string;
  type: string;
  body: Buffer;
}): string {
  const b = `=_mc_${randomBytes(8).toString('hex')}`;
  const ct = o.reportType ? `multipart/report; report-type=${o.reportType}; boundary="${b}"` : `multipart/mixed; boundary="${b}"`;
  const base64 = o.body.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    `From: ${o.from}`,
    `To: ${o.to}`,
    `Subject: ${o.subject}`,
    `Message-ID: ${o.messageId}`,
    `Date: ${o.date.toUTCString().replace('GMT', '+0000')}`,
    'MIME-Version: 1.0',
    ...o.extra,
    `Content-Type: ${ct}`,
    '',
    `--${b}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.text,
    `--${b}`,
    `Content-Type: ${o.type}; name="${o.file}"`,
    'Content-Transfer-Encoding: base64',
    `Content-Disposition: attachment; filename="${o.file}"`,
    '',
    base64,
    `--${b}--`,
    '',
  ].join('\r\n');
}

export interface SentReport {
  provider: ProviderId;
  kind: 'aggregate' | 'tlsrpt';
  file: string;
  reportId: string;
  messages: number;
  /** how it went out: over verified TLS, in clear (a TLS report after a failed handshake), kept in the provider's queue, or given up */
  delivery: 'tls' | 'clear' | 'queued' | 'given-up';
}

/** A report mail a provider could not deliver under the policy yet, with when it was first tried (ms). */
interface Queued {
  report: Omit<SentReport, 'delivery'>;
  mail: { envelope: { from: string; to: string }; raw: string };
  since: number;
}

interface Cursor {
  /** events of the log already reported, per provider */
  offset: Partial<Record<ProviderId, number>>;
  /** end of the provider's previous period (s since the epoch) */
  end: Partial<Record<ProviderId, number>>;
  /** the provider's delivery sessions to canary.test's MX not yet in a TLS report */
  sessions?: Partial<Record<ProviderId, TlsSessions>>;
  /** the provider's report mails that wait for a delivery the policy allows */
  queue?: Partial<Record<ProviderId, Queued[]>>;
}

/** RFC 5321 §4.5.4.1: a message undeliverable for four to five days is given up. */
const GIVE_UP_MS = 5 * 86_400_000;

/**
 * Writes and mails the reports of every reporting provider that received mail since its last
 * report. `now` is the injected clock (ms); returns what was mailed or queued.
 */
export async function sendLabReports(topo: LabTopology, o: { eventsFile: string; stateDir: string; now: number; caFile: string }): Promise<SentReport[]> {
  const cursorFile = join(o.stateDir, 'reports-cursor.json');
  const cursor: Cursor = existsSync(cursorFile) ? (JSON.parse(readFileSync(cursorFile, 'utf8')) as Cursor) : { offset: {}, end: {} };
  const all = readEvents(o.eventsFile);
  const server = { host: topo.inbound.host, port: topo.inbound.port, secure: false, name: 'reports.lab.test' };
  const overTls = nodemailer.createTransport({ ...server, requireTLS: true, tls: { ca: readFileSync(o.caFile), servername: topo.mailHost } });
  const inClear = nodemailer.createTransport({ ...server, ignoreTLS: true });
  // the policy every provider fetched for the domain it delivers to
  const policy = appliedStsPolicy(topo.domain, topo.mailHost);
  const enforce = stsMode(policy) === 'enforce';
  cursor.sessions ??= {};
  cursor.queue ??= {};
  const sessions = cursor.sessions;
  const queues = cursor.queue;
  const sent: SentReport[] = [];
  // one delivery of a provider to canary.test's MX: a session of its next TLS report
  const deliver = async (id: ProviderId, q: Queued) => {
    const s = (sessions[id] ??= { successful: 0, failed: {} });
    const tlsrpt = q.report.kind === 'tlsrpt';
    let delivery: SentReport['delivery'];
    try {
      await overTls.sendMail(q.mail);
      s.successful++;
      delivery = 'tls';
    } catch (err) {
      // an SMTP refusal after a good handshake is not a TLS failure: it stays an error of the lab
      if ((err as { responseCode?: number }).responseCode) throw err;
      const type = tlsResultType(err);
      // RFC 8460 §3: a TLS report goes out despite the failure, and that session is not reported
      if (!tlsrpt) s.failed[type] = (s.failed[type] ?? 0) + 1;
      if (enforce && !tlsrpt) {
        const keep = o.now - q.since < GIVE_UP_MS;
        if (keep) (queues[id] ??= []).push(q);
        delivery = keep ? 'queued' : 'given-up';
      } else {
        await inClear.sendMail(q.mail);
        delivery = 'clear';
      }
    }
    sent.push({ ...q.report, delivery });
  };
  const end = Math.floor(o.now / 1000);
  try {
    for (const id of REPORTING_PROVIDERS) {
      const p = topo.providers.find((x) => x.id === id)!;
      // what waited in the queue is tried first, as the provider's MTA retries it
      const waiting = queues[id] ?? [];
      queues[id] = [];
      for (let i = 0; i < waiting.length; i++) {
        try {
          await deliver(id, waiting[i]);
        } catch (err) {
          // a lab error: what was not delivered stays queued
          (queues[id] ??= []).push(...waiting.slice(i));
          throw err;
        }
      }
      const mine = all.filter((e) => e.provider === id);
      const fresh = mine.slice(cursor.offset[id] ?? 0).filter((e) => e.report && e.event !== 'tempfail');
      if (!fresh.length && !waiting.length) {
        cursor.offset[id] = mine.length;
        continue;
      }
      const begin = Math.min(cursor.end[id] ?? end - 86_400, end - 1);
      const email = `noreply-dmarc-support@${p.domain}`;
      const to = (local: string) => `${local}@${topo.domain}`;
      // one aggregate report per policy domain (RFC 7489 §7.2): each lab sending domain publishes
      // rua= to the lab's report mailbox, the host name's mail counts under its organisational domain
      for (const { domain } of topo.senderDomains) {
        const ours = fresh.filter((e) => (e.report!.headerFrom ?? '') === domain || (e.report!.headerFrom ?? '').endsWith(`.${domain}`));
        if (!ours.length) continue;
        const reportId = `${id}-${end}-${randomBytes(4).toString('hex')}`;
        const dmarc = ours.find((e) => e.report!.policy)?.report!.policy ?? { p: 'none', sp: 'none', adkim: 'r', aspf: 'r' };
        const body = gzipSync(
          aggregateReportXml({ orgName: p.domain, email, reportId, begin, end, domain, policy: dmarc, events: ours, spamFolder: p.seed.spamFolder }),
        );
        const file = `${p.domain}!${domain}!${begin}!${end}.xml.gz`;
        await deliver(id, {
          report: { provider: id, kind: 'aggregate', file, reportId, messages: ours.length },
          since: o.now,
          mail: {
            envelope: { from: email, to: to('dmarc') },
            raw: mime({
              from: email,
              to: to('dmarc'),
              // RFC 7489 §7.2.1.1
              subject: `Report Domain: ${domain} Submitter: ${p.domain} Report-ID: <${reportId}>`,
              messageId: `<${reportId}@${p.domain}>`,
              date: new Date(o.now),
              extra: [],
              reportType: null,
              text: `DMARC aggregate report from ${p.domain} for ${domain}.`,
              file,
              type: 'application/gzip',
              body,
            }),
          },
        });
      }
      // RFC 8460 §4: a report only of a period with sessions, about the domain delivered to
      const period = sessions[id];
      if (period && (period.successful || Object.keys(period.failed).length)) {
        const tlsId = `${id}-tls-${end}-${randomBytes(4).toString('hex')}`;
        const tls = tlsReportJson({
          orgName: p.domain,
          email,
          reportId: tlsId,
          begin,
          end,
          mxHost: topo.mailHost,
          policy,
          // the simulators reach the MX over loopback, so they send from the address they connect to
          sendingIp: topo.inbound.host,
          sessions: period,
        });
        const total = period.successful + Object.values(period.failed).reduce((n, c) => n + c, 0);
        sessions[id] = { successful: 0, failed: {} };
        // RFC 8460 §5.1: sender!policy-domain!begin!end!unique-id.json.gz
        const file = `${p.domain}!${topo.domain}!${begin}!${end}!${tlsId}.json.gz`;
        await deliver(id, {
          report: { provider: id, kind: 'tlsrpt', file, reportId: tlsId, messages: total },
          since: o.now,
          mail: {
            envelope: { from: email, to: to('tls-reports') },
            raw: mime({
              from: email,
              to: to('tls-reports'),
              subject: `Report Domain: ${topo.domain} Submitter: ${p.domain} Report-ID: <${tlsId}>`,
              messageId: `<${tlsId}@${p.domain}>`,
              date: new Date(o.now),
              // RFC 8460 §5.3
              extra: [`TLS-Report-Domain: ${topo.domain}`, `TLS-Report-Submitter: ${p.domain}`],
              reportType: 'tlsrpt',
              text: `SMTP TLS report from ${p.domain}.`,
              file,
              type: 'application/tlsrpt+gzip',
              body: gzipSync(JSON.stringify(tls)),
            }),
          },
        });
      }
      // the cursor moves only past what was mailed or queued: a failed send is reported again next time
      cursor.offset[id] = mine.length;
      cursor.end[id] = end;
    }
  } finally {
    overTls.close();
    inClear.close();
    writeFileSync(cursorFile, JSON.stringify(cursor) + '\n');
  }
  return sent;
}
