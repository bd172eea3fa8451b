/**
 * `npm run reports -- import DIR|FILE…`: reads DMARC aggregate, TLS-RPT and DMARC failure
 * reports (.xml, .xml.gz, .zip, .json, .json.gz, report e-mails .eml) into the history store
 * and prints one line per report: stored, or skipped with the reason.
 * `npm run reports -- collect`: the same for every report e-mail of the report mailbox
 * (REPORTS_IMAP_*) not read before; the mailbox is only read (EXAMINE, BODY.PEEK).
 * `npm run reports -- compare [--days N]`: each aggregate report of the last N days (30) held
 *   against the test mail mailcanary sent to that receiver, per sending IP, differences flagged.
 * `npm run reports -- sources [--days N]`: every source IP of the last N days' aggregate reports,
 *   classified own / known forwarder / unknown (MAILCANARY_SENDING_IPS, the test mail's sending
 *   IPs, forward-confirmed rDNS through MAILCANARY_DNS_SERVERS); unknown sources passing DMARC first.
 * `npm run reports -- gate [--days N]`: the reports' findings of the last N days (7): a new unknown
 *   source, the own sources' DMARC pass rate below MAILCANARY_REPORTS_PASS_RATE (98 %), TLS
 *   failures, a reporter silent for more than MAILCANARY_REPORTS_SILENT_DAYS (3); exit 1 on a
 *   finding unless MAILCANARY_GATE is warn or off.
 * `npm run reports -- export FILE`: writes every stored report as JSON lines.
 *
 * MAILCANARY_HISTORY names the store, MAILCANARY_RETENTION_DAYS how long reports are kept,
 * MAILCANARY_REPORTS_MAX_MB the decompressed-size cap. Exit code 1 when a report could not be read.
 */
import { loadEnvFile } from '../src/config/load.ts';
import { historyConfigFromEnv, HistoryStore } from '../src/record/index.ts';
import { maxBytesFromEnv } from '../src/receiver-reports/index.ts';
import { collectFromImap, reportMailboxFromEnv } from '../src/receiver-reports/collect-imap.ts';
import { clean } from '../src/evidence/text.ts';
import { holdAgainst } from '../src/receiver-reports/hold.ts';
import { classify, evaluateReports, reportSettingsFromEnv, testMessages } from '../src/receiver-reports/evaluate.ts';
import { importPaths, type ImportOutcome } from '../src/receiver-reports/import.ts';
import { ReportStore } from '../src/receiver-reports/store.ts';

const [cmd, ...rest] = process.argv.slice(2);
/** Report text is the reporter's: no control character of it reaches the terminal. */
const say = (line: string) => console.log(clean(line));
const usage =
  'usage: npm run reports -- import DIR|FILE…  |  collect  |  compare [--days 30]  |  sources [--days 30]  |  gate [--days 7]  |  export FILE.jsonl';

async function main(): Promise<number> {
  if (!['import', 'export', 'collect', 'compare', 'sources', 'gate'].includes(cmd ?? '') || ((cmd === 'import' || cmd === 'export') && rest.length === 0)) {
    console.error(usage);
    return 2;
  }
  loadEnvFile();
  const cfg = historyConfigFromEnv();
  const history = HistoryStore.open(cfg.path);
  const store = new ReportStore(history);
  try {
    if (cmd === 'export') {
      const n = await store.exportJsonl(rest[0]);
      say(`mailcanary: ${n} report(s) from ${cfg.path} written to ${rest[0]}`);
      return 0;
    }
    const days = rest.includes('--days') ? Number(rest[rest.indexOf('--days') + 1]) : cmd === 'gate' ? 7 : 30;
    if ((cmd === 'compare' || cmd === 'sources' || cmd === 'gate') && (!Number.isInteger(days) || days < 1)) {
      console.error('--days takes a whole number of days ≥ 1');
      return 2;
    }
    if (cmd === 'compare') return compare(history, store, days);
    if (cmd === 'sources') return sources(history, store, days);
    if (cmd === 'gate') return gate(history, store, days);
    const maxBytes = maxBytesFromEnv();
    let outcomes: ImportOutcome[];
    if (cmd === 'collect') {
      const { mailbox, problems } = reportMailboxFromEnv(process.env);
      if (problems.length || !mailbox) {
        for (const p of problems) console.error(`${p.field}: ${p.message} (${p.fix})`);
        if (!mailbox && !problems.length)
          console.error(
            'REPORTS_IMAP_HOST is not set: set REPORTS_IMAP_HOST, REPORTS_IMAP_USER and REPORTS_IMAP_PASS to the mailbox your rua=/ruf= address delivers to',
          );
        return 2;
      }
      const r = await collectFromImap(store, mailbox, { maxBytes, retentionDays: cfg.retentionDays });
      say(`mailcanary: ${mailbox.account.imap.user}/${mailbox.mailbox}: ${r.messages} message(s), ${r.alreadyRead} read before`);
      outcomes = r.outcomes;
    } else {
      outcomes = await importPaths(store, rest, { maxBytes, retentionDays: cfg.retentionDays });
    }
    const tally: Record<string, number> = { stored: 0, duplicate: 0, expired: 0, error: 0 };
    for (const o of outcomes) {
      tally[o.status]++;
      const label = o.status === 'stored' ? 'stored ' : o.status === 'error' ? `error (${o.kind})` : `skipped (${o.status})`;
      say(`${label}  ${o.status === 'error' ? o.detail : `${o.source}: ${o.detail}`}`);
    }
    const pruned = store.prune(cfg.retentionDays);
    const prunedN = pruned.aggregate + pruned.tls + pruned.failure;
    say(
      `mailcanary: ${outcomes.length} report(s): ${tally.stored} stored, ${tally.duplicate} already stored, ${tally.expired} older than the retention window, ${tally.error} unreadable` +
        (prunedN ? `; ${prunedN} report(s) past ${cfg.retentionDays} days pruned` : '') +
        ` (${cfg.path})`,
    );
    return tally.error ? 1 : 0;
  } finally {
    history.close();
  }
}

