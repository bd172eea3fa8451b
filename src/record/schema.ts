/**
 * Schema of the history store and its migrations. `PRAGMA user_version` holds the number of
 * migrations applied; each migration runs in its own transaction together with the version bump,
 * so a store is always at a whole version. Append migrations, never edit a released one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: runs, messages, checks; evidence kept as JSON text (the shape belongs to src/evidence)
  `CREATE TABLE runs (
     run_id      TEXT PRIMARY KEY,
     started_at  INTEGER NOT NULL,
     finished_at INTEGER NOT NULL,
     lab         INTEGER NOT NULL,
     status      TEXT NOT NULL,
     aliases     TEXT,
     gate        TEXT
   );
   CREATE INDEX runs_started ON runs(started_at);
   CREATE TABLE messages (
     run_id       TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
     seed_id      TEXT NOT NULL,
     provider     TEXT NOT NULL,
     variant      TEXT NOT NULL,
     expected     TEXT,
     verdict      TEXT NOT NULL,
     test_status  TEXT NOT NULL,
     address      TEXT,
     tag          TEXT,
     subject      TEXT,
     submitted_at INTEGER,
     auth         TEXT NOT NULL,
     detail       TEXT,
     evidence     TEXT,
     bounce       TEXT,
     raw_headers  TEXT,
     PRIMARY KEY (run_id, seed_id, variant)
   );
   CREATE TABLE checks (
     run_id   TEXT NOT NULL REFERENCES runs(run_id) ON DELETE CASCADE,
     title    TEXT NOT NULL,
     check_id TEXT NOT NULL,
     target   TEXT NOT NULL,
     status   TEXT NOT NULL,
     summary  TEXT NOT NULL,
     fix      TEXT,
     details  TEXT,
     PRIMARY KEY (run_id, title)
   );
   CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`,
  // 2: the local content score of the message's variant (src/score ScoreResult as JSON); older rows keep NULL
  `ALTER TABLE messages ADD COLUMN content_score TEXT;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
