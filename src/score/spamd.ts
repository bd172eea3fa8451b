/**
 * SpamAssassin's spamd over TCP, SPAMC/1.5 (spamd's PROTOCOL document): one REPORT request per
 * connection. The answer's `Spam:` header gives the verdict, score and required score; the body
 * is SpamAssassin's report, whose table gives every test with its points and description.
 */
import { connect } from 'node:net';
import type { ScoreResult, ScoreRule, ScorerSetting } from './types.ts';
import { sortRules, unknown } from './result.ts';

const MAX_ANSWER = 2 * 1024 * 1024;

export function spamdRequest(raw: Buffer, user?: string): Buffer {
  const head = `REPORT SPAMC/1.5\r\nContent-length: ${raw.length}\r\n${user ? `User: ${user.replace(/[\r\n]/g, '')}\r\n` : ''}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), raw]);
}

export function spamdCheck(setting: ScorerSetting, raw: Buffer, timeoutMs: number): Promise<ScoreResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const chunks: Buffer[] = [];
    let size = 0;
    const sock = connect({ host: setting.host, port: setting.port });
    const done = (r: ScoreResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => done(unknown(setting, `no answer within ${timeoutMs} ms`)), timeoutMs);
    sock.once('connect', () => sock.end(spamdRequest(raw)));
    sock.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_ANSWER) done(unknown(setting, `answer larger than ${MAX_ANSWER} bytes: not spamd`));
      else chunks.push(c);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => done(unknown(setting, `cannot reach spamd: ${err.code ?? err.message}`)));
    // spamd closes the connection after its answer (SPAMC/1.5)
    sock.once('close', () => done(parseSpamdAnswer(setting, Buffer.concat(chunks).toString('utf8'), Date.now() - started)));
  });
}

/** Reads a spamd REPORT answer. Pure; garbage gives `unknown` naming what is wrong. */
export function parseSpamdAnswer(setting: ScorerSetting, text: string, ms: number): ScoreResult {
  if (!text) return unknown(setting, 'spamd closed the connection without an answer');
  const split = text.search(/\r?\n\r?\n/);
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split).replace(/^\r?\n\r?\n/, '') : '';
  const lines = head.split(/\r?\n/);
  const status = /^SPAMD\/(\d+\.\d+)\s+(\d+)\s+(.*)$/.exec(lines[0]);
  if (!status) return unknown(setting, `answer is not SPAMD: ${JSON.stringify(lines[0].slice(0, 60))}`);
  if (status[2] !== '0') return unknown(setting, `spamd: ${status[2]} ${status[3]}`);
  const spamLine = lines.find((l) => /^Spam:/i.test(l));
  const m = spamLine && /^Spam:\s*(True|False|Yes|No)\s*;\s*(-?\d+(?:\.\d+)?)\s*\/\s*(-?\d+(?:\.\d+)?)/i.exec(spamLine);
  if (!m) return unknown(setting, 'spamd answer has no "Spam: <bool> ; <score> / <required>" header');
  const spam = /^(true|yes)$/i.test(m[1]);
  return {
    state: 'scored',
    scorer: 'spamassassin',
    url: setting.url,
    score: Number(m[2]),
    threshold: Number(m[3]),
    action: spam ? 'spam' : 'no action',
    rules: sortRules(parseReportTable(body)),
    ms,
  };
}

/**
 * The "Content analysis details" table of a SpamAssassin report:
 * ` 1.5 SUBJ_ALL_CAPS          Subject is all capitals` with continuation lines indented to the
 * description column; `[URIs: example.com]` style lines there are the rule's details.
 */
export function parseReportTable(report: string): ScoreRule[] {
  const lines = report.split(/\r?\n/);
  const start = lines.findIndex((l) => /^-{3,}\s+-{5,}/.test(l.trim()));
  if (start < 0) return [];
  const rules: ScoreRule[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.trim()) continue;
    const row = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Z0-9_][A-Za-z0-9_.]*)\s*(.*)$/.exec(line);
    if (row) {
      rules.push({ name: row[2], score: Number(row[1]), description: row[3].trim() || undefined, options: [] });
      continue;
    }
    const last = rules.at(-1);
    if (!last || !/^\s{2,}/.test(line)) break;
    const detail = /^\s*\[(.*)\]\s*$/.exec(line);
    if (detail) last.options.push(detail[1].trim());
    else last.description = [last.description, line.trim()].filter(Boolean).join(' ');
  }
  return rules.map((r) => (r.description ? r : { name: r.name, score: r.score, options: r.options }));
}
