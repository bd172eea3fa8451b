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
  // 2: what receivers report back (src/receiver-reports). A report is stored once per reporter
  // (org_key: lower-cased org name, else the domain of its contact address) and report id;
  // report e-mails already read are remembered by Message-ID. Times are ms since the epoch.
  `CREATE TABLE aggregate_reports (
     id           INTEGER PRIMARY KEY,
     org_key      TEXT NOT NULL,
     report_id    TEXT NOT NULL,
     org_name     TEXT,
     org_email    TEXT,
     extra_contact TEXT,
     begin_at     INTEGER NOT NULL,
     end_at       INTEGER NOT NULL,
     domain       TEXT NOT NULL,
     policy       TEXT NOT NULL,
     xml_schema   TEXT NOT NULL,
     errors       TEXT,
     record_count INTEGER NOT NULL,
     total_count  INTEGER NOT NULL,
     message_id   TEXT,
     source       TEXT NOT NULL,
     imported_at  INTEGER NOT NULL,
     UNIQUE (org_key, report_id)
   );
   CREATE INDEX aggregate_reports_end ON aggregate_reports(end_at);
   CREATE TABLE aggregate_records (
     report           INTEGER NOT NULL REFERENCES aggregate_reports(id) ON DELETE CASCADE,
     idx              INTEGER NOT NULL,
     source_ip        TEXT NOT NULL,
     count            INTEGER NOT NULL,
     disposition      TEXT NOT NULL,
     dkim             TEXT,
     spf              TEXT,
     header_from      TEXT NOT NULL,
     envelope_from    TEXT,
     envelope_to      TEXT,
     override_reasons TEXT,
     dkim_results     TEXT,
     spf_results      TEXT,
     PRIMARY KEY (report, idx)
   );
   CREATE INDEX aggregate_records_ip ON aggregate_records(source_ip);
   CREATE TABLE tls_reports (
     id           INTEGER PRIMARY KEY,
     org_key      TEXT NOT NULL,
     report_id    TEXT NOT NULL,
     organization TEXT NOT NULL,
     contact_info TEXT,
     begin_text   TEXT NOT NULL,
     end_text     TEXT NOT NULL,
     begin_at     INTEGER NOT NULL,
     end_at       INTEGER NOT NULL,
     message_id   TEXT,
     source       TEXT NOT NULL,
     imported_at  INTEGER NOT NULL,
     UNIQUE (org_key, report_id)
   );
   CREATE INDEX tls_reports_end ON tls_reports(end_at);
   CREATE TABLE tls_policies (
     report         INTEGER NOT NULL REFERENCES tls_reports(id) ON DELETE CASCADE,
     idx            INTEGER NOT NULL,
     policy_type    TEXT NOT NULL,
     policy_domain  TEXT NOT NULL,
     policy_strings TEXT,
     mx_hosts       TEXT,
     successful     INTEGER NOT NULL,
     failed         INTEGER NOT NULL,
     PRIMARY KEY (report, idx)
   );
   CREATE TABLE tls_failures (
     report                INTEGER NOT NULL REFERENCES tls_reports(id) ON DELETE CASCADE,
     policy_idx            INTEGER NOT NULL,
     idx                   INTEGER NOT NULL,
     result_type           TEXT NOT NULL,
     failed_session_count  INTEGER NOT NULL,
     sending_mta_ip        TEXT,
     receiving_ip          TEXT,
     receiving_mx_hostname TEXT,
     receiving_mx_helo     TEXT,
     additional_information TEXT,
     failure_reason_code   TEXT,
     PRIMARY KEY (report, policy_idx, idx)
   );
   CREATE TABLE failure_reports (
     id              INTEGER PRIMARY KEY,
     dedupe_key      TEXT NOT NULL UNIQUE,
     feedback_type   TEXT NOT NULL,
     reported_domain TEXT,
     source_ip       TEXT,
     arrival_at      INTEGER,
     message_id      TEXT,
     source          TEXT NOT NULL,
     imported_at     INTEGER NOT NULL,
     report          TEXT NOT NULL
   );
   CREATE INDEX failure_reports_arrival ON failure_reports(arrival_at);
   CREATE TABLE report_messages (
     message_id TEXT PRIMARY KEY,
     seen_at    INTEGER NOT NULL,
     outcome    TEXT NOT NULL
   );`,
  // 3: run-wide notices (JSON array of lines); NULL for runs recorded before
  `ALTER TABLE runs ADD COLUMN notices TEXT;`,
  // 4: the Gmail tab a message landed in and whether the seed counts Promotions as a regression;
  // evidence and raw headers of new rows in one compressed BLOB (compress.ts). Rows written
  // before keep their TEXT columns and are read from them.
  `ALTER TABLE messages ADD COLUMN tab TEXT;
   ALTER TABLE messages ADD COLUMN promotions_regression INTEGER;
   ALTER TABLE messages ADD COLUMN heavy_z BLOB;`,
  // 5: the local content score of the message's variant (src/score ScoreResult as JSON); older rows keep NULL
  `ALTER TABLE messages ADD COLUMN content_score TEXT;`,
  // 6: the sender of the message when the run has several (seeds/senders.ts): its id, From domain,
  // the label its variant column carries (`plain from family.example`) and whether it is the
  // server's own mail; older rows and one-sender runs keep NULL
  `ALTER TABLE messages ADD COLUMN sender_id TEXT;
   ALTER TABLE messages ADD COLUMN sender_domain TEXT;
   ALTER TABLE messages ADD COLUMN sender_label TEXT;
   ALTER TABLE messages ADD COLUMN sender_system INTEGER;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
