/** History of runs: records built from test results, the SQLite store, JSONL export/import. */
export { collectRun, capSubject, MAX_SUBJECT, SERVER_LOG_ATTACHMENT } from './from-results.ts';
export type { ResultInput, CollectOptions, Collected } from './from-results.ts';
export { HistoryStore } from './store.ts';
export type { OpenOptions } from './store.ts';
export { exportJsonl, importJsonl } from './jsonl.ts';
export { historyConfigFromEnv, historyOff, DEFAULT_HISTORY_PATH, DEFAULT_RETENTION_DAYS } from './config.ts';
export type { HistoryConfig } from './config.ts';
export type { RunRecord, MessageRecord, CheckRecord, RunBundle, GateSummary } from './types.ts';
export { writeServerLogReading, serverLogReading, previousServerLogReading, serverLogBaseline } from './server-log-store.ts';
export type { StoredReading, ServerLogBaseline } from './server-log-store.ts';
