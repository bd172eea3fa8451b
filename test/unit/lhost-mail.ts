/** Bounces written the way each MTA writes them, for the layout and table tests (no corpus is read). */
import { parseBounce } from '../../src/classify/index.ts';

/** A bounce as the MTA writes it: header lines, a blank line, the body (LF line ends). */
export const mail = (headers: string[], body: string[]): string => `${headers.join('\n')}\n\n${body.join('\n')}\n`;

/** Each recipient of the parsed bounce as [address, reason]. */
export const rcpts = (raw: string): Array<[string, string]> => parseBounce(raw).recipients.map((r) => [r.finalRecipient, r.reason]);
