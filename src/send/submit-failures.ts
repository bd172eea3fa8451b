import { domainOf, fromAddress } from '../config/index.ts';
import type { SentMessage, SubmitLogin } from '../model.ts';
import { envFileLabel } from '../config/index.ts';

/** What to change when the server refused a login: the two variables that hold it. */
export function loginFix(login: SubmitLogin): string {
  return `check ${login.userEnv} and ${login.passwordEnv} in ${envFileLabel()} (or the CI secrets)`;
}

/** A refused login in one clause: whose login, the command and the server's reply. */
export function loginRefusal(login: SubmitLogin, command: string | undefined, reply: string): string {
  return `your server refused the login of ${login.user || login.userEnv}${command ? ` (${command})` : ''}: ${reply}`;
}

const senderDomain = (m: SentMessage) => m.senderDomain ?? domainOf(fromAddress(m.from) ?? m.from);

/**
 * One line per cause of the messages that could not be submitted, not one per message: a refused
 * login names the login, its variables and the senders that use it; any other failure its reply.
 * `loginRefused` holds the lines of refused logins (a wrong setting, not an outage).
 */
export function submitFailureLines(messages: readonly SentMessage[]): { lines: string[]; loginRefused: string[] } {
  const groups = new Map<string, { sample: SentMessage; count: number; domains: Set<string> }>();
  for (const m of messages) {
    const e = m.submitError;
    if (!e || e.kind !== 'send-failed') continue;
    const key = e.login
      ? `login\u0000${e.login.user}\u0000${e.login.userEnv}\u0000${e.login.passwordEnv}\u0000${e.message}`
      : `${e.command ?? ''}\u0000${e.message.replace(/^not attempted: /, '')}`;
    const g = groups.get(key) ?? { sample: m, count: 0, domains: new Set<string>() };
    g.count++;
    g.domains.add(senderDomain(m));
    groups.set(key, g);
  }
  const total = messages.length;
  const loginRefused: string[] = [];
  const lines = [...groups.values()].map(({ sample, count, domains }) => {
    const e = sample.submitError!;
    const senders = `sender${domains.size > 1 ? 's' : ''} ${[...domains].join(', ')}`;
    const reply = `${e.command ? `${e.command}: ` : ''}${e.message.replace(/^not attempted: /, '')}`;
    if (e.login) {
      const line = `${loginRefusal(e.login, e.command, e.message)} (${senders}): ${count} of ${total} message(s) not sent; fix: ${loginFix(e.login)}`;
      loginRefused.push(line);
      return line;
    }
    return `could not submit ${count} of ${total} message(s) (${senders}; ${reply})`;
  });
  return { lines, loginRefused };
}
