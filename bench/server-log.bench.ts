/**
 * Server-log throughput and memory: log lines/s through the line parser (target 100,000 on one
 * core) and through the whole reading (parse + correlate + rejections + volume), then a large
 * generated Postfix log streamed from disk through the file source while RSS is sampled (it
 * must stay flat however big the file is). Prints a table, writes bench/results/server-log.json.
 *   node bench/server-log.bench.ts [--mb 256]      (--mb 1024 streams a 1 GB log)
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parseLogLine, readServerLog } from '../src/server-log/index.ts';
import { printTable, writeResult, type Row } from './support/results.ts';

const arg = (flag: string, d: number) => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? Number(process.argv[i + 1]) || d : d;
};
const MB = arg('--mb', 256);
const TARGET = 100_000;
const NOW = Date.UTC(2026, 11, 1, 20, 0, 0);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
};
const DOMAINS = ['gmail.com', 'outlook.com', 't-online.de', 'gmx.de', 'web.de', 'example.net', 'stadt-musterhausen.de', 'posteo.de'];

/** The lines one outbound message leaves in a Postfix log; every 7th is deferred first, every 11th bounces. */
function messageLines(n: number, t: number): string[] {
  const q = (0x3f1a220000 + n).toString(16).toUpperCase();
  const to = `user${n % 977}@${DOMAINS[n % DOMAINS.length]}`;
  const s = stamp(t);
  const out = [
    `${s} mail postfix/submission/smtpd[2101]: ${q}: client=unknown[198.51.100.7], sasl_method=PLAIN, sasl_username=monitor@example.org`,
    `${s} mail postfix/cleanup[2102]: ${q}: message-id=<${n}.${q}@example.org>`,
    `${s} mail postfix/qmgr[2103]: ${q}: from=<${n % 13 === 0 ? 'noreply-dmarc' : 'jane'}@example.org>, size=${1000 + (n % 5000)}, nrcpt=1 (queue active)`,
  ];
  if (n % 7 === 0)
    out.push(
      `${s} mail postfix/smtp[2104]: ${q}: to=<${to}>, relay=mx.${to.split('@')[1]}[2001:db8::${(n % 250).toString(16)}]:25, delay=1.2, delays=0.1/0.01/1.1/0, dsn=4.7.1, status=deferred (host mx.${to.split('@')[1]}[2001:db8::${(n % 250).toString(16)}] said: 451 4.7.1 Greylisted, please try again later (in reply to RCPT TO command))`,
    );
  if (n % 11 === 0)
    out.push(
      `${s} mail postfix/smtp[2104]: ${q}: to=<${to}>, relay=mx.${to.split('@')[1]}[203.0.113.${n % 250}]:25, delay=2.1, delays=0.1/1/0.5/0.5, dsn=5.7.1, status=bounced (host mx.${to.split('@')[1]}[203.0.113.${n % 250}] said: 550 5.7.1 CYREN IP reputation determined a medium risk (in reply to RCPT TO command))`,
    );
  else
    out.push(
      `${s} mail postfix/smtp[2104]: ${q}: to=<${to}>, relay=mx.${to.split('@')[1]}[203.0.113.${n % 250}]:25, delay=0.9, delays=0.1/0.01/0.3/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4F${q})`,
    );
  out.push(`${s} mail postfix/qmgr[2103]: ${q}: removed`);
  // other daemons' chatter and a garbage line now and then, as in a real mail.log
  if (n % 3 === 0) out.push(`${s} mail dovecot: imap-login: Login: user=<jane@example.org>, method=PLAIN, rip=198.51.100.7, lip=192.0.2.25, mpid=4242, TLS`);
  if (n % 97 === 0) out.push(`#### garbage ${n} ####`);
  return out;
}

function sample(count: number): string[] {
  const lines: string[] = [];
  for (let n = 0; lines.length < count; n++) lines.push(...messageLines(n, NOW - 3_600_000 + n * 10));
  return lines;
}

function perSecond(name: string, lines: string[], minMs = 2000): { name: string; lines: number; seconds: number; perSecond: number } {
  const ctx = { now: NOW, utcOffsetMinutes: 0 };
  for (let i = 0; i < 5000; i++) parseLogLine(lines[i % lines.length], ctx);
  let count = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < minMs) {
    for (let i = 0; i < 1000; i++) parseLogLine(lines[(count + i) % lines.length], ctx);
    count += 1000;
    t = performance.now();
  }
  const seconds = (t - t0) / 1000;
  return { name, lines: count, seconds: +seconds.toFixed(3), perSecond: Math.round(count / seconds) };
}

const lines = sample(200_000);
const parse = perSecond('parseLogLine (line/s)', lines);

const t1 = performance.now();
const whole = await readServerLog(lines, { now: NOW, since: NOW - 86_400_000, utcOffsetMinutes: 0 });
const wholeSeconds = (performance.now() - t1) / 1000;
const pipeline = {
  name: 'readServerLog in memory (line/s)',
  lines: whole.stats.lines,
  seconds: +wholeSeconds.toFixed(3),
  perSecond: Math.round(whole.stats.lines / wholeSeconds),
};

// a large log on disk, streamed through the file source
const dir = mkdtempSync(path.join(tmpdir(), 'mailcanary-slog-bench-'));
const file = path.join(dir, 'mail.log');
try {
  const out = createWriteStream(file);
  let written = 0;
  for (let n = 0; written < MB * 1_048_576; n++) {
    const chunk = messageLines(n, NOW - 86_000_000 + Math.floor(n / 20) * 1000).join('\n') + '\n';
    written += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const size = statSync(file).size;

  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t2 = performance.now();
  const big = await readServerLog({ kind: 'file', path: file }, { now: NOW, since: NOW - 86_400_000, utcOffsetMinutes: 0 });
  const seconds = (performance.now() - t2) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const stream = {
    fileMB: +(size / 1_048_576).toFixed(1),
    lines: big.stats.lines,
    seconds: +seconds.toFixed(2),
    perSecond: Math.round(big.stats.lines / seconds),
    mbPerSecond: +(size / 1_048_576 / seconds).toFixed(1),
    rssStartMB: +(rssStart / 1_048_576).toFixed(1),
    rssPeakMB: +(peak / 1_048_576).toFixed(1),
    rssGrowthMB: +((peak - rssStart) / 1_048_576).toFixed(1),
    garbage: big.stats.garbage,
    rejectionGroups: big.rejections.length,
    outboundMessages: big.volume.messages,
  };

  const met = parse.perSecond >= TARGET;
  const rows: Row[] = [
    ['figure', 'value', 'target', ''],
    [parse.name, `${parse.perSecond.toLocaleString('en-US')} /s`, `≥ ${TARGET.toLocaleString('en-US')} /s`, met ? 'met' : 'NOT MET'],
    [pipeline.name, `${pipeline.perSecond.toLocaleString('en-US')} /s`],
    [`file source, ${stream.fileMB} MB log (line/s)`, `${stream.perSecond.toLocaleString('en-US')} /s`, '', `${stream.mbPerSecond} MB/s`],
    ['RSS while streaming it: start / peak', `${stream.rssStartMB} / ${stream.rssPeakMB} MB`, '', `+${stream.rssGrowthMB} MB`],
  ];
  printTable(`server-log bench (${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0].toFixed(1)})`, rows);
  const result = writeResult('server-log', { lab: false, target: { linesPerSecond: TARGET, met }, rows: [parse, pipeline], stream, load: loadavg()[0] });
  console.log(`\nparsed ${parse.perSecond.toLocaleString('en-US')} log lines/s; wrote ${result}`);
  process.exitCode = met ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
