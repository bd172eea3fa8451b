/** The send stage's public API: other stages import it only from here. */
export { TAG_HEADER, TAG_PATTERN, runIdOfTag } from './tag.ts';
export { VARIANT_NAMES, DEFAULT_VARIANTS } from './variants.ts';
export { composeMessage, rawMessage } from './compose.ts';
export type { Composed } from './compose.ts';
export { senderView } from './submit.ts';
export { loginFix, loginRefusal, submitFailureLines } from './submit-failures.ts';
