/**
 * Finding the imprint / contact page of a website (pure). German providers (Telekom's
 * postmaster rules) ask for a website with an imprint (Impressum, § 5 DDG) naming who runs the
 * server before they allowlist it; elsewhere a contact or legal-notice page does the job.
 * HTML is hostile input: only anchors are read, with bounded regular expressions.
 */

const CONTACT_WORDS =
  /\b(impressum|imprint|kontakt|contact(?:[- ]?us)?|legal[- ]notice|mentions[- ]l[ée]gales|colofon|aviso[- ]legal|note[- ]legali|about[- ]us|über[- ]uns)\b/i;
const CONTACT_PATHS = /\/(impressum|imprint|kontakt|contact|legal|legal-notice|mentions-legales|colofon|about)(?:[/.?#-]|$)/i;

export interface ContactLink {
  href: string;
  text: string;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ');
}

/** Anchors whose text or target names an imprint/contact page, in page order (max 10). */
export function contactLinks(html: string): ContactLink[] {
  const out: ContactLink[] = [];
  const re = /<a\b([^>]{0,2000})>([\s\S]{0,2000}?)<\/a>/gi;
  for (const m of html.slice(0, 1_000_000).matchAll(re)) {
    const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[1]);
    const target = decodeEntities((href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim());
    const text = decodeEntities(
      m[2]
        .replace(/<[^>]*>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ).slice(0, 100);
    if (!target || /^(javascript|data):/i.test(target)) continue;
    if (CONTACT_WORDS.test(text) || CONTACT_PATHS.test(target.replace(/^mailto:.*/i, ''))) out.push({ href: target, text });
    if (out.length >= 10) break;
  }
  return out;
}

/** Contact details in a page's text: an e-mail address, a phone number or a postal code with a street word. */
export function contactDetails(html: string): string[] {
  const text = decodeEntities(
    html
      .slice(0, 1_000_000)
      .replace(/<script[\s\S]*?<\/script>/gi, ' ')
      .replace(/<[^>]*>/g, ' '),
  ).replace(/\s+/g, ' ');
  const found: string[] = [];
  if (/mailto:[^"'\s>]+@/i.test(html) || /\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+\b/.test(text)) found.push('e-mail address');
  if (/(?:tel:|\b(?:telefon|phone|tel\.?|fon)\s*:?\s*)\+?[\d ()/-]{6,}/i.test(html + ' ' + text)) found.push('phone number');
  if (/\b\d{4,5}\s+[A-ZÄÖÜ][\p{L}-]+/u.test(text) && /(stra(ß|ss)e|str\.|weg|platz|allee|gasse|street|road|avenue|\bst\.)/i.test(text))
    found.push('postal address');
  return found;
}

/** Does the page itself read as an imprint/contact page? (heading or title words + contact details) */
export function isContactPage(html: string): boolean {
  const heads = [...html.slice(0, 1_000_000).matchAll(/<(?:title|h1|h2)\b[^>]*>([\s\S]{0,300}?)<\/(?:title|h1|h2)>/gi)].map((m) => m[1]);
  return heads.some((h) => CONTACT_WORDS.test(h)) && contactDetails(html).length > 0;
}
