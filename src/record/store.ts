/**
 * The history store: one SQLite file (node:sqlite, no native build). WAL journal so that readers
 * never block the writer and a second run waits (busy_timeout) instead of failing; each run is
 * written in one IMMEDIATE transaction, so a process killed mid-write (SIGKILL) leaves the store
 * as it was before the run: SQLite's rollback of the uncommitted WAL frames on the next open
 * (https://sqlite.org/wal.html, "Atomic Commit"). `synchronous=FULL` also survives power loss.
 * Every text column keeps the exact string written, lone surrogates included (text-column.ts).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { packHeavy, unpackHeavy } from './compress.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { fromColumn, fromColumnOpt, toColumn, toColumnOpt } from './text-column.ts';
import type { CheckRecord, GateSummary, MessageRecord, MessageSender, RunBundle, RunRecord } from './types.ts';

type Row = Record<string, unknown>;

export interface OpenOptions {
  /** ms to wait for another writer (a second run at the same time) */
  busyTimeoutMs?: number;
  readOnly?: boolean;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
function unjson<T>(v: unknown): T | undefined {
  if (typeof v !== 'string') return undefined;
  try {
    return JSON.parse(v) as T;
  } catch {
    return undefined;
  }
}
function runFrom(r: Row): RunRecord {
  const aliases = unjson<string[]>(r.aliases);
  const gate = unjson<GateSummary>(r.gate);
  const notices = unjson<unknown>(r.notices);
  return {
    runId: fromColumn(r.run_id),
    startedAt: Number(r.started_at),
    finishedAt: Number(r.finished_at),
    lab: Number(r.lab) === 1,
    status: fromColumn(r.status),
    ...(aliases ? { aliases } : {}),
    ...(gate ? { gate } : {}),
    ...(Array.isArray(notices) && notices.length ? { notices: notices.map(String) } : {}),
  };
}

/** The part of a bounce record a summary row carries: status, reason, reply code and the start of the diagnostic. */
function bounceBrief(b: unknown): Record<string, unknown> | undefined {
  if (typeof b !== 'object' || b === null) return undefined;
  const { status, reason, replyCode, diagnostic } = b as Record<string, unknown>;
  return { status, reason, replyCode, diagnostic: typeof diagnostic === 'string' ? diagnostic.slice(0, 600) : undefined };
}

function senderFrom(r: Row): MessageSender | undefined {
  if (r.sender_domain === null || r.sender_domain === undefined) return undefined;
  return {
    id: fromColumnOpt(r.sender_id) ?? '',
    domain: fromColumn(r.sender_domain),
    label: fromColumnOpt(r.sender_label) ?? fromColumn(r.sender_domain),
    system: Number(r.sender_system) === 1,
  };
}

function messageFrom(r: Row, full: boolean): MessageRecord {
  const m: MessageRecord = {
    runId: fromColumn(r.run_id),
    seedId: fromColumn(r.seed_id),
    provider: fromColumn(r.provider),
    variant: fromColumn(r.variant),
    expected: fromColumnOpt(r.expected),
    verdict: fromColumn(r.verdict),
    testStatus: fromColumn(r.test_status),
    address: fromColumnOpt(r.address),
    tag: fromColumnOpt(r.tag),
    subject: fromColumnOpt(r.subject),
    submittedAt: r.submitted_at === null || r.submitted_at === undefined ? undefined : Number(r.submitted_at),
    auth: unjson<Record<string, string>>(r.auth) ?? {},
    detail: fromColumnOpt(r.detail),
    tab: fromColumnOpt(r.tab),
    promotionsRegression: r.promotions_regression === null || r.promotions_regression === undefined ? undefined : Number(r.promotions_regression) === 1,
    sender: senderFrom(r),
  };
  // the summaries carry the bounce's status, reason and the start of its diagnostic, for the report's cells
  if (!full && r.bounce_brief !== null && r.bounce_brief !== undefined) m.bounce = bounceBrief(unjson(fromColumn(r.bounce_brief)));
  if (full) {
    m.bounce = unjson(r.bounce);
    if (r.heavy_z instanceof Uint8Array) {
      const h = unpackHeavy(r.heavy_z);
      m.evidence = h.evidence;
      m.rawHeaders = h.rawHeaders;
    } else {
      m.evidence = unjson(r.evidence);
      m.rawHeaders = fromColumnOpt(r.raw_headers);
    }
    m.contentScore = unjson(r.content_score);
  }
  for (const k of Object.keys(m) as Array<keyof MessageRecord>) if (m[k] === undefined) delete m[k];
  return m;
}

