/** Helpers for quoting hostile header text safely in messages and records. */

/**
 * A short, printable excerpt of untrusted text for an error message: JSON-quoted (so CR/LF and
 * control characters cannot forge log lines) and cut to `max` characters.
 */
export function snippet(s: string, max = 24): string {
  const cut = s.length > max ? s.slice(0, max) + '…' : s;
  return JSON.stringify(cut);
}

/** Drop control characters (except TAB) from a value we keep in the record. */
export function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ');
}
