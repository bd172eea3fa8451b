/**
 * `npm run reports -- import DIR|FILE…`: reads DMARC aggregate, TLS-RPT and DMARC failure
 * reports (.xml, .xml.gz, .zip, .json, .json.gz, report e-mails .eml) into the history store
 * and prints one line per report: stored, or skipped with the reason.
 * `npm run reports -- collect`: the same for every report e-mail of the report mailbox
 * (REPORTS_IMAP_*) not read before; the mailbox is only read (EXAMINE, BODY.PEEK).
 * `npm run reports -- compare [--days N]`: each aggregate report of the last N days (30) held
 *   against the test mail mailcanary sent to that receiver, per sending IP, differences flagged.
 * `npm run reports -- export FILE`: writes every stored report as JSON lines.
 *
 * MAILCANARY_HISTORY names the store, MAILCANARY_RETENTION_DAYS how long reports are kept,
 * MAILCANARY_REPORTS_MAX_MB the decompressed-size cap. Exit code 1 when a report could not be read.
 */
import { loadEnvFile } from '../src/config/load.ts';
import { historyConfigFromEnv, HistoryStore } from '../src/record/index.ts';
import { maxBytesFromEnv } from '../src/receiver-reports/index.ts';
import { collectFromImap, reportMailboxFromEnv } from '../src/receiver-reports/collect-imap.ts';
import { holdAgainst } from '../src/receiver-reports/hold.ts';
import { importPaths, type ImportOutcome } from '../src/receiver-reports/import.ts';
import { ReportStore } from '../src/receiver-reports/store.ts';

const [cmd, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run reports -- import DIR|FILE…  |  collect  |  compare [--days 30]  |  export FILE.jsonl';

async function main(): Promise<number> {
  if (!['import', 'export', 'collect', 'compare'].includes(cmd ?? '') || ((cmd === 'import' || cmd === 'export') && rest.length === 0)) {
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
      console.log(`mailcanary: ${n} report(s) from ${cfg.path} written to ${rest[0]}`);
      return 0;
    }
    if (cmd === 'compare') return compare(history, store, Number(rest[rest.indexOf('--days') + 1] ?? 30));
    const maxBytes = maxBytesFromEnv();
    let outcomes: ImportOutcome[];
    if (cmd === 'collect') {
      const { mailbox, problems } = reportMailboxFromEnv(process.env);
      if (problems.length || !mailbox) {
        for (const p of problems) console.error(`${p.field}: ${p.message} (${p.fix})`);
        if (!mailbox && !problems.length) console.error('REPORTS_IMAP_HOST is not set: set REPORTS_IMAP_HOST, REPORTS_IMAP_USER and REPORTS_IMAP_PASS to the mailbox your rua=/ruf= address delivers to');
        return 2;
      }
      const r = await collectFromImap(store, mailbox, { maxBytes, retentionDays: cfg.retentionDays });
      console.log(`mailcanary: ${mailbox.account.imap.user}/${mailbox.mailbox}: ${r.messages} message(s), ${r.alreadyRead} read before`);
      outcomes = r.outcomes;
    } else {
      outcomes = await importPaths(store, rest, { maxBytes, retentionDays: cfg.retentionDays });
    }
    const tally: Record<string, number> = { stored: 0, duplicate: 0, expired: 0, error: 0 };
    for (const o of outcomes) {
      tally[o.status]++;
      const label = o.status === 'stored' ? 'stored ' : o.status === 'error' ? `error (${o.kind})` : `skipped (${o.status})`;
      console.log(`${label}  ${o.status === 'error' ? o.detail : `${o.source}: ${o.detail}`}`);
    }
    const pruned = store.prune(cfg.retentionDays);
    const prunedN = pruned.aggregate + pruned.tls + pruned.failure;
    console.log(
      `mailcanary: ${outcomes.length} report(s): ${tally.stored} stored, ${tally.duplicate} already stored, ${tally.expired} older than the retention window, ${tally.error} unreadable` +
        (prunedN ? `; ${prunedN} report(s) past ${cfg.retentionDays} days pruned` : '') + ` (${cfg.path})`,
    );
    return tally.error ? 1 : 0;
  } finally {
    history.close();
  }
}

const tally = (t: Record<string, number>) => Object.entries(t).map(([k, n]) => `${k}×${n}`).join(' ') || '-';

function compare(history: HistoryStore, store: ReportStore, days: number): number {
  if (!Number.isInteger(days) || days < 1) {
    console.error('--days takes a whole number of days ≥ 1');
    return 2;
  }
  const from = Date.now() - days * 86_400_000;
  const messages = history.runs({ from: from - 86_400_000 }).flatMap((r) => history.bundle(r.runId)?.messages ?? []);
  let flagged = 0;
  for (const report of store.aggregateReports({ from })) {
    const held = holdAgainst(report, messages);
    if (!held.rows.length && !held.unattributed) continue;
    console.log(`${held.reporter} report ${held.reportId} for ${held.domain}, ${held.begin} – ${held.end}${held.unattributed ? ` (${held.unattributed} test message(s) without a known sending IP)` : ''}`);
    for (const r of held.rows) {
      if (r.flags.length) flagged++;
      const rep = r.reported ? `report ${r.reported.count}, dkim ${tally(r.reported.dkim)}, spf ${tally(r.reported.spf)}, dmarc ${tally(r.reported.dmarc)}` : 'not in the report';
      console.log(`  ${r.flags.length ? '✗' : '✓'} ${r.ip}: sent ${r.sent}, seen dkim ${tally(r.seen.dkim)}, spf ${tally(r.seen.spf)}, dmarc ${tally(r.seen.dmarc)}; ${rep}${r.flags.length ? `  [${r.flags.join(', ')}]` : ''}`);
    }
  }
  console.log(`mailcanary: ${flagged} sending IP(s) where the reports and the test mail disagree (last ${days} days)`);
  return flagged ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`mailcanary reports: ${(err as Error).message}`);
    process.exit(2);
  },
);
