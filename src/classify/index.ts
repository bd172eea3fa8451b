/**
 * src/classify: read bounces (RFC 3464 DSNs and non-standard MTA reports), feedback reports
 * (RFC 5965) and auto-replies (RFC 3834); classify why a message failed; say what to do about it.
 */
export { parseBounce } from './parse.ts';
export { classifyReason, classify, hardOrSoft } from './classify.ts';
export { adviceFor, KNOWLEDGE_BASE, type AdviceEntry } from './advice.ts';
export { REASONS } from './reasons.ts';
export type { Advice, BounceRecipient, BounceReport, Reason, ReturnedMessage } from './types.ts';
export { decodeTransfer, decodeWords, header, parseHeaderBlock, parseMime, partText, walk } from './mime.ts';
export type { Headers, MimePart } from './mime.ts';
