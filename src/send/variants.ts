/**
 * Message variants: the same test, dressed differently, because providers judge content too.
 * `plain` is the baseline; `html-with-link` is what newsletters and notifications look like
 * (multipart/alternative with a link), the form most often filed as spam. `spammy` is a control
 * that content filters must call spam (shouting subject, a link whose text names another site,
 * parts that disagree): sent only when asked for (MAILCANARY_VARIANTS), it shows that the
 * receivers and the local scorer do judge content.
 */
export interface VariantContext {
  tag: string;
  fromName: string;
  linkUrl: string;
  date: Date;
}

export interface VariantContent {
  subject: string;
  text: string;
  html?: string;
}

type Variant = (ctx: VariantContext) => VariantContent;

const VARIANTS: Record<string, Variant> = {
  plain: (ctx) => ({
    subject: `Mail check ${ctx.tag}`,
    text:
      `Hello,\n\nthis is a delivery check from ${ctx.fromName}, sent on ${ctx.date.toUTCString()}.\n` +
      `It lets us see that our mail reaches you. No action is needed.\n\n` +
      `Reference: ${ctx.tag}\n\n-- \n${ctx.fromName}\n`,
  }),
  'html-with-link': (ctx) => ({
    subject: `Your monthly update ${ctx.tag}`,
    text: `Hello,\n\nhere is this month's short update from ${ctx.fromName}.\n` + `Read more: ${ctx.linkUrl}\n\nReference: ${ctx.tag}\n`,
    html:
      `<!doctype html><html><body style="font-family:sans-serif">` +
      `<p>Hello,</p><p>here is this month's short update from ${escapeHtml(ctx.fromName)}.</p>` +
      `<p><a href="${escapeHtml(ctx.linkUrl)}">Read the update</a></p>` +
      `<p style="color:#777;font-size:12px">Reference: ${escapeHtml(ctx.tag)}</p></body></html>`,
  }),
  spammy: (ctx) => ({
    // all capitals, tag included: SUBJ_ALL_CAPS is one of the rules this control must trip
    subject: `URGENT: YOU HAVE WON A CASH PRIZE (REF ${ctx.tag.toUpperCase()})`,
    text: `Claim now: ${ctx.linkUrl}\n`,
    html:
      `<html><body><p><b>CONGRATULATIONS!!!</b> Dear winner, you have won 1,000,000 USD! ` +
      `Claim your prize today, 100% free, no risk, act now before it expires!</p>` +
      // link text naming another site than the target is what phishing filters look for
      `<p><a href="${escapeHtml(ctx.linkUrl)}">https://www.paypal.com/verify-account</a></p>` +
      `<p style="font-size:1px;color:#fff">${escapeHtml(ctx.tag)}</p></body></html>`,
  }),
};

export const VARIANT_NAMES: readonly string[] = Object.keys(VARIANTS);

/** Variants sent when MAILCANARY_VARIANTS is unset; the others are controls sent only on request. */
export const DEFAULT_VARIANTS: readonly string[] = VARIANT_NAMES.filter((v) => v !== 'spammy');

export function renderVariant(name: string, ctx: VariantContext): VariantContent {
  const v = VARIANTS[name];
  if (!v) throw new Error(`unknown message variant '${name}'; known: ${VARIANT_NAMES.join(', ')}`);
  return v(ctx);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
