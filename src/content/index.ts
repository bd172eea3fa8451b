/** The content stage's public API: pre-send checks of each composed message variant. */
export type { ContentCheck } from './types.ts';
export type { MessageFacts } from './message.ts';
export { messageFacts } from './message.ts';
export { linkHosts, remoteImages } from './links.ts';
export { checkSize, checkUnsubscribe, checkRemoteImages, checkTextHtmlBalance, checkMessageId, checkDate, GMAIL_CLIP_BYTES } from './checks.ts';
export { checkLinkLists } from './lists.ts';
