/**
 * SpamAssassin (`X-Spam-Status`, `X-Spam-Flag`, `X-Spam-Score`, `X-Spam-Level`; see
 * Mail::SpamAssassin::Conf "add_header") and rspamd (`X-Spamd-Result`, `X-Rspamd-Score`,
 * `X-Rspamd-Action`, `X-Spam` from the milter_headers module).
 */
import type { SpamVerdict } from './types.ts';
import { num } from './types.ts';
import { spamdResultRules, spamReportRules } from './rules.ts';

type Partial = Omit<SpamVerdict, 'header' | 'raw' | 'fromProvider'>;

export function decodeSpamAssassin(key: string, value: string): Partial | undefined {
  switch (key) {
    case 'x-spam-status': {
      // "Yes, score=7.2 required=5.0 tests=BAYES_99,URIBL_BLOCKED autolearn=no version=3.4.6"
      const m = /^\s*(yes|no)\b/i.exec(value);
      const score = /\bscore=(-?[\d.]+)/i.exec(value);
      const req = /\brequired=(-?[\d.]+)/i.exec(value);
      const tests = /\btests=((?:[^\s,]+\s*,\s*)*[^\s,]+)/i.exec(value); // folded lists keep WSP after commas
      const v: Partial = { vendor: 'spamassassin' };
      if (m) v.spam = m[1].toLowerCase() === 'yes';
      const s = num(score?.[1]);
      if (s !== undefined) v.score = s;
      const t = num(req?.[1]);
      if (t !== undefined) v.threshold = t;
      if (tests && tests[1])
        v.tests = tests[1]
          .split(/\s*,\s*/)
          .filter((x) => x && x !== 'none')
          .slice(0, 100);
      return v;
    }
    case 'x-spam-flag':
      return { vendor: 'spamassassin', spam: /^\s*yes/i.test(value) };
    case 'x-spam-score': {
      const s = num(value.trim());
      return s === undefined ? { vendor: 'spamassassin' } : { vendor: 'spamassassin', score: s };
    }
    case 'x-spam-level': {
      const stars = /^\s*(\*+)/.exec(value);
      return { vendor: 'spamassassin', level: stars ? stars[1].length : 0 };
    }
    case 'x-spam-report': {
      const rules = spamReportRules(value);
      return rules.length
        ? { vendor: 'spamassassin', rules, tests: rules.map((r) => r.name), score: Math.round(rules.reduce((a, r) => a + r.score, 0) * 100) / 100 }
        : { vendor: 'spamassassin' };
    }
    case 'x-spam':
      return { vendor: 'rspamd', spam: /^\s*yes/i.test(value) };
    case 'x-spamd-result': {
      // "default: False [1.20 / 15.00]; R_SPF_ALLOW(-0.20)[+ip4:...]; DKIM_TRACE(0.00)[...]"
      const m = /^\s*[\w-]+:\s*(true|false)\s*\[\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)\s*\]/i.exec(value);
      const v: Partial = { vendor: 'rspamd' };
      if (m) {
        v.spam = m[1].toLowerCase() === 'true';
        v.score = Number(m[2]);
        v.threshold = Number(m[3]);
      }
      const tests = [...value.matchAll(/;\s*([A-Z0-9_]+)\(/g)].map((x) => x[1]).slice(0, 100);
      if (tests.length) v.tests = tests;
      const rules = spamdResultRules(value);
      if (rules.length) v.rules = rules;
      return v;
    }
    case 'x-rspamd-score': {
      const s = num(value.trim());
      return s === undefined ? { vendor: 'rspamd' } : { vendor: 'rspamd', score: s };
    }
    case 'x-rspamd-action': {
      const action = value.trim().toLowerCase();
      // rspamd actions: no action, greylist, add header, rewrite subject, soft reject, reject
      const spam =
        action === 'no action' || action === 'greylist'
          ? false
          : ['add header', 'rewrite subject', 'soft reject', 'reject'].includes(action)
            ? true
            : undefined;
      const v: Partial = { vendor: 'rspamd', meaning: `rspamd action: ${action.slice(0, 40)}` };
      if (spam !== undefined) v.spam = spam;
      return v;
    }
    default:
      return undefined;
  }
}
