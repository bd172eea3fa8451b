/**
 * Secrets never reach a log, error, attachment or report. Every text that leaves the
 * process through us goes through `redact` with the secrets known to the run.
 */
const registered = new Set<string>();

/** Remember a secret (a password or token) so that `redact` removes it everywhere. */
export function registerSecret(secret: string | undefined | null): void {
  // Very short values would redact random text and protect nothing; still register 4+ chars.
  if (secret && secret.length >= 4) registered.add(secret);
}

export function redact(text: string, extra: Iterable<string> = []): string {
  let out = text;
  for (const secret of [...registered, ...extra]) {
    if (!secret) continue;
    out = out.split(secret).join('[redacted]');
    // base64 forms appear in SMTP/IMAP AUTH traces
    const b64 = Buffer.from(secret).toString('base64');
    if (b64.length >= 8) out = out.split(b64).join('[redacted]');
  }
  return out;
}
