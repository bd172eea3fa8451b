/**
 * RFC 5322 §3.3 `date-time` (with the obsolete forms of §4.3) to ms since the epoch. The result
 * never depends on this machine's time zone: `Date.parse` reads a date-time without a zone as
 * local time, so a header from a broken MTA would get a different time on every runner.
 */
const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/** RFC 5322 §4.3 obs-zone: the US names; every other alphabetic zone (military ones included) counts as "-0000", unknown */
const OBS_ZONES: Record<string, number> = { ut: 0, utc: 0, gmt: 0, z: 0, est: -5, edt: -4, cst: -6, cdt: -5, mst: -7, mdt: -6, pst: -8, pdt: -7 };

const DATE_TIME =
  /^(?:[a-z]{3}\s*,\s*)?(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{2,4})\s+(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2})(\.\d+)?)?(?:\s+([+-])(\d{2})(\d{2})|\s+([a-z]{1,5}))?$/i;

/**
 * Parses a mail date (`Wed, 14 Jan 2026 02:00:03 -0800`); comments must be removed first.
 * A missing zone and an unknown one read as UTC (RFC 5322 §4.3: "-0000", the zone is not known).
 * Anything else that `Date.parse` understands is taken only when it names its offset.
 */
export function parseMailDate(text: string): number | undefined {
  const s = text.trim();
  const m = DATE_TIME.exec(s);
  if (!m) {
    if (!/(?:[+-]\d{2}:?\d{2}|\d\s*Z|\b(?:GMT|UTC?))\s*$/i.test(s)) return undefined;
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : undefined;
  }
  const [, day, mon, yearText, hh, mm, ss, frac, sign, zh, zm, zoneName] = m;
  const month = MONTHS[mon.toLowerCase()];
  let year = Number(yearText);
  // RFC 5322 §4.3 obs-year: two digits are 2000-2049 / 1950-1999, three digits add 1900
  if (yearText.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText.length === 3) year += 1900;
  const [d, h, mi, se] = [Number(day), Number(hh), Number(mm), Number(ss ?? 0)];
  if (month === undefined || d < 1 || h > 23 || mi > 59 || se > 60) return undefined;
  if (new Date(Date.UTC(year, month, d)).getUTCDate() !== d) return undefined; // 31 Feb is not a day
  let offsetMin = 0;
  if (sign) offsetMin = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  else if (zoneName) offsetMin = (OBS_ZONES[zoneName.toLowerCase()] ?? 0) * 60;
  const ms = frac ? Math.round(Number(frac) * 1000) : 0;
  return Date.UTC(year, month, d, h, mi, Math.min(se, 59), ms) - offsetMin * 60_000;
}
