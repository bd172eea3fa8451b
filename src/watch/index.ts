/** The watch stage's public API: other stages import it only from here. */
export { rejectionRecord } from './bounce-match.ts';
export type { WatchResult } from './seed-watcher.ts';
export { createImapClient } from './imap-connect.ts';
export { bounceOffNotices, bounceOffWarning, fileOffRecord } from './bounce-state.ts';
export type { BounceOff, BounceWatchState } from './bounce-state.ts';
