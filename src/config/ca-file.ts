import { readFileSync } from 'node:fs';
import type { ConfigProblem } from './errors.ts';

/**
 * An IMAP account's extra CA: its own setting (`imap.caFile` of a seed, `<PREFIX>_IMAP_CA_FILE` of
 * the bounce or report mailbox), else MAILCANARY_IMAP_CA_FILE (for every mailbox on a server with
 * a private CA). The file must exist and hold a PEM certificate.
 */
export function imapCaFile(own: unknown, env: Record<string, string | undefined>, field: string, problems: ConfigProblem[]): string | undefined {
  const fromEnv = env.MAILCANARY_IMAP_CA_FILE?.trim() || undefined;
  if (own !== undefined && (typeof own !== 'string' || !own.trim())) {
    problems.push({
      field,
      message: `${JSON.stringify(own)} is not a file name`,
      fix: "point it at the PEM file of the server's private CA, e.g. imap: { caFile: '/etc/ssl/private-ca.pem' }",
    });
    return undefined;
  }
  const file = (own as string | undefined)?.trim() ?? fromEnv;
  if (!file) return undefined;
  const at = own !== undefined ? field : 'MAILCANARY_IMAP_CA_FILE';
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    problems.push({
      field: at,
      message: `cannot read ${file}`,
      fix: "point it at the PEM file of the IMAP server's private CA, or remove it to trust the system CAs only",
    });
    return undefined;
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    problems.push({
      field: at,
      message: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
      fix: 'use the CA certificate in PEM form (openssl x509 -in ca.der -inform der -out ca.pem)',
    });
  return file;
}
