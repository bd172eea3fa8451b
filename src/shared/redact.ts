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
  return redactEncoded(out, [...registered, ...extra]);
}

/**
 * SASL PLAIN (RFC 4616) sends base64("authzid\0user\0password"): the password's own base64 is
 * inside it only when the bytes before it are a multiple of 3. A server that echoes the AUTH
 * argument in its error would leak it, so every base64 run is decoded and checked.
 */
function redactEncoded(text: string, secrets: string[]): string {
  const wanted = secrets.filter((s) => s && s.length >= 4);
  if (!wanted.length) return text;
  return text.replace(/[A-Za-z0-9+/]{8,}={0,2}/g, (run) => {
    const decoded = Buffer.from(run, 'base64').toString('latin1');
    return wanted.some((s) => decoded.includes(Buffer.from(s).toString('latin1'))) ? '[redacted]' : run;
  });
}
