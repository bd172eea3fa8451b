/**
 * Pure parser of a DKIM key record (RFC 6376 section 3.6.1, Ed25519 keys RFC 8463 section 4.2),
 * with what a sender needs to know about it: revoked, testing, key type and size.
 */
import { createPublicKey } from 'node:crypto';
import { parseTagList } from '../records/tag-list.ts';

export interface DkimKeyInfo {
  tags: Record<string, string>;
  /** syntax problems that make receivers ignore the record */
  errors: string[];
  keyType: string;
  /** `h=` acceptable hash algorithms, undefined = all */
  hashes?: string[];
  /** `s=` service types, undefined = all */
  services?: string[];
  /** `t=` flags: `y` testing, `s` strict i= */
  flags: string[];
  testing: boolean;
  /** `p=` empty: the key was revoked (RFC 6376 section 3.6.1) */
  revoked: boolean;
  /** RSA modulus length in bits */
  bits?: number;
}

const splitList = (v: string | undefined): string[] | undefined =>
  v === undefined
    ? undefined
    : v
        .split(':')
        .map((x) => x.trim().toLowerCase())
        .filter(Boolean);

// Ed25519 SubjectPublicKeyInfo prefix (RFC 8410), followed by the 32 raw key bytes of RFC 8463
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex');

export function parseDkimKey(record: string): DkimKeyInfo {
  const errors: string[] = [];
  const tags: Record<string, string> = {};
  const order: string[] = [];
  for (const part of parseTagList(record)) {
    if (part.malformed !== undefined) {
      errors.push(`"${part.malformed.slice(0, 40)}" is not a tag=value pair`);
      continue;
    }
    const name = part.name;
    if (name in tags) errors.push(`tag "${name}" appears twice (RFC 6376 section 3.2)`);
    tags[name] = part.value;
    order.push(name);
  }
  if (tags.v !== undefined) {
    if (tags.v !== 'DKIM1') errors.push(`v=${tags.v}: the version must be "DKIM1"`);
    else if (order[0] !== 'v') errors.push('v=DKIM1 must be the first tag');
  }
  const keyType = (tags.k ?? 'rsa').toLowerCase();
  const hashes = splitList(tags.h);
  const services = splitList(tags.s);
  const flags = splitList(tags.t) ?? [];
  const p = (tags.p ?? '').replace(/\s+/g, '');
  const info: DkimKeyInfo = {
    tags,
    errors,
    keyType,
    hashes,
    services,
    flags,
    testing: flags.includes('y'),
    revoked: tags.p !== undefined && p === '',
  };
  if (tags.p === undefined) {
    errors.push('the record has no p= tag (the public key is required)');
    return info;
  }
  if (info.revoked) return info;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(p)) {
    errors.push('p= is not valid base64');
    return info;
  }
  const der = Buffer.from(p, 'base64');
  try {
    if (keyType === 'ed25519') {
      // RFC 8463 section 4.2: p= is the bare 32-byte key, not a DER structure
      if (der.length !== 32) throw new Error(`an Ed25519 key is 32 bytes, p= has ${der.length} (publish the raw key, RFC 8463 section 4.2)`);
      createPublicKey({ key: Buffer.concat([ED25519_SPKI, der]), format: 'der', type: 'spki' });
    } else if (keyType === 'rsa') {
      let key;
      try {
        key = createPublicKey({ key: der, format: 'der', type: 'spki' });
      } catch {
        // RFC 6376 allows the bare RSAPublicKey too (section 3.6.1 p=)
        key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
      }
      if (key.asymmetricKeyType !== 'rsa') throw new Error(`k=rsa but p= holds a ${key.asymmetricKeyType} key`);
      info.bits = key.asymmetricKeyDetails?.modulusLength;
    } else {
      errors.push(`k=${keyType} is not a DKIM key type receivers understand (rsa or ed25519)`);
    }
  } catch (err) {
    errors.push(`p= does not hold a valid ${keyType} public key: ${err instanceof Error ? err.message : String(err)}`);
  }
  return info;
}
