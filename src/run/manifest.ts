import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SentMessage } from '../model.ts';

/**
 * What the send step hands to the watching tests (they run in other worker processes).
 * Holds no secret: addresses, tags and submission outcomes only.
 */
export interface RunManifest {
  runId: string;
  startedAt: number;
  lab: boolean;
  seedsFile: string;
  /** the run's senders when it has several (ids, domains; never a login) */
  senders?: Array<{ id: string; domain: string; address: string; system: boolean }>;
  /** the rotation in force (src/send/rotation.ts): this run's part, and the plan keys left to other runs */
  rotation?: { part: number; parts: number; later: string[] };
  messages: SentMessage[];
  skipped: Array<{ seedId: string; reason: string }>;
}

function atomicWrite(file: string, data: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, file);
}

/** A file of one run in the state folder (its manifest, and what its workers share). */
export function runFile(stateDir: string, runId: string, name: string): string {
  return path.join(stateDir, 'runs', runId, name);
}

export function writeManifest(stateDir: string, manifest: RunManifest): string {
  const file = runFile(stateDir, manifest.runId, 'manifest.json');
  atomicWrite(file, JSON.stringify(manifest, null, 2));
  atomicWrite(path.join(stateDir, 'current-run.json'), JSON.stringify({ runId: manifest.runId, manifest: file }));
  return file;
}

export function readCurrentManifest(stateDir: string): RunManifest {
  const pointer = path.join(stateDir, 'current-run.json');
  let ref: { manifest: string };
  try {
    ref = JSON.parse(readFileSync(pointer, 'utf8'));
  } catch {
    throw new Error(`no current run in ${stateDir}: the send step did not run or failed (run the whole suite: npx playwright test)`);
  }
  // every placement test of a worker reads the same manifest: parse it once per file version
  const st = statSync(ref.manifest);
  const version = `${ref.manifest}\u0000${st.mtimeMs}\u0000${st.size}`;
  if (cached?.version !== version) cached = { version, manifest: JSON.parse(readFileSync(ref.manifest, 'utf8')) as RunManifest };
  return cached.manifest;
}

let cached: { version: string; manifest: RunManifest } | undefined;
const sentIndex = new WeakMap<RunManifest, Map<string, SentMessage>>();

/**
 * `path` is the SMTP_PATHS name, `sender` the sender id; each absent for the default path and a
 * run with one sender (and for manifests from before them).
 */
export function findSent(manifest: RunManifest, seedId: string, variant: string, path?: string, sender?: string): SentMessage | undefined {
  const key = (m: { seedId: string; variant: string; path?: string; sender?: string }) =>
    `${m.seedId}\u0000${m.variant}\u0000${m.path ?? ''}\u0000${m.sender ?? ''}`;
  let index = sentIndex.get(manifest);
  if (!index) {
    index = new Map();
    // the first message of a key wins, as a linear search would find it
    for (const m of manifest.messages) if (!index.has(key(m))) index.set(key(m), m);
    sentIndex.set(manifest, index);
  }
  return index.get(key({ seedId, variant, path, sender }));
}
