/** The config stage's public API: other stages import it only from here. */
export type { SmtpPath } from './paths.ts';
export type { Seed } from './seeds.ts';
export type { SenderConfig } from './sender.ts';
export { defineSeeds } from './seed-definition.ts';
export type { SeedDefinition, SeedOAuth2Definition } from './seed-definition.ts';
export type { ConfigProblem } from './errors.ts';
export { mailboxAccountFromEnv } from './bounce.ts';
export type { MailboxVariables } from './bounce.ts';
export { defineSenders } from './sender-definition.ts';
export type { SenderDefinition } from './sender-definition.ts';
export type { Sender } from './senders.ts';
export { resolveSenders, fromAddress, domainOf } from './senders.ts';
export { loadSenders, readSenders, sendersFile } from './load-senders.ts';
export { envFileLabel } from './env-file.ts';
