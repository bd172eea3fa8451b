/**
 * RFC 3464 message/delivery-status fields: one per-message block (§2.2) followed by
 * per-recipient blocks (§2.3), each a header-like group separated by blank lines.
 * Real MTAs fold oddly, omit blank lines between recipients, or write the same fields into a
 * text/plain part, so the reader works on any text and splits a block at each new recipient.
 */
import { parseHeaderBlock, type Headers } from './mime.ts';

export interface DsnRecipientFields {
  finalRecipient?: string;
  originalRecipient?: string;
  action?: string;
  status?: string;
  remoteMta?: string;
  diagnosticType?: string;
  diagnosticCode?: string;
  lastAttemptDate?: string;
  /** Postfix/Sendmail X-Actual-Recipient, used when Final-Recipient is missing */
  actualRecipient?: string;
  /** PowerMTA's X-PowerMTA-BounceCategory extension field (RFC 3464 §2.4 allows X- fields) */
  bounceCategory?: string;
}

export interface DsnFields {
  reportingMta?: string;
  arrivalDate?: string;
  recipients: DsnRecipientFields[];
}

/** `type; value` (RFC 3464 §2.1.2 address-type / mta-name-type) → value and type. */
export function typedValue(v: string | undefined): { type?: string; value?: string } {
  if (!v) return {};
  const m = /^\s*([A-Za-z0-9-]+)\s*;\s*([\s\S]*)$/.exec(v);
  if (m) return { type: m[1].toLowerCase(), value: m[2].trim() };
  return { value: v.trim() };
}

/** Strip `<>` and surrounding junk from an address value. */
export function cleanAddress(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let s = v.trim();
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(s);
  if (angle) s = angle[1];
  s = s.replace(/^["'(<\s]+|[>"')\s.,;:]+$/g, '');
  const m = /[^\s<>"(),;:]+@[^\s<>"(),;:]+/.exec(s);
  return m ? m[0].replace(/\.$/, '') : s || undefined;
}

const RECIPIENT_START = /^(?:final-recipient|original-recipient)\s*:/im;

/** Does this text contain RFC 3464 per-recipient fields? */
export function looksLikeDsnFields(text: string): boolean {
  return /^final-recipient\s*:/im.test(text) || (/^status\s*:\s*[245]\.\d/im.test(text) && /^action\s*:/im.test(text));
}

function first(h: Headers, name: string): string | undefined {
  const v = h.fields.get(name);
  return v ? v[0] : undefined;
}

/** Read the delivery-status fields from a (decoded) message/delivery-status body. */
export function parseDeliveryStatus(text: string): DsnFields {
  const out: DsnFields = { recipients: [] };
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // Re-group: a new block starts at a blank line or at a Final-/Original-Recipient that
  // follows a block that already has one (missing blank line between recipients).
  const blocks: string[][] = [];
  let cur: string[] = [];
  // Original-Recipient normally precedes Final-Recipient of the SAME recipient (§2.3.1), so only a
  // second Final-Recipient, or an Original-Recipient after a complete block, starts a new one.
  let hasFinal = false;
  let hasBody = false;
  for (const line of lines) {
    if (line.trim() === '') {
      if (cur.length) blocks.push(cur);
      cur = [];
      hasFinal = hasBody = false;
      continue;
    }
    const isRcpt = RECIPIENT_START.test(line);
    const isFinal = isRcpt && /^final-recipient/i.test(line);
    if (isRcpt && hasFinal && (isFinal || hasBody)) {
      blocks.push(cur);
      cur = [];
      hasFinal = hasBody = false;
    }
    if (isFinal) hasFinal = true;
    else if (hasFinal && /^(?:action|status)\s*:/i.test(line)) hasBody = true;
    cur.push(line);
  }
  if (cur.length) blocks.push(cur);

  for (const b of blocks) {
    const h = parseHeaderBlock(b.join('\n'));
    if (first(h, 'reporting-mta')) out.reportingMta ??= typedValue(first(h, 'reporting-mta')).value;
    if (first(h, 'arrival-date')) out.arrivalDate ??= first(h, 'arrival-date');
    const fr = first(h, 'final-recipient');
    const or = first(h, 'original-recipient');
    const ar = first(h, 'x-actual-recipient');
    const st = first(h, 'status');
    const act = first(h, 'action');
    if (!fr && !or && !(st && act)) continue;
    const diag = typedValue(first(h, 'diagnostic-code'));
    const status = st ? (/[245]\.\d{1,3}\.\d{1,3}/.exec(st)?.[0] ?? undefined) : undefined;
    out.recipients.push({
      finalRecipient: cleanAddress(typedValue(fr).value),
      originalRecipient: cleanAddress(typedValue(or).value),
      actualRecipient: cleanAddress(typedValue(ar).value),
      action: act
        ? act
            .trim()
            .toLowerCase()
            .split(/[\s(;]/)[0]
        : undefined,
      status,
      remoteMta: typedValue(first(h, 'remote-mta')).value,
      diagnosticType: diag.type?.toUpperCase(),
      diagnosticCode: diag.value || (st && !status ? st : undefined),
      lastAttemptDate: first(h, 'last-attempt-date'),
      bounceCategory: first(h, 'x-powermta-bouncecategory')?.trim() || undefined,
    });
  }
  return out;
}