function checkFrom(r: Row): CheckRecord {
  const c: CheckRecord = {
    runId: fromColumn(r.run_id),
    checkId: fromColumn(r.check_id),
    title: fromColumn(r.title),
    target: fromColumn(r.target),
    status: fromColumn(r.status),
    summary: fromColumn(r.summary),
    fix: fromColumnOpt(r.fix),
    details: unjson(r.details),
  };
  if (c.fix === undefined) delete c.fix;
  if (c.details === undefined) delete c.details;
  return c;
}

export class HistoryStore {
  readonly file: string;
  readonly db: DatabaseSync;

  private constructor(file: string, db: DatabaseSync) {
    this.file = file;
    this.db = db;
  }

  /** Opens (and creates, and migrates) the store. Throws a clear error for a file that is not a store. */
  static open(file: string, opts: OpenOptions = {}): HistoryStore {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(file, { readOnly: opts.readOnly ?? false, timeout: opts.busyTimeoutMs ?? 15_000 });
    } catch (err) {
      throw new Error(`cannot open the history store ${file}: ${(err as Error).message} (check MAILCANARY_HISTORY and the directory's permissions)`, {
        cause: err,
      });
    }
    const store = new HistoryStore(file, db);
    try {
      if (!opts.readOnly) {
        db.exec('PRAGMA journal_mode=WAL');
        db.exec('PRAGMA synchronous=FULL');
      }
      db.exec('PRAGMA foreign_keys=ON');
      store.migrate(!!opts.readOnly);
    } catch (err) {
      db.close();
      const msg = (err as Error).message;
      if (/file is not a database|malformed/i.test(msg)) {
        throw new Error(`${file} is not a mailcanary history store (SQLite says: ${msg}); point MAILCANARY_HISTORY at another file or move this one away`, {
          cause: err,
        });
      }
      throw err;
    }
    return store;
  }

  get schemaVersion(): number {
    return Number((this.db.prepare('PRAGMA user_version').get() as Row).user_version);
  }

  private migrate(readOnly: boolean): void {
    const version = this.schemaVersion;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `${this.file} has history schema version ${version}, this mailcanary knows up to ${SCHEMA_VERSION}: update mailcanary (or use a copy of the store)`,
      );
    }
    if (version === SCHEMA_VERSION) return;
    if (readOnly) throw new Error(`${this.file} needs a schema migration (version ${version} → ${SCHEMA_VERSION}): open it once without read-only`);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      this.tx(() => {
        // a second process may have migrated while we waited for the write lock
        if (this.schemaVersion > v) return;
        this.db.exec(MIGRATIONS[v]);
        this.db.exec(`PRAGMA user_version=${v + 1}`);
      });
    }
  }

  /** Runs fn in an IMMEDIATE transaction: the write lock is taken at BEGIN, so two runs serialise here. */
  tx<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      this.db.exec('COMMIT');
      return out;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /**
   * Writes a whole run (replacing a run of the same id, so writing the same results twice,
   * e.g. merge-reports run again, gives the same rows). All or nothing.
   */
  writeRun(bundle: RunBundle): void {
    const { run } = bundle;
    const id = toColumn(run.runId);
    const t = toColumn;
    const o = toColumnOpt;
    const insRun = this.db.prepare('INSERT INTO runs (run_id, started_at, finished_at, lab, status, aliases, gate, notices) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const insMsg = this.db.prepare(
      `INSERT INTO messages (run_id, seed_id, provider, variant, expected, verdict, test_status, address, tag, subject, submitted_at, auth, detail, evidence, bounce, raw_headers, tab, promotions_regression, heavy_z, content_score, sender_id, sender_domain, sender_label, sender_system)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insCheck = this.db.prepare('INSERT INTO checks (run_id, title, check_id, target, status, summary, fix, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.tx(() => {
      this.db.prepare('DELETE FROM runs WHERE run_id = ?').run(id);
      insRun.run(
        id,
        run.startedAt,
        run.finishedAt,
        run.lab ? 1 : 0,
        t(run.status),
        json(run.aliases),
        json(run.gate),
        run.notices?.length ? json(run.notices) : null,
      );
      for (const m of bundle.messages) {
        insMsg.run(
          id,
          t(m.seedId),
          t(m.provider),
          t(m.variant),
          o(m.expected),
          t(String(m.verdict)),
          t(m.testStatus),
          o(m.address),
          o(m.tag),
          o(m.subject),
          m.submittedAt ?? null,
          JSON.stringify(m.auth ?? {}),
          o(m.detail),
          json(m.bounce),
          o(m.tab),
          m.promotionsRegression === undefined ? null : m.promotionsRegression ? 1 : 0,
          packHeavy({ evidence: m.evidence, rawHeaders: m.rawHeaders }),
          json(m.contentScore),
          o(m.sender?.id),
          o(m.sender?.domain),
          o(m.sender?.label),
          m.sender ? (m.sender.system ? 1 : 0) : null,
        );
      }
      for (const c of bundle.checks) insCheck.run(id, t(c.title), t(c.checkId), t(c.target), t(c.status), t(c.summary), o(c.fix), json(c.details));
    });
  }

  /** Updates the gate summary of a recorded run. */
  setGate(runId: string, gate: GateSummary): void {
    this.db.prepare('UPDATE runs SET gate = ? WHERE run_id = ?').run(JSON.stringify(gate), toColumn(runId));
  }

  /** Runs, oldest first; optional time window (ms since epoch, inclusive). */
  runs(window: { from?: number; to?: number } = {}): RunRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM runs WHERE started_at >= ? AND started_at <= ? ORDER BY started_at, run_id')
      .all(window.from ?? 0, window.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    return rows.map(runFrom);
  }

  run(runId: string): RunRecord | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE run_id = ?').get(toColumn(runId)) as Row | undefined;
    return r ? runFrom(r) : undefined;
  }

  /** The latest run started before `before` (and of the same kind, lab or real, when given). */
  /**
   * The latest earlier run that tested something (a placement test that ran, or a check that was
   * not skipped): a run that skipped every test (secrets missing) is no baseline, or a regression
   * since the last real run would pass unnoticed.
   */
  previousRun(before: number, lab?: boolean, exclude?: string): RunRecord | undefined {
    const r = this.db
      .prepare(
        `SELECT * FROM runs WHERE started_at < ? AND (? IS NULL OR lab = ?) AND run_id != ?
           AND (EXISTS (SELECT 1 FROM messages m WHERE m.run_id = runs.run_id AND m.test_status != 'skipped')
             OR EXISTS (SELECT 1 FROM checks c WHERE c.run_id = runs.run_id AND c.status != 'unknown'))
         ORDER BY started_at DESC, run_id DESC LIMIT 1`,
      )
      .get(before, lab === undefined ? null : lab ? 1 : 0, lab ? 1 : 0, toColumn(exclude ?? '')) as Row | undefined;
    return r ? runFrom(r) : undefined;
  }

  latestRun(): RunRecord | undefined {
    const r = this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, run_id DESC LIMIT 1').get() as Row | undefined;
    return r ? runFrom(r) : undefined;
  }

  /** One run with everything (evidence, bounce, raw headers). */
  bundle(runId: string): RunBundle | undefined {
    const run = this.run(runId);
    if (!run) return undefined;
    const id = toColumn(runId);
    const messages = (this.db.prepare('SELECT * FROM messages WHERE run_id = ? ORDER BY seed_id, variant').all(id) as Row[]).map((r) => messageFrom(r, true));
    const checks = (this.db.prepare('SELECT * FROM checks WHERE run_id = ? ORDER BY title').all(id) as Row[]).map(checkFrom);
    return { run, messages, checks };
  }

  /** Verdict rows of many runs without the heavy columns (for trends); `bounce` holds only status, reason, reply code and diagnostic. */
  messageSummaries(window: { from?: number; to?: number } = {}): MessageRecord[] {
    const rows = this.db
      .prepare(
        `SELECT m.run_id, m.seed_id, m.provider, m.variant, m.expected, m.verdict, m.test_status, m.auth, m.detail, m.tab, m.promotions_regression, m.bounce AS bounce_brief,
                m.sender_id, m.sender_domain, m.sender_label, m.sender_system
         FROM messages m JOIN runs r USING (run_id)
         WHERE r.started_at >= ? AND r.started_at <= ? ORDER BY r.started_at, m.seed_id, m.variant`,
      )
      .all(window.from ?? 0, window.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    return rows.map((r) => messageFrom(r, false));
  }

  /**
   * Messages of runs started since `since` that were never found in their seed mailbox (missing,
   * still deferred, or the seed could not be read), so they may have arrived after their run: a
   * later run's cleanup looks for exactly these tags.
   */
  unfoundMessages(since: number): Array<{ runId: string; seedId: string; tag: string }> {
    return this.db
      .prepare(
        `SELECT m.run_id AS runId, m.seed_id AS seedId, m.tag AS tag FROM messages m JOIN runs r USING (run_id)
         WHERE r.started_at >= ? AND m.tag IS NOT NULL AND m.verdict IN ('missing', 'deferred', 'seed-unreachable')
         ORDER BY r.started_at, m.seed_id, m.variant`,
      )
      .all(since) as Array<{ runId: string; seedId: string; tag: string }>;
  }

  checkSummaries(window: { from?: number; to?: number } = {}): CheckRecord[] {
    const rows = this.db
      .prepare(
        `SELECT c.run_id, c.title, c.check_id, c.target, c.status, c.summary, c.fix FROM checks c JOIN runs r USING (run_id)
         WHERE r.started_at >= ? AND r.started_at <= ? ORDER BY r.started_at, c.title`,
      )
      .all(window.from ?? 0, window.to ?? Number.MAX_SAFE_INTEGER) as Row[];
    return rows.map(checkFrom);
  }

  counts(): { runs: number; messages: number; checks: number } {
    const c = (t: string) => Number((this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as Row).n);
    return { runs: c('runs'), messages: c('messages'), checks: c('checks') };
  }

  getMeta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(toColumn(key)) as Row | undefined;
    return r ? fromColumn(r.value) : undefined;
  }

  setMeta(key: string, value: string | undefined): void {
    if (value === undefined) this.db.prepare('DELETE FROM meta WHERE key = ?').run(toColumn(key));
    else
      this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(toColumn(key), toColumn(value));
  }

  /** The pinned baseline run id (npm run baseline:pin), if any. */
  pinnedBaseline(): string | undefined {
    return this.getMeta('baseline');
  }

  pinBaseline(runId: string | undefined): void {
    if (runId !== undefined && !this.run(runId)) throw new Error(`no run ${runId} in ${this.file}: list the runs with \`npm run report -- --list\``);
    this.setMeta('baseline', runId);
  }

  /** Deletes runs that started more than `days` before `now`; the pinned baseline is kept. */
  prune(days: number, now = Date.now()): number {
    const cutoff = now - days * 86_400_000;
    const pinned = this.pinnedBaseline() ?? '';
    return this.tx(() => Number(this.db.prepare('DELETE FROM runs WHERE started_at < ? AND run_id != ?').run(cutoff, toColumn(pinned)).changes));
  }

  close(): void {
    if (this.db.isOpen) this.db.close();
  }
}
