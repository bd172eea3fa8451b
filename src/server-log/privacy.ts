/**
 * Recipient addresses are personal data: reports show the domain and hide the local part
 * unless the user asks for it (MAILCANARY_LOG_SHOW_LOCAL_PARTS=true). Remote replies often
 * quote the address (`<jane@example.net>: Recipient address rejected`), so text is masked too.
 */
const ADDRESS = /[^\s<>"'(),;:[\]]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)/g;

export const MASK = '***';

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at >= 0 ? address.slice(at + 1).toLowerCase().replace(/[>.]+$/, '') : '';
}

export function maskAddress(address: string, show = false): string {
  if (show || !address) return address;
  const d = domainOf(address);
  return d ? `${MASK}@${d}` : MASK;
}

export function maskText(text: string, show = false): string {
  return show ? text : text.replace(ADDRESS, (_m, domain: string) => `${MASK}@${domain}`);
}
