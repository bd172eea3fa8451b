/**
 * The server's log readings in the history store (schema migration 6): one reading per run,
 * its rejection groups as rows (so the report and the gate read them per remote domain), the
 * parse counts and the outbound volume as JSON. Rows hang off the run and go with it (retention,
 * a run written again). Strings from the log are hostile: they are stored exactly
 * (text-column.ts) and made visible only where shown.
 */
import type { ServerLogReading } from '../server-log/index.ts';
import type { HistoryStore } from './store.ts';
import { fromColumn, fromColumnOpt, toColumn, toColumnOpt } from './text-column.ts';

type Row = Record<string, unknown>;
export type StoredReading = ServerLogReading & { runId: string; lab: boolean };

function parse<T>(v: unknown, fallback: T): T {
  if (typeof v !== 'string') return fallback;
  try {
    return JSON.parse(v) as T;
  } catch {
    return fallback;
  }
}
const optNum = (v: unknown) => (v === null || v === undefined ? undefined : Number(v));

/** Writes (or replaces) the reading of a run already in the store. */
export function writeServerLogReading(store: HistoryStore, runId: string, lab: boolean, r: ServerLogReading): void {
  const db = store.db;
  const id = toColumn(runId);
  store.tx(() => {
    db.prepare('DELETE FROM server_log_readings WHERE run_id = ?').run(id);
    db.prepare('INSERT INTO server_log_readings (run_id, lab, source, since, until, basis, stats, volume) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      id,
      lab ? 1 : 0,
      toColumn(r.source),
      r.since,
      r.until,
      r.basis,
      JSON.stringify(r.stats),
      toColumn(JSON.stringify(r.volume)),
    );
    const ins = db.prepare(
      `INSERT INTO server_log_rejections (run_id, domain, reason, status, messages, attempts, hard_bounce, first_at, last_at, dsn, reply_code, example, reply, advice, relays, recipients)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const g of r.rejections) {
      ins.run(
        id,
        toColumn(g.domain),
        toColumn(g.reason),
        g.status,
        g.messages,
        g.attempts,
        g.hardBounce === null ? null : g.hardBounce ? 1 : 0,
        g.firstAt ?? null,
        g.lastAt ?? null,
        toColumnOpt(g.dsn) ?? null,
        g.replyCode ?? null,
        toColumn(g.example),
        toColumnOpt(g.reply) ?? null,
        g.advice ? toColumn(JSON.stringify(g.advice)) : null,
        toColumn(JSON.stringify(g.relays)),
        toColumn(JSON.stringify(g.recipients)),
      );
    }
  });
}

function rejectionsOf(store: HistoryStore, runId: unknown): StoredReading['rejections'] {
  const rows = store.db.prepare('SELECT * FROM server_log_rejections WHERE run_id = ? ORDER BY messages DESC, domain, reason').all(runId as string) as Row[];
  return rows.map((g) => ({
    domain: fromColumn(g.domain),
    reason: fromColumn(g.reason),
    status: fromColumn(g.status) as 'bounced' | 'expired' | 'deferred',
    messages: Number(g.messages),
    attempts: Number(g.attempts),
    hardBounce: g.hard_bounce === null || g.hard_bounce === undefined ? null : Number(g.hard_bounce) === 1,
    ...(optNum(g.first_at) !== undefined ? { firstAt: optNum(g.first_at) } : {}),
    ...(optNum(g.last_at) !== undefined ? { lastAt: optNum(g.last_at) } : {}),
    ...(fromColumnOpt(g.dsn) !== undefined ? { dsn: fromColumnOpt(g.dsn) } : {}),
    ...(optNum(g.reply_code) !== undefined ? { replyCode: optNum(g.reply_code) } : {}),
    example: fromColumn(g.example),
    ...(fromColumnOpt(g.reply) !== undefined ? { reply: fromColumnOpt(g.reply) } : {}),
    ...(g.advice !== null && g.advice !== undefined ? { advice: parse(fromColumn(g.advice), undefined) } : {}),
    relays: parse(fromColumn(g.relays), [] as string[]),
    recipients: parse(fromColumn(g.recipients), [] as string[]),
  }));
}

function readingFrom(store: HistoryStore, r: Row): StoredReading {
  return {
    runId: fromColumn(r.run_id),
    lab: Number(r.lab) === 1,
    source: fromColumn(r.source),
    since: Number(r.since),
    until: Number(r.until),
    basis: r.basis === 'previous-run' ? 'previous-run' : 'default',
    stats: parse(fromColumn(r.stats), {} as ServerLogReading['stats']),
    volume: parse(fromColumn(r.volume), {} as ServerLogReading['volume']),
    rejections: rejectionsOf(store, r.run_id),
  };
}

/** The reading recorded with a run, if any. */
export function serverLogReading(store: HistoryStore, runId: string): StoredReading | undefined {
  const r = store.db.prepare('SELECT * FROM server_log_readings WHERE run_id = ?').get(toColumn(runId)) as Row | undefined;
  return r ? readingFrom(store, r) : undefined;
}

/**
 * The latest reading of an earlier run of the same kind (lab or real) that ended by `until`:
 * the window the next reading starts from (its refusals are compared per domain, see
 * serverLogBaseline).
 */
export function previousServerLogReading(store: HistoryStore, opts: { until: number; lab: boolean; exclude?: string }): StoredReading | undefined {
  const r = store.db
    .prepare('SELECT * FROM server_log_readings WHERE until <= ? AND lab = ? AND run_id != ? ORDER BY until DESC, run_id DESC LIMIT 1')
    .get(opts.until, opts.lab ? 1 : 0, toColumn(opts.exclude ?? '')) as Row | undefined;
  return r ? readingFrom(store, r) : undefined;
}

/** What the history knows each remote domain answered, as of the readings before a run. */
export interface ServerLogBaseline {
  /**
   * for every domain an earlier reading saw refusing: its refusals in the latest reading whose
   * window mailed it at all; a domain that reading saw accepting has none here
   */
  rejections: StoredReading['rejections'];
  /** the runs those refusals come from, newest first */
  runIds: string[];
}

/** Remote domains a reading's window mailed: the full list, else (older readings) the busiest and the refusing ones. */
function mailedDomains(r: Row, refusing: readonly string[]): Set<string> {
  const v = parse<{ domains?: unknown; byDomain?: unknown }>(fromColumn(r.volume), {});
  const listed = Array.isArray(v.domains) ? v.domains : Array.isArray(v.byDomain) ? v.byDomain.map((d) => (d as { key?: unknown })?.key) : [];
  return new Set([...listed.filter((d): d is string => typeof d === 'string'), ...refusing].map((d) => d.toLowerCase()));
}

/**
 * The baseline a reading's refusals are compared with (the gate's "newly"): per remote domain,
 * what the latest earlier reading that mailed that domain saw. A window without mail to a
 * domain says nothing about it (a quiet night, or a run whose own submission failed), so the
 * domain's answer is the one from before. `undefined` when no earlier reading of the same kind
 * saw any outbound mail: there is nothing to compare with yet, as for the first reading.
 */
export function serverLogBaseline(store: HistoryStore, opts: { until: number; lab: boolean; exclude?: string }): ServerLogBaseline | undefined {
  const args = [opts.until, opts.lab ? 1 : 0, toColumn(opts.exclude ?? '')];
  const readings = store.db
    .prepare('SELECT run_id, volume FROM server_log_readings WHERE until <= ? AND lab = ? AND run_id != ? ORDER BY until DESC, run_id DESC')
    .all(...args) as Row[];
  const open = new Set(
    (
      store.db
        .prepare(
          'SELECT DISTINCT j.domain FROM server_log_rejections j JOIN server_log_readings s ON s.run_id = j.run_id WHERE s.until <= ? AND s.lab = ? AND s.run_id != ?',
        )
        .all(...args) as Row[]
    ).map((j) => fromColumn(j.domain).toLowerCase()),
  );
  let mailedAny = false;
  const rejections: StoredReading['rejections'] = [];
  const runIds: string[] = [];
  for (const r of readings) {
    const refused = rejectionsOf(store, r.run_id);
    const mailed = mailedDomains(
      r,
      refused.map((g) => g.domain),
    );
    if (mailed.size) mailedAny = true;
    const decided = new Set([...open].filter((d) => mailed.has(d)));
    for (const d of decided) open.delete(d);
    const here = refused.filter((g) => decided.has(g.domain.toLowerCase()));
    if (here.length) {
      rejections.push(...here);
      runIds.push(fromColumn(r.run_id));
    }
    // older readings only matter for domains no newer one mailed
    if (!open.size && mailedAny) break;
  }
  return mailedAny ? { rejections, runIds } : undefined;
}
