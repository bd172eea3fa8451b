/**
 * The lab's DKIM keys: generated with node:crypto into `STATE/keys` at the first start and kept
 * across restarts. Two keys per sending domain, named by its selector: `signing` (what OpenDKIM
 * signs that domain's mail with) and `stale` (the "previous" key, published by the dkim-broken
 * scenarios to simulate a rotation that was never published).
 */
import { generateKeyPairSync, createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface DkimKey {
  privateKeyPem: string;
  privateKeyFile: string;
  /** base64 SubjectPublicKeyInfo DER: the `p=` tag of the key record (RFC 6376 §3.6.1) */
  publicKeyB64: string;
}

export interface DomainKeys {
  signing: DkimKey;
  stale: DkimKey;
}

/** `signing`/`stale` are the first sending domain's (canary.test); `byDomain` holds every domain's. */
export interface LabKeys extends DomainKeys {
  byDomain: Record<string, DomainKeys & { selector: string }>;
}

function loadOrCreate(file: string): DkimKey {
  let pem: string | undefined;
  if (existsSync(file)) {
    try {
      pem = readFileSync(file, 'utf8');
      createPrivateKey(pem); // a truncated or foreign file is replaced, not trusted
    } catch {
      pem = undefined;
    }
  }
  if (!pem) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    writeFileSync(file, pem, { mode: 0o640 });
  }
  const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  return { privateKeyPem: pem, privateKeyFile: file, publicKeyB64: der.toString('base64') };
}

/** Loads or generates the keys of every sending domain (`domains[0]` is the main one). */
export function ensureKeys(keysDir: string, domains: ReadonlyArray<{ domain: string; selector: string }>): LabKeys {
  if (domains.length === 0) throw new Error('ensureKeys: no sending domain given');
  mkdirSync(keysDir, { recursive: true, mode: 0o755 });
  const byDomain: LabKeys['byDomain'] = {};
  for (const d of domains) {
    byDomain[d.domain] = {
      selector: d.selector,
      signing: loadOrCreate(join(keysDir, `${d.selector}.private`)),
      stale: loadOrCreate(join(keysDir, `${d.selector}-stale.private`)),
    };
  }
  const main = byDomain[domains[0].domain];
  return { signing: main.signing, stale: main.stale, byDomain };
}

export function dkimRecordValue(key: DkimKey): string {
  return `v=DKIM1; k=rsa; p=${key.publicKeyB64}`;
}