const tally = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([k, n]) => `${k}×${n}`)
    .join(' ') || '-';

async function gate(history: HistoryStore, store: ReportStore, days: number): Promise<number> {
  const settings = { ...reportSettingsFromEnv(), days };
  const summary = await evaluateReports(history, store, settings, { now: Date.now() });
  for (const f of summary.findings) say(`✗ [${f.kind}] ${f.line}`);
  const mode = process.env.MAILCANARY_GATE?.trim().toLowerCase() || 'fail';
  say(
    `mailcanary: receiver reports of the last ${days} days: ${summary.aggregateReports} aggregate report(s), ${summary.findings.length} finding(s)${summary.findings.length && mode !== 'fail' ? ` (MAILCANARY_GATE=${mode}: not failing)` : ''}`,
  );
  return summary.findings.length && mode === 'fail' ? 1 : 0;
}

async function sources(history: HistoryStore, store: ReportStore, days: number): Promise<number> {
  const from = Date.now() - days * 86_400_000;
  const rows = await classify(store.aggregateReports({ from }), testMessages(history, from), { ...reportSettingsFromEnv(), days });
  for (const r of rows) {
    const mark = r.finding === 'unknown-passing' ? '!!' : r.finding === 'spoofing' ? '✗ ' : '✓ ';
    say(
      `${mark} ${r.ip.padEnd(39)} ${r.class.padEnd(9)} ${String(r.messages).padStart(7)} msg, DMARC pass ${r.dmarcPass} / fail ${r.dmarcFail}  ${r.why ?? r.ptr ?? ''}${r.dnsError ? ` (rDNS: ${r.dnsError})` : ''}  [${r.reporters.join(', ')}]${r.finding ? `  ${r.finding}` : ''}`,
    );
  }
  const passing = rows.filter((r) => r.finding === 'unknown-passing').length;
  say(
    `mailcanary: ${rows.length} source(s) in the last ${days} days; ${passing} unknown source(s) passing DMARC${passing ? ' (a leaked account or a service you forgot: find it first)' : ''}, ${rows.filter((r) => r.finding === 'spoofing').length} unknown failing (spoofing)`,
  );
  return passing ? 1 : 0;
}

function compare(history: HistoryStore, store: ReportStore, days: number): number {
  const from = Date.now() - days * 86_400_000;
  const messages = testMessages(history, from);
  let flagged = 0;
  for (const report of store.aggregateReports({ from })) {
    const held = holdAgainst(report, messages);
    if (!held.rows.length && !held.unattributed) continue;
    say(
      `${held.reporter} report ${held.reportId} for ${held.domain}, ${held.begin} – ${held.end}${held.unattributed ? ` (${held.unattributed} test message(s) without a known sending IP)` : ''}`,
    );
    for (const r of held.rows) {
      if (r.flags.length) flagged++;
      const rep = r.reported
        ? `report ${r.reported.count}, dkim ${tally(r.reported.dkim)}, spf ${tally(r.reported.spf)}, dmarc ${tally(r.reported.dmarc)}`
        : 'not in the report';
      say(
        `  ${r.flags.length ? '✗' : '✓'} ${r.ip}: sent ${r.sent}, seen dkim ${tally(r.seen.dkim)}, spf ${tally(r.seen.spf)}, dmarc ${tally(r.seen.dmarc)}; ${rep}${r.flags.length ? `  [${r.flags.join(', ')}]` : ''}`,
      );
    }
  }
  say(`mailcanary: ${flagged} sending IP(s) where the reports and the test mail disagree (last ${days} days)`);
  return flagged ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`mailcanary reports: ${(err as Error).message}`);
    process.exit(2);
  },
);
