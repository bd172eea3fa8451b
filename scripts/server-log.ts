/**
 * `npm run server-log` — reads your server's mail log (MAILCANARY_LOG_FILE, _JOURNAL or _SSH)
 * and prints the sender's side of the current run's test messages (by queue id), the rejections
 * of your real mail since the previous reading (or MAILCANARY_LOG_WINDOW_HOURS) and the outbound
 * volume.
 *   npm run server-log                    the window since the previous reading
 *   npm run server-log -- --hours 48      the last 48 hours
 *   npm run server-log -- --json          everything as JSON
 *   npm run server-log -- --messages      only this run's test messages (the demo prints the rest itself)
 * The end of each reading is kept in MAILCANARY_STATE_DIR/server-log.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnvFile } from '../src/config/load.ts';
import { envFileLabel } from '../src/config/env-file.ts';
import { readCurrentManifest } from '../src/run/manifest.ts';
import { LogSourceError, readServerLog, senderSide, serverLogConfigFromEnv } from '../src/server-log/index.ts';
import { formatRejections, formatSenderSide, formatStats, formatVolume } from '../src/server-log/format.ts';
import { logTime, messageLabels } from './support/server-log-lines.ts';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { hours: { type: 'string' }, json: { type: 'boolean' }, messages: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log('usage: npm run server-log -- [--hours N] [--json] [--messages]');
    return 0;
  }
  loadEnvFile();
  const { config, problems } = serverLogConfigFromEnv(process.env);
  for (const p of problems) console.error(`${p.field}: ${p.message}${p.fix ? `\n  fix: ${p.fix}` : ''}`);
  if (problems.length) return 2;
  if (!config) {
    console.error(
      `no server log configured\n  fix: set MAILCANARY_LOG_FILE, MAILCANARY_LOG_JOURNAL or MAILCANARY_LOG_SSH in ${envFileLabel()} (see README, "Your server's log")`,
    );
    return 2;
  }
  const now = Date.now();
  const stateDir = path.resolve(process.env.MAILCANARY_STATE_DIR || '.mailcanary');
  const stateFile = path.join(stateDir, 'server-log.json');
  let since = now - config.windowMs;
  if (values.hours) {
    const h = Number(values.hours);
    if (!Number.isFinite(h) || h <= 0) throw new Error(`--hours ${values.hours}: give a positive number of hours`);
    since = now - h * 3_600_000;
  } else {
    try {
      const prev = JSON.parse(readFileSync(stateFile, 'utf8')) as { until?: number };
      if (typeof prev.until === 'number' && prev.until < now) since = prev.until;
    } catch {
      // first reading: the default window
    }
  }
  let messages: Array<{ label: string; queueId?: string; messageId: string }> = [];
  try {
    const sent = readCurrentManifest(stateDir).messages;
    const labels = messageLabels(sent);
    messages = sent.map((m, i) => ({ label: labels[i], queueId: m.queueId, messageId: m.messageId }));
  } catch {
    // no run yet: only the real-mail part
  }
  const keep = messages.flatMap((m) => (m.queueId ? [m.queueId] : []));
  const r = await readServerLog(config.source, { now, since, keep, utcOffsetMinutes: config.utcOffsetMinutes, showLocalParts: config.showLocalParts });
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stateFile, JSON.stringify({ until: r.until, source: r.source }));
  const sides = messages.map((m) => ({ ...m, side: m.queueId && r.trails.get(m.queueId) ? senderSide(r.trails.get(m.queueId)!) : undefined }));
  if (values.json) {
    console.log(
      JSON.stringify(
        { source: r.source, since: r.since, until: r.until, stats: r.stats, messages: sides, rejections: r.rejections, volume: r.volume },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(formatStats(r.source, r.stats));
  if (sides.length) {
    console.log("\nthis run's test messages:");
    for (const m of sides) for (const l of formatSenderSide(m.label, m.side, m.queueId)) console.log(`  ${l}`);
  } else if (values.messages) console.log('\nno test message of a current run in the state folder');
  if (values.messages) return 0;
  console.log(`\nrejections of your real mail since ${logTime(r.since)}:`);
  for (const l of formatRejections(r.rejections)) console.log(`  ${l}`);
  console.log('');
  for (const l of formatVolume(r.volume)) console.log(`  ${l}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof LogSourceError ? err.message : `mailcanary server-log: ${(err as Error).stack ?? err}`);
    process.exit(err instanceof LogSourceError ? 3 : 1);
  },
);
