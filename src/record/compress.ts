/**
 * The heavy columns of a message (evidence JSON and the raw received header block) stored as one
 * DEFLATE stream (RFC 1951, node:zlib) with a preset dictionary (RFC 1950 §2.2 FDICT: the
 * compressor may refer back into text it has not seen in this stream). The dictionary holds what
 * every record repeats: the Evidence keys and the header names and tokens of Received and
 * Authentication-Results lines, so even a single 3 KB record shrinks to a few hundred bytes.
 *
 * The first byte names the format, so a later dictionary gets a new number and rows written with
 * this one stay readable. Text is kept as WTF-8 (text-column.ts), so a lone surrogate survives.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { fromColumn, toColumn } from './text-column.ts';

const FORMAT_DEFLATE_DICT1 = 1;

const DICT1 = Buffer.from(
  [
    'Received: from  (  [ ]) by  with ESMTPS id  for <>; ',
    'Authentication-Results: ; spf=pass smtp.mailfrom= smtp.helo=; dkim=pass header.i=@ header.s= header.a=rsa-sha256 header.b=; dmarc=pass (p=none arc=none) header.from=',
    'ARC-Authentication-Results: i=1; ARC-Seal: ARC-Message-Signature: DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=; s=; h=From:To:Subject:Date:Message-ID; bh=; b=',
    'Return-Path: <>\r\nDelivered-To: X-Spam-Status: No, score= required= X-Spam-Flag: X-Spam-Score: X-Rspamd-Score: X-MS-Exchange-Organization-SCL: X-Forefront-Antispam-Report: ',
    'Message-ID: <@>\r\nDate: Mon, Tue, Wed, Thu, Fri, Sat, Sun, Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec +0000 (UTC)\r\nFrom: To: Subject: MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n',
    '{"e":{"fromDomain":"","authResults":{"status":"found","source":"authentication-results","headers":[{"authservId":"","results":[{"method":"spf","result":"pass","props":{"smtp.mailfrom":"","smtp.helo":""},"comments":[],"registered":true},',
    '{"method":"dkim","result":"pass","props":{"header.i":"@","header.s":"","header.a":"rsa-sha256","header.b":""},"comments":[],"registered":true},{"method":"dmarc","result":"pass","props":{"header.from":""},"comments":["p=none arc=none"],"registered":true}],"warnings":[]}],"results":[',
    '"ignored":[]},"auth":{"spf":"pass","dkim":"pass","dmarc":"pass"},"dkim":[{"result":"pass","domain":"","selector":"","algorithm":"rsa-sha256","identity":"@","alignment":"strict"}],"spf":{},"dmarc":{"policy":"none","alignment":"relaxed"},',
    '"received":{"hops":[{"index":0,"from":"","rdns":"","ip":{"address":"","family":"ipv4"},"by":"","with":"ESMTPS","id":"","for":"","date":,"tls":{"used":true,"version":"TLSv1.3","cipher":"TLS_AES_256_GCM_SHA384"},"raw":"from "}],',
    '"acceptance":{"by":"","ip":{"address":"","family":"ipv6"},"family":"ipv6","tls":{"used":true}}},"delays":{"submissionToAcceptanceMs":,"acceptanceToMailboxMs":,"submissionToMailboxMs":},"spam":{"verdicts":[{"vendor":"spamassassin","header":"","spam":false,"score":,"threshold":,"raw":"","fromProvider":true}],"providerSaysSpam":false},"warnings":[]},"h":"',
  ].join('\n'),
);

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Plain UTF-8 (nearly every record) decodes natively; only WTF-8 with a lone surrogate needs fromColumn. */
function decode(bytes: Buffer): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    return fromColumn(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
}

export interface Heavy {
  evidence?: unknown;
  rawHeaders?: string;
}

/** One BLOB holding the evidence and the raw headers; null when there is neither. */
export function packHeavy(h: Heavy): Uint8Array | null {
  if (h.evidence === undefined && h.rawHeaders === undefined) return null;
  const json = JSON.stringify({ e: h.evidence, h: h.rawHeaders });
  const text = toColumn(json);
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const z = deflateRawSync(bytes, { level: 9, dictionary: DICT1 });
  const out = new Uint8Array(z.length + 1);
  out[0] = FORMAT_DEFLATE_DICT1;
  out.set(z, 1);
  return out;
}

/** The inverse of packHeavy. Throws a clear error for bytes it did not write. */
export function unpackHeavy(blob: Uint8Array): Heavy {
  if (blob[0] !== FORMAT_DEFLATE_DICT1) throw unreadable(`unknown format ${blob[0]}`);
  let json: string;
  try {
    const bytes = inflateRawSync(blob.subarray(1), { dictionary: DICT1 });
    json = decode(bytes);
  } catch (err) {
    throw unreadable((err as Error).message);
  }
  const v = JSON.parse(json) as { e?: unknown; h?: string };
  return { ...(v.e !== undefined ? { evidence: v.e } : {}), ...(typeof v.h === 'string' ? { rawHeaders: v.h } : {}) };
}

function unreadable(why: string): Error {
  return new Error(
    `the history store holds a compressed message record it cannot read (${why}): it was written by a newer mailcanary or damaged; update mailcanary or restore the store from an export (\`npm run report -- --import FILE\`)`,
  );
}
