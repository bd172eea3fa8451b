/** blackhole: says 250 and throws the message away — the "missing" case. */
import type { ProviderPolicy } from './types.ts';

export const blackholePolicy: ProviderPolicy = {
  onMessage() {
    return { action: 'drop', reason: 'blackhole' };
  },
};
