/**
 * Which folders one look of the seed watcher covers, in which order, and when the watcher wakes
 * from IDLE (RFC 2177). Pure: the watcher hands in its state and carries the plan out.
 */
import type { FolderPlan } from './folders.ts';

/** Longest wait in IDLE without a look (below imapflow's socket timeout, which would end IDLE). */
export const MAX_IDLE_WAIT_MS = 25_000;

export interface LookState {
  plan: FolderPlan;
  /** IDLE in use on the own connection */
  push: boolean;
  now: number;
  /** successful looks so far (without IDLE the other folders come every `othersEvery` looks) */
  tick: number;
  /** with IDLE: when the other folders are due */
  othersDueAt: number;
  /** a message's deadline has come: this look is its last, over every folder */
  expiring: boolean;
  /** the spam listener is idling on the spam folder */
  listenerAlive: boolean;
  othersEvery: number;
  pollIntervalMs: number;
}

export interface Look {
  /** the folders to look into, in order */
  order: string[];
  /** every folder of the plan when this look covers them all for an expiring message, else null */
  searchedAll: string[] | null;
  othersDueAt: number;
}

export function planLook(s: LookState): Look {
  const { plan, push } = s;
  const othersDue = push ? s.now >= s.othersDueAt : s.tick % s.othersEvery === s.othersEvery - 1;
  const folders = [plan.inbox, ...plan.spam];
  let othersDueAt = s.othersDueAt;
  if (s.expiring || othersDue) {
    folders.push(...plan.others);
    othersDueAt = s.now + s.othersEvery * s.pollIntervalMs;
  }
  // With IDLE: the listener looks at spam itself, so a woken look reads only INBOX, which the own
  // connection has selected (no EXAMINE). A full look ends on INBOX, to idle there.
  const full = !push || s.expiring || othersDue || !s.listenerAlive;
  const order = !push ? folders : full ? [...folders.slice(1), plan.inbox] : [plan.inbox];
  return { order, searchedAll: s.expiring ? folders : null, othersDueAt };
}

export interface WakeState {
  /** deadlines of the messages still waited for */
  deadlines: readonly number[];
  othersDueAt: number;
  /** the latest deadline ever asked for (listening goes on until then) */
  lingerUntil: number;
  /** spam needs no polling: the listener idles on it, or there is no spam folder */
  spamCovered: boolean;
  now: number;
  pollIntervalMs: number;
}

/**
 * When a wait in IDLE ends without news: at the next deadline (for the last look), when other
 * folders are due, after `pollIntervalMs` while spam is polled, and within `MAX_IDLE_WAIT_MS`.
 */
export function pushWakeAt(s: WakeState): number {
  return Math.min(
    ...s.deadlines,
    s.deadlines.length ? s.othersDueAt : s.lingerUntil,
    s.spamCovered ? Infinity : s.now + s.pollIntervalMs,
    s.now + MAX_IDLE_WAIT_MS,
  );
}
