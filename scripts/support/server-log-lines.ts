/**
 * Lines of the server-log part of `npm run demo` and `npm run server-log`: each test message named
 * as its placement test is (seed, variant, sender), and every time in one form, the
 * `2026-12-02T01:26:10Z` of the rejection lines. Pure.
 */
import type { SentMessage } from '../../src/model.ts';
import { cellLabel, senderLabel } from '../../src/send/matrix.ts';
import { formatRejections, formatVolume, logTime } from '../../src/server-log/index.ts';
import type { OutboundVolume, RejectionGroup } from '../../src/server-log/index.ts';

export { logTime };

export type ManifestMessage = Pick<SentMessage, 'seedId' | 'variant' | 'path' | 'sender' | 'senderDomain' | 'system' | 'from'>;

/**
 * `lab-gmail › plain from family.test`, as the placement test names the message (src/send/matrix.ts):
 * the sender is named whenever the run had several, and by address when two share a domain.
 */
export function messageLabels(messages: readonly ManifestMessage[]): string[] {
  const senders = new Map<string, { id: string; address: string; domain: string; system: boolean }>();
  for (const m of messages) {
    if (m.sender && !senders.has(m.sender)) {
      senders.set(m.sender, { id: m.sender, address: m.from, domain: m.senderDomain ?? m.from.split('@').pop()!.toLowerCase(), system: m.system === true });
    }
  }
  const all = [...senders.values()];
  return messages.map((m) => {
    const s = m.sender ? senders.get(m.sender) : undefined;
    return `${m.seedId} › ${cellLabel(m.variant, m.path, s ? senderLabel(s, all) : undefined)}`;
  });
}

export interface RealMailReading {
  runId: string;
  since: number;
  until: number;
  basis: 'previous-run' | 'default';
  rejections: RejectionGroup[];
  volume: OutboundVolume;
}

/** The window of a reading: `2026-12-02T01:26:10Z … 2026-12-02T02:25:50Z (since the previous run)`. */
export function windowText(r: Pick<RealMailReading, 'since' | 'until' | 'basis'>): string {
  return `${logTime(r.since)} … ${logTime(r.until)} (${r.basis === 'previous-run' ? 'since the previous run' : 'no earlier reading: the default window'})`;
}

/** The `server-log` project's reading of this run: its rejections of real mail and the outbound volume, once. */
export function realMailLines(r: RealMailReading): string[] {
  return [
    `rejections of your real mail (server-log project, run ${r.runId}, ${windowText(r)}):`,
    ...formatRejections(r.rejections).map((l) => `  ${l}`),
    ...formatVolume(r.volume).map((l) => `  ${l}`),
  ];
}

/** Every line marked as the lab's: the demo's output is a simulation throughout. */
export function labLines(lines: readonly string[]): string[] {
  return lines.map((l) => (l.startsWith('[LAB]') ? l : l ? `[LAB] ${l}` : l));
}
