/**
 * The lab's private certificate authority and the server certificates it issues, made with the
 * `openssl` command line at lab start (never committed).
 *
 * The CA lives outside the per-instance state dir (MAILCANARY_LAB_CA_DIR, default
 * /tmp/mailcanary-lab-ca) and is made once: several lab instances (parallel test runs) and the
 * lab's `.env` (`SMTP_TLS_CA_FILE`) then trust one CA file. Leaf certificates are issued per
 * start into the instance's state dir, including deliberately broken ones for the scenarios
 * (expired, wrong name), so a scenario switch is a Postfix config change, not a re-issue.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { X509Certificate, randomBytes } from 'node:crypto';
import { run } from '../proc.ts';

export interface CertFiles {
  cert: string;
  key: string;
}

export interface LabCa extends CertFiles {
  dir: string;
}

export interface LeafSpec {
  /** file stem inside the output dir */
  name: string;
  /** subjectAltName DNS names; the first is also the CN */
  dnsNames: string[];
  /** subjectAltName IP addresses */
  ipAddresses?: string[];
  /** validity window; defaults: from 1 day ago, for 90 days (a Let's Encrypt-like lifetime) */
  notBefore?: Date;
  notAfter?: Date;
}

async function openssl(args: string[], what: string): Promise<void> {
  const r = await run('openssl', args, { timeoutMs: 30_000 });
  if (r.code !== 0)
    throw new Error(`openssl failed to ${what} (exit ${r.code}): ${r.out.trim().split('\n').slice(-3).join(' | ')}; is the openssl package installed?`);
}

/** openssl ca's time format: YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2 GeneralizedTime) */
export function opensslTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

const DAY = 86_400_000;
/** leaf lifetime by default (a Let's Encrypt-like 90 days) */
const LEAF_DAYS = 90;

/**
 * Whether a CA certificate can sign a leaf issued at `now` for its whole default lifetime. A CA
 * made once and kept in /tmp outlives the clock it was made under: one made while the clock ran
 * ahead (or under faketime) is "not yet valid" later, and every CA ends after its 10 years.
 */
export function caCovers(certPem: string, now: Date): boolean {
  let x: X509Certificate;
  try {
    x = new X509Certificate(certPem);
  } catch {
    return false; // unreadable: made again
  }
  return Date.parse(x.validFrom) <= now.getTime() && Date.parse(x.validTo) >= now.getTime() + (LEAF_DAYS + 1) * DAY;
}

/**
 * Makes the CA once (atomically: generated in a temp dir, then renamed into place, so two lab
 * instances starting together end up trusting the same CA), and again when it no longer covers
 * a certificate issued `now` (caCovers). Returns its files.
 */
export async function ensureLabCa(caDir: string, now: Date = new Date()): Promise<LabCa> {
  const files = { dir: caDir, cert: join(caDir, 'ca.pem'), key: join(caDir, 'ca.key') };
  const usable = () => existsSync(files.cert) && existsSync(files.key) && caCovers(readFileSync(files.cert, 'utf8'), now);
  if (usable()) return files;
  mkdirSync(dirname(caDir), { recursive: true });
  const tmp = mkdtempSync(`${caDir}.tmp-`);
  try {
    await openssl(
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        join(tmp, 'ca.key'),
        '-out',
        join(tmp, 'ca.pem'),
        '-days',
        '3650',
        '-subj',
        '/O=mailcanary lab/CN=mailcanary lab CA (loopback only)',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      ],
      'create the lab CA',
    );
    chmodSync(join(tmp, 'ca.key'), 0o600);
    chmodSync(join(tmp, 'ca.pem'), 0o644);
    chmodSync(tmp, 0o755);
    if (existsSync(caDir) && !usable()) {
      // out of its validity for `now` (or half written): moved aside, so the rename below can take its
      // place; a usable one that another instance just made is kept (the rename then fails: theirs is used)
      const stale = `${caDir}.stale-${process.pid}-${randomBytes(3).toString('hex')}`;
      try {
        renameSync(caDir, stale);
        rmSync(stale, { recursive: true, force: true });
      } catch {
        /* another instance replaced it first: its CA is used */
      }
    }
    try {
      renameSync(tmp, caDir);
    } catch {
      // another instance won the race: use its CA
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (!existsSync(files.cert)) throw new Error(`lab CA not found in ${caDir} after creating it: remove the directory and start the lab again`);
  return files;
}

function caConfig(dir: string): string {
  return `[ ca ]
default_ca = lab
[ lab ]
database = ${join(dir, 'index.txt')}
new_certs_dir = ${dir}
serial = ${join(dir, 'serial')}
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
`;
}

/**
 * Issues leaf certificates signed by the lab CA. `openssl ca` (not `x509 -req`) because only it
 * takes explicit start and end dates, which the expired certificate needs.
 */
export async function issueLeafCerts(ca: LabCa, outDir: string, specs: LeafSpec[], now: Date = new Date()): Promise<Record<string, CertFiles>> {
  mkdirSync(outDir, { recursive: true });
  const work = join(outDir, 'ca-work');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'index.txt'), '');
  writeFileSync(join(work, 'openssl.cnf'), caConfig(work));
  const out: Record<string, CertFiles> = {};
  for (const spec of specs) {
    if (!/^[a-z0-9-]+$/.test(spec.name)) throw new Error(`certificate name ${JSON.stringify(spec.name)}: use lowercase letters, digits and "-"`);
    const key = join(outDir, `${spec.name}.key`);
    const csr = join(work, `${spec.name}.csr`);
    const cert = join(outDir, `${spec.name}.pem`);
    const ext = join(work, `${spec.name}.ext`);
    writeFileSync(join(work, 'serial'), randomBytes(8).toString('hex').replace(/^./, '1') + '\n');
    writeFileSync(
      ext,
      `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${[...spec.dnsNames.map((n) => `DNS:${n}`), ...(spec.ipAddresses ?? []).map((ip) => `IP:${ip}`)].join(',')}\n`,
    );
    await openssl(
      ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${spec.dnsNames[0]}`],
      `create the key of ${spec.name}`,
    );
    const from = spec.notBefore ?? new Date(now.getTime() - 86_400_000);
    const until = spec.notAfter ?? new Date(now.getTime() + 90 * 86_400_000);
    await openssl(
      [
        'ca',
        '-batch',
        '-notext',
        '-config',
        join(work, 'openssl.cnf'),
        '-cert',
        ca.cert,
        '-keyfile',
        ca.key,
        '-in',
        csr,
        '-out',
        cert,
        '-startdate',
        opensslTime(from),
        '-enddate',
        opensslTime(until),
        '-extfile',
        ext,
      ],
      `sign ${spec.name}`,
    );
    chmodSync(key, 0o600);
    // servers send the chain: leaf then CA (RFC 8446 §4.4.2), as a real server with an intermediate would
    writeFileSync(join(outDir, `${spec.name}.chain.pem`), readFileSync(cert, 'utf8') + readFileSync(ca.cert, 'utf8'));
    out[spec.name] = { cert: join(outDir, `${spec.name}.chain.pem`), key };
  }
  rmSync(work, { recursive: true, force: true });
  return out;
}
