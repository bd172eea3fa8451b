/** What a seeds or senders file imports: `defineSeeds()`, `defineSenders()` and the types of their entries (src/config). */
export { defineSeeds, defineSenders } from '../src/config/index.ts';
export type { SeedDefinition, SeedOAuth2Definition, SenderDefinition } from '../src/config/index.ts';
