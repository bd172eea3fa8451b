/** What a seeds file imports: `defineSeeds()` and the types of its entries (src/config/seed-definition.ts). */
export { defineSeeds } from '../src/config/index.ts';
export type { SeedDefinition, SeedOAuth2Definition } from '../src/config/index.ts';
