/**
 * Per-rule detail of the content filters' headers: rspamd's `X-Spamd-Result` symbols
 * (`NAME(score)[option,option]`, milter_headers module) and SpamAssassin's `X-Spam-Report`
 * table (`* 1.5 NAME description`, continuation lines `*      [URIs: …]`, Mail::SpamAssassin::Conf
 * "_REPORT_").
 */
export interface FilterRule {
  name: string;
  score: number;
  description?: string;
  options: string[];
}

const MAX_RULES = 100;

/** Symbols of an `X-Spamd-Result` value, in the order written. Pure. */
export function spamdResultRules(value: string): FilterRule[] {
  const out: FilterRule[] = [];
  for (const m of value.matchAll(/;\s*([A-Za-z0-9_]+)\((-?\d+(?:\.\d+)?)\)(?:\[([^\]]*)\])?/g)) {
    out.push({
      name: m[1],
      score: Number(m[2]),
      options: m[3]
        ? m[3]
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean)
        : [],
    });
    if (out.length >= MAX_RULES) break;
  }
  return out;
}

/** Tests of an `X-Spam-Report` value (unfolded or not), with points, description and details. Pure. */
export function spamReportRules(value: string): FilterRule[] {
  const out: FilterRule[] = [];
  // every table line starts with "*"; unfolding puts them on one line, each after whitespace
  for (const seg of value.split(/(?:^|\s)\*(?=\s)/)) {
    const line = seg.trim();
    if (!line) continue;
    const row = /^(-?\d+(?:\.\d+)?)\s+([A-Z0-9_][A-Za-z0-9_.]*)\s*(.*)$/.exec(line);
    if (row) {
      if (out.length >= MAX_RULES) break;
      out.push({ name: row[2], score: Number(row[1]), ...(row[3] ? { description: row[3] } : {}), options: [] });
      continue;
    }
    const last = out.at(-1);
    if (!last) continue;
    const detail = /^\[(.*)\]$/.exec(line);
    if (detail) last.options.push(detail[1].trim());
    else last.description = [last.description, line].filter(Boolean).join(' ');
  }
  return out;
}
