/**
 * Recipient addresses are personal data: reports show the domain and hide the local part
 * unless the user asks for it (MAILCANARY_LOG_SHOW_LOCAL_PARTS=true). Remote replies often
 * quote the address (`<jane@example.net>: Recipient address rejected`), so replies are masked too.
 */
const ADDRESS = /[^\s<>"'(),;:[\]]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)/g;

export const MASK = '***';

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0
    ? address
        .slice(at + 1)
        .toLowerCase()
        .replace(/[>.]+$/, '')
    : '';
}

export function maskAddress(address: string, show = false): string {
  if (show || !address) return address;
  const d = domainOf(address);
  return d ? `${MASK}@${d}` : MASK;
}

/**
 * Masks the recipients' addresses where a reply quotes them: the given addresses and any other
 * address at their domains. Other addresses stay (a provider's contact such as
 * `tosa@rx.t-online.de` is part of the advice).
 */
export function maskText(text: string, recipients: string[], show = false): string {
  if (show) return text;
  const domains = new Set(recipients.map(domainOf).filter(Boolean));
  const exact = new Set(recipients.map((r) => r.toLowerCase()));
  return text.replace(ADDRESS, (m, domain: string) => (exact.has(m.toLowerCase()) || domains.has(domain.toLowerCase()) ? `${MASK}@${domain}` : m));
}
