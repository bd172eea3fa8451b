/**
 * Local delivery agents: the programs an MTA hands a message to for the final write into the
 * mailbox (mail.local, procmail, maildrop, Dovecot's LDA, vpopmail, vmailmgr). Their failure is
 * reported after the SMTP dialogue (at or after DATA, RFC 5321 §4.2.5) in the agent's own words,
 * prefixed with its name. When a diagnostic names such an agent, the agent's wording decides; an
 * agent that failed with words it does not document failed as a program (`mailererror`).
 *
 * Data: each agent with the marks that name it and its documented messages, as entries with an id
 * (`lda:<agent>:<reason>:<phrase>`) and a source, like every other rule (rulebook.ts).
 */
import { matchEntries, type Entry } from './rulebook.ts';
import type { Reason } from './vocabulary.ts';

interface Agent {
  name: string;
  source: string;
  /** lower-case text that names the agent in a diagnostic */
  marks: string[];
  messages: Array<[Reason, string[]]>;
}

const SISIMAI = 'sisimai lib/sisimai/lda.rb';

const AGENTS: Agent[] = [
  {
    name: 'dovecot',
    // dovecot src/deliver/deliver.c DEFAULT_MAIL_REJECTION_HUMAN_REASON, src/plugins/quota/quota.c
    source: `${SISIMAI}; dovecot src/deliver/deliver.c, src/plugins/quota/quota.c`,
    marks: ['your message to <', '> was automatically rejected:'],
    messages: [
      ['mailboxfull', ['not enough disk space', 'quota exceeded', 'quota exceeded (mailbox for user is full)']],
      ['userunknown', ["mailbox doesn't exist: "]],
    ],
  },
  {
    name: 'mail.local',
    source: `${SISIMAI}; BSD mail.local(8)`,
    marks: ['mail.local: '],
    messages: [
      ['mailboxfull', ['disc quota exceeded', 'mailbox full or quota exceeded']],
      ['systemerror', ['temporary file write error']],
      ['userunknown', [': invalid mailbox path', ': unknown user:', ': user missing home directory', ': user unknown']],
    ],
  },
  {
    name: 'procmail',
    source: `${SISIMAI}; procmail(1)`,
    marks: ['procmail: ', '/procmail '],
    messages: [
      ['mailboxfull', ['quota exceeded while writing', 'user over quota']],
      ['systemerror', ['service unavailable']],
      ['systemfull', ['no space left to finish writing']],
    ],
  },
  {
    name: 'maildrop',
    source: `${SISIMAI}; courier maildrop(1)`,
    marks: ['maildrop: '],
    messages: [
      ['userunknown', ['cannot find system user', 'invalid user specified.']],
      ['mailboxfull', ['maildir over quota.']],
    ],
  },
  {
    name: 'vpopmail',
    source: `${SISIMAI}; vpopmail vdelivermail`,
    marks: ['vdelivermail: '],
    messages: [
      ['filtered', ['user does not exist, but will deliver to ']],
      ['mailboxfull', ['domain is over quota', 'user is over quota']],
      ['suspend', ['account is locked email bounced']],
      ['userunknown', ['sorry, no mailbox here by that name.']],
    ],
  },
  {
    name: 'vmailmgr',
    source: `${SISIMAI}; vmailmgr vdeliver`,
    marks: ['vdeliver: '],
    messages: [
      ['mailboxfull', ['delivery failed due to system quota violation']],
      ['userunknown', ['invalid or unknown base user or domain', 'invalid or unknown virtual user', 'user name does not refer to a virtual user']],
    ],
  },
];

interface CompiledAgent {
  marks: string[];
  messages: Array<{ reason: Reason; entries: Entry[] }>;
}

const COMPILED: CompiledAgent[] = AGENTS.map((a) => ({
  marks: a.marks,
  messages: a.messages.map(([reason, phrases]) => ({
    reason,
    entries: phrases.map((phrase) => ({ id: `lda:${a.name}:${reason}:${phrase}`, source: a.source, phrase })),
  })),
}));

/** Every agent message as an entry with its reason (for the evaluation). */
export function ldaEntries(): Array<Entry & { reason: Reason }> {
  return COMPILED.flatMap((a) => a.messages.flatMap((m) => m.entries.map((e) => ({ ...e, reason: m.reason }))));
}

/**
 * The reason a local delivery agent's report gives, or undefined when no agent is named or the
 * failure happened during the SMTP dialogue before DATA (a local agent only runs after it).
 */
export function ldaReason(lowerText: string, command: string | undefined): Reason | undefined {
  if (command && command !== 'DATA') return undefined;
  const agent = COMPILED.find((a) => a.marks.some((m) => lowerText.includes(m)));
  if (!agent) return undefined;
  for (const m of agent.messages) if (matchEntries(m.entries, lowerText)) return m.reason;
  return 'mailererror';
}
