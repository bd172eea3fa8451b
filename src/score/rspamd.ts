/**
 * rspamd's normal worker: POST /checkv2 with the message as body and the SMTP facts as request
 * headers (IP, Helo, From, Rcpt, Hostname, Queue-Id; rspamd's protocol documentation), so the
 * score is the one a receiver running rspamd computes. The JSON answer is read defensively: a
 * proxy or another program on the port answers with anything.
 */
import { request } from 'node:http';
import type { ScoreEnvelope, ScoreResult, ScoreRule, ScorerSetting } from './types.ts';
import { sortRules, unknown } from './result.ts';

/** Largest answer we read: a /checkv2 reply for one message is a few KB. */
const MAX_ANSWER = 2 * 1024 * 1024;

export function checkv2Headers(env: ScoreEnvelope): Record<string, string | string[]> {
  const h: Record<string, string | string[]> = {};
  // header values are ours or the user's settings, but must not carry line breaks into the request
  const clean = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();
  if (env.ip) h.IP = clean(env.ip);
  if (env.helo) h.Helo = clean(env.helo);
  if (env.from) h.From = clean(env.from);
  if (env.rcpt?.length) h.Rcpt = env.rcpt.map(clean);
  if (env.hostname) h.Hostname = clean(env.hostname);
  if (env.queueId) h['Queue-Id'] = clean(env.queueId);
  return h;
}

/** Sends one message to /checkv2. Never throws: every failure is an `unknown` with its reason. */
export function rspamdCheck(setting: ScorerSetting, raw: Buffer, env: ScoreEnvelope, timeoutMs: number): Promise<ScoreResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: ScoreResult) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const req = request({
      host: setting.host,
      port: setting.port,
      method: 'POST',
      path: '/checkv2',
      headers: { ...checkv2Headers(env), 'Content-Length': String(raw.length) },
      timeout: timeoutMs,
    });
    const timer = setTimeout(() => {
      done(unknown(setting, `no answer within ${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.once('timeout', () => {
      done(unknown(setting, `no answer within ${timeoutMs} ms`));
      req.destroy();
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      done(unknown(setting, `cannot reach rspamd: ${err.code ?? err.message}`));
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER) {
          clearTimeout(timer);
          done(unknown(setting, `answer larger than ${MAX_ANSWER} bytes: not rspamd`));
          req.destroy();
        } else chunks.push(c);
      });
      res.once('error', (err) => {
        clearTimeout(timer);
        done(unknown(setting, `answer broke off: ${err.message}`));
      });
      res.once('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) {
          done(unknown(setting, `HTTP ${res.statusCode} from /checkv2: ${body.slice(0, 120).replace(/\s+/g, ' ')}`));
          return;
        }
        done(parseCheckv2(setting, body, Date.now() - started));
      });
    });
    req.end(raw);
  });
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Reads a /checkv2 JSON answer. Pure; garbage gives `unknown` naming what is wrong. */
export function parseCheckv2(setting: ScorerSetting, body: string, ms: number): ScoreResult {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return unknown(setting, `answer is not JSON: ${JSON.stringify(body.slice(0, 60))}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return unknown(setting, 'answer is not a JSON object');
  const d = data as Record<string, unknown>;
  if (typeof d.error === 'string') return unknown(setting, `rspamd: ${d.error}`);
  const score = num(d.score);
  const threshold = num(d.required_score);
  if (score === undefined || threshold === undefined || typeof d.action !== 'string')
    return unknown(setting, 'answer lacks score, required_score or action: not a /checkv2 reply');
  const rules: ScoreRule[] = [];
  if (d.symbols && typeof d.symbols === 'object') {
    for (const [key, s] of Object.entries(d.symbols as Record<string, unknown>)) {
      if (!s || typeof s !== 'object') continue;
      const sym = s as Record<string, unknown>;
      const options = Array.isArray(sym.options) ? sym.options.filter((o): o is string => typeof o === 'string') : [];
      rules.push({
        name: typeof sym.name === 'string' ? sym.name : key,
        score: num(sym.score) ?? 0,
        ...(typeof sym.description === 'string' ? { description: sym.description } : {}),
        options,
      });
    }
  }
  return { state: 'scored', scorer: 'rspamd', url: setting.url, score, threshold, action: d.action, rules: sortRules(rules), ms };
}
