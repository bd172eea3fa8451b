/**
 * Makes sure the lab's Debian packages are there. As root it installs them itself (without
 * letting the packages start their own daemons); otherwise it stops with the command to run.
 */
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { run } from './proc.ts';

// chromium: the lab tests open the HTML report in Debian's Chromium (Playwright's own browser download is not used);
// rspamd: the spam filter of the gmx-like and outlook-like MXs, and the lab's content scorer
export const LAB_PACKAGES = ['dovecot-imapd', 'dovecot-lmtpd', 'postfix', 'opendkim', 'nsd', 'rspamd', 'chromium'];
/** binary → package that ships it */
export const LAB_BINARIES: Record<string, string> = {
  '/usr/sbin/dovecot': 'dovecot-imapd',
  '/usr/lib/dovecot/imap': 'dovecot-imapd',
  '/usr/lib/dovecot/lmtp': 'dovecot-lmtpd',
  '/usr/sbin/postfix': 'postfix',
  '/usr/sbin/opendkim': 'opendkim',
  '/usr/sbin/nsd': 'nsd',
  '/usr/bin/rspamd': 'rspamd',
  '/usr/bin/chromium': 'chromium',
};
const POLICY_RC = '/usr/sbin/policy-rc.d';

export const INSTALL_COMMAND =
  'echo "postfix postfix/main_mailer_type select No configuration" | sudo debconf-set-selections && ' +
  `sudo DEBIAN_FRONTEND=noninteractive apt-get update && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y ${LAB_PACKAGES.join(' ')}`;

export function missingBinaries(): string[] {
  return Object.keys(LAB_BINARIES).filter((b) => !existsSync(b));
}

export async function ensureInstalled(log: (s: string) => void = () => {}): Promise<void> {
  const missing = missingBinaries();
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the lab needs ${missing.join(', ')} (not installed) and only root can install them. Run:\n  ${INSTALL_COMMAND}`);
  }
  log(`installing lab packages: ${LAB_PACKAGES.join(' ')} (missing: ${missing.join(', ')})`);
  // policy-rc.d exit 101 = "action forbidden": packages install without starting daemons that would take our ports
  const createdPolicy = !existsSync(POLICY_RC);
  if (createdPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\n# mailcanary lab: do not start daemons during install\nexit 101\n', { mode: 0o755 });
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const pre = await run('sh', ['-c', 'echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections'], { env });
    if (pre.code !== 0) throw new Error(`debconf-set-selections failed: ${pre.out.trim()}`);
    const upd = await run('apt-get', ['update'], { env, timeoutMs: 600_000 });
    if (upd.code !== 0) throw new Error(`apt-get update failed:\n${upd.out.trim().split('\n').slice(-10).join('\n')}`);
    const inst = await run('apt-get', ['install', '-y', ...LAB_PACKAGES], { env, timeoutMs: 900_000 });
    if (inst.code !== 0) throw new Error(`apt-get install failed:\n${inst.out.trim().split('\n').slice(-10).join('\n')}`);
  } finally {
    if (createdPolicy) rmSync(POLICY_RC, { force: true });
  }
  const still = missingBinaries();
  if (still.length) throw new Error(`after apt-get install, still missing: ${still.join(', ')}`);
}
