/**
 * `npm run reports -- import DIR|FILE…`: reads DMARC aggregate, TLS-RPT and DMARC failure
 * reports (.xml, .xml.gz, .zip, .json, .json.gz, report e-mails .eml) into the history store
 * and prints one line per report: stored, or skipped with the reason.
 * `npm run reports -- collect`: the same for every report e-mail of the report mailbox
 * (REPORTS_IMAP_*) not read before; the mailbox is only read (EXAMINE, BODY.PEEK).
 * `npm run reports -- export FILE`: writes every stored report as JSON lines.
 *
 * MAILCANARY_HISTORY names the store, MAILCANARY_RETENTION_DAYS how long reports are kept,
 * MAILCANARY_REPORTS_MAX_MB the decompressed-size cap. Exit code 1 when a report could not be read.
 */
import { loadEnvFile } from '../src/config/load.ts';
import { historyConfigFromEnv, HistoryStore } from '../src/record/index.ts';
import { maxBytesFromEnv } from '../src/receiver-reports/index.ts';
import { collectFromImap, reportMailboxFromEnv } from '../src/receiver-reports/collect-imap.ts';
import { importPaths, type ImportOutcome } from '../src/receiver-reports/import.ts';
import { ReportStore } from '../src/receiver-reports/store.ts';

const [cmd, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run reports -- import DIR|FILE…   |   npm run reports -- collect   |   npm run reports -- export FILE.jsonl';

async function main(): Promise<number> {
  if (!['import', 'export', 'collect'].includes(cmd ?? '') || (cmd !== 'collect' && rest.length === 0)) {
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

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`mailcanary reports: ${(err as Error).message}`);
    process.exit(2);
  },
);
