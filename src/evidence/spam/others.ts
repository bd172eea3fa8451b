/**
 * Verdict headers of GMX/web.de (`X-UI-Filterresults`), t-online (`X-TOI-*`), Yahoo/AOL
 * (`X-YMail-*`, `X-Yahoo-*`, `X-AOL-*`), Apple iCloud (`X-Apple-*`, and the Proofpoint
 * `X-Proofpoint-Spam-Details` its MX writes).
 * Only formats whose meaning is visible in the header itself are decoded; opaque vendor tokens
 * (Yahoo's X-YMail-OSG, t-online's X-TOI-EXPURGATEID) are kept raw for a person to read.
 */
import type { SpamVerdict } from './types.ts';
import { num } from './types.ts';

type Partial = Omit<SpamVerdict, 'header' | 'raw' | 'fromProvider'>;

export function decodeOthers(key: string, value: string): Partial | undefined {
  if (key === 'x-ui-filterresults' || key === 'x-ui-out-filterresults') {
    // "notjunk:1;V03:K0:..." or "junk:10;V03:..."
    const m = /^\s*(notjunk|junk)\s*:\s*(\d+)/i.exec(value);
    if (!m) return { vendor: 'gmx-webde' };
    const junk = m[1].toLowerCase() === 'junk';
    return { vendor: 'gmx-webde', spam: junk, level: Number(m[2]), meaning: junk ? `junk, level ${m[2]}` : 'not junk' };
  }
  if (key.startsWith('x-ui-')) return { vendor: 'gmx-webde' };
  if (key.startsWith('x-toi-')) {
    const v: Partial = { vendor: 't-online' };
    if (key === 'x-toi-spam') {
      // observed as "n;0;2026-01-14T10:00:00Z" / "y;7;...": first field is the yes/no flag
      const m = /^\s*([yn])\s*;\s*(-?[\d.]+)?/i.exec(value);
      if (m) {
        v.spam = m[1].toLowerCase() === 'y';
        const s = num(m[2]);
        if (s !== undefined) v.score = s;
      }
    }
    return v;
  }
  if (key.startsWith('x-ymail-') || key.startsWith('x-yahoo-') || key.startsWith('x-aol-') || key === 'x-sonic-mf') return { vendor: 'yahoo' };
  if (key === 'x-proofpoint-spam-details' || key === 'x-proofpoint-spam-details-enc') {
    // "rule=notspam policy=default score=0 spamscore=0 ... adjust=0 reason=mlx scancount=1 ..."
    const rule = /\brule=([\w-]+)/i.exec(value);
    const score = /\bspamscore=(-?\d+)/i.exec(value);
    const v: Partial = { vendor: 'proofpoint' };
    if (rule) {
      const r = rule[1].toLowerCase();
      if (r === 'notspam') v.spam = false;
      else if (r === 'spam') v.spam = true;
      v.meaning = `rule=${r}`;
    }
    const s = num(score?.[1]);
    if (s !== undefined) v.score = s;
    return v;
  }
  if (key.startsWith('x-apple-')) {
    const v: Partial = { vendor: 'apple' };
    if (key === 'x-apple-movetofolder' && /junk/i.test(value)) {
      v.spam = true;
      v.meaning = 'moved to Junk';
    }
    return v;
  }
  return undefined;
}
