/** The config stage's public API: other stages import it only from here. */
export type { SmtpPath } from './paths.ts';
export type { Seed } from './seeds.ts';
export type { SenderConfig } from './sender.ts';
export { defineSeeds } from './seed-definition.ts';
export type { SeedDefinition, SeedOAuth2Definition } from './seed-definition.ts';
export type { ConfigProblem } from './errors.ts';
export { mailboxAccountFromEnv } from './bounce.ts';
export type { MailboxVariables } from './bounce.ts';
