/**
 * The headline figures of each bench's JSON for the combined table (pure). The other issues'
 * benches each have their own shape; fields are read defensively so a bench that changes its
 * output shows up as "-" rather than breaking the table.
 */
import type { Row } from './results.ts';

type J = Record<string, any>;
const num = (v: unknown, digits = 0): string =>
  typeof v === 'number' && Number.isFinite(v) ? v.toLocaleString('en-US', { maximumFractionDigits: digits }) : '-';
const msOf = (v: unknown): string => (typeof v === 'number' && Number.isFinite(v) ? `${Math.round(v)} ms` : '-');
const met = (v: unknown): string => (v === true ? 'met' : v === false ? 'NOT MET' : '');

function rowsPerSecond(d: J, label: (r: J) => string): Row[] {
  return (Array.isArray(d.rows) ? d.rows : []).map((r: J) => [label(r), `${num(r.perSecond)} /s`] as Row);
}

export function headline(name: string, data: unknown): Row[] {
  const d = (data ?? {}) as J;
  switch (name) {
    case 'parsers':
      return rowsPerSecond(d, (r) => String(r.name)).map((r, i) =>
        i === 0 && d.target ? [r[0], r[1], `≥ ${num(d.target.authResultsPerSecond)} /s`, met(d.target.met)] : r,
      );
    case 'server-log': {
      const out = rowsPerSecond(d, (r) => String(r.name)).map(
        (r, i) => (i === 0 && d.target ? [r[0], r[1], `≥ ${num(d.target.linesPerSecond)} /s`, met(d.target.met)] : r) as Row,
      );
      if (d.stream) {
        out.push([`file source, ${num(d.stream.fileMB)} MB log`, `${num(d.stream.perSecond)} /s`]);
        out.push(['RSS growth while streaming it', `${num(d.stream.rssGrowthMB, 1)} MB`]);
      }
      return out;
    }
    case 'bounces':
      return rowsPerSecond(d, (r) => `${r.label} (messages)`);
    case 'reports': {
      const out: Row[] = (Array.isArray(d.typical) ? d.typical : []).map(
        (t: J) =>
          [String(t.label), `${num(t.perSecond)} /s`, `≥ ${num(d.targets?.reportsPerSecond)} /s`, met(t.perSecond >= d.targets?.reportsPerSecond)] as Row,
      );
      out.push([
        `${num(d.big?.records)}-record report (${num(d.big?.xmlMB, 1)} MB XML) streamed: peak RSS`,
        `${num(d.big?.parse?.peakRssBytes / 1048576)} MB`,
        `< ${num(d.targets?.peakRssMB)} MB`,
        met(d.met?.rss),
      ]);
      out.push([
        `… imported into the history store: time / peak RSS`,
        `${num(d.big?.import?.seconds, 1)} s / ${num(d.big?.import?.peakRssBytes / 1048576)} MB`,
      ]);
      return out;
    }
    case 'dns':
      return (Array.isArray(d.rows) ? d.rows : []).map((r: J) => [`${r.scenario}, median`, msOf(r.medianMs)] as Row);
    case 'report':
      return [
        [
          `HTML report build, ${d.runs} runs × ${d.resultsPerRun} results (median)`,
          msOf(d.buildMedianMs),
          `< ${msOf(d.targets?.buildMs)}`,
          met(d.withinTargets),
        ],
        ['HTML report file size', `${num(d.fileMB, 2)} MB`, `< ${num(d.targets?.fileMB)} MB`, met(d.withinTargets)],
      ];
    case 'history':
      return [
        [`history write per run (median / p95), ${d.runs} runs`, `${msOf(d.writeMedianMs)} / ${msOf(d.writeP95Ms)}`],
        ['history baseline read', msOf(d.readBaselineMs)],
        ['history store size', `${num(d.storeMB, 1)} MB`],
      ];
    case 'placement':
      return [[`full lab run, ${d.messages} messages`, msOf(d.fullMs), `< ${msOf(d.budgetMs)}`, met(d.met)]];
    case 'latency': {
      const out: Row[] = [];
      for (const c of Array.isArray(d.conditions) ? d.conditions : []) {
        out.push([
          `verdict latency p95, inbox, ${c.older} older/folder`,
          msOf(c.watcher?.inbox?.p95),
          `< ${msOf(d.targets?.p95Ms)}`,
          met(c.watcher?.inbox?.p95 < d.targets?.p95Ms),
        ]);
        out.push([
          `verdict latency p95, spam, ${c.older} older/folder`,
          msOf(c.watcher?.spam?.p95),
          `< ${msOf(d.targets?.p95Ms)}`,
          met(c.watcher?.spam?.p95 < d.targets?.p95Ms),
        ]);
      }
      out.push([`p95 with ${d.older} older / empty`, num(d.ratio, 2), `≤ ${d.targets?.ratio}`, met(d.ratio <= d.targets?.ratio)]);
      return out;
    }
    case 'fanout': {
      const out: Row[] = (Array.isArray(d.points) ? d.points : []).map((p: J) => [`wall, ${p.messages} message(s)`, msOf(p.wallMs)] as Row);
      out.push(['wall(100) / wall(1)', num(d.fanout, 2), `< ${d.targets?.fanout}`, met(d.met?.fanout)]);
      out.push([
        'IMAP connections per account per worker (max)',
        num(d.maxImapPerAccountPerWorker, 1),
        `≤ ${d.targets?.imapPerAccountPerWorker}`,
        met(d.met?.imap),
      ]);
      out.push(['SMTP connections per run (max)', num(d.maxSmtpConnections), '1', met(d.met?.smtp)]);
      for (const p of Array.isArray(d.points) ? d.points : [])
        if (p.messages >= 100) out.push([`peak RSS, ${p.messages} messages`, `${num(p.peakRssBytes / 1048576, 1)} MB`]);
      out.push(['RSS growth per extra message', `${num(d.rssBytesPerMessage / 1024)} KB`, '< 1024 KB', met(d.met?.rss)]);
      return out;
    }
    default:
      return Object.entries(d)
        .filter(([, v]) => typeof v === 'number')
        .slice(0, 4)
        .map(([k, v]) => [k, num(v, 2)] as Row);
  }
}
