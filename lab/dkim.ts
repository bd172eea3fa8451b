/**
 * The lab's DKIM keys: generated with node:crypto into `STATE/keys` at the first start and kept
 * across restarts. Two keys: `signing` (what OpenDKIM signs with) and `stale` (the "previous"
 * key, published by the dkim-broken scenario to simulate a rotation that was never published).
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

export interface LabKeys {
  signing: DkimKey;
  stale: DkimKey;
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

export function ensureKeys(keysDir: string): LabKeys {
  mkdirSync(keysDir, { recursive: true, mode: 0o755 });
  return { signing: loadOrCreate(join(keysDir, 'mc2026.private')), stale: loadOrCreate(join(keysDir, 'mc2026-stale.private')) };
}

export function dkimRecordValue(key: DkimKey): string {
  return `v=DKIM1; k=rsa; p=${key.publicKeyB64}`;
}
