import { expect, test } from '@playwright/test';
import {
  bufferSource,
  readReports,
  type AggregateReport,
  type FailureReport,
  type ReadItem,
  type Report,
  type TlsReport,
} from '../../src/receiver-reports/index.ts';
import { aggregateXml, failureMail, gzip, recordXml, reportMail, tlsReport, zipOf, zipOfMany } from '../fixtures/receiver-reports/build.ts';

async function read(name: string, bytes: Buffer | string): Promise<ReadItem[]> {
  return readReports(bufferSource(name, Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes)));
}
async function one<K extends Report['kind']>(name: string, bytes: Buffer | string, kind: K): Promise<Extract<Report, { kind: K }>> {
  const items = await read(name, bytes);
  expect(items).toHaveLength(1);
  const r = items[0].result;
  if (!r.ok) throw new Error(`expected a report, got ${r.error.kind}: ${r.error.message}`);
  expect(r.report.kind).toBe(kind);
  return r.report as Extract<Report, { kind: K }>;
}
async function failure(name: string, bytes: Buffer | string) {
  const items = await read(name, bytes);
  const r = items[0].result;
  if (r.ok) throw new Error(`expected an error, got a ${r.report.kind} report`);
  return r.error;
}

test('an RFC 7489 aggregate report gives metadata, policy and every record with its auth results', async () => {
  const xml = aggregateXml({
    version: '1.0',
    errors: ['partial data'],
    records: [
      { ip: '198.51.100.25', count: 12, envelopeFrom: 'bounce.canary.test' },
      {
        ip: '2001:db8::25',
        count: 2,
        disposition: 'quarantine',
        dkim: 'fail',
        spf: 'fail',
        reason: { type: 'forwarded', comment: 'list' },
        dkimAuth: [
          { domain: 'other.example', selector: 's1', result: 'fail' },
          { domain: 'canary.test', result: 'neutral' },
        ],
        spfAuth: [{ domain: 'helo.example', scope: 'helo', result: 'softfail' }],
      },
    ],
  });
  const r: AggregateReport = await one('gmail.xml', xml, 'aggregate');
  expect(r).toMatchObject({
    orgName: 'gmail-like.lab.test',
    orgEmail: 'noreply-dmarc@gmail-like.lab.test',
    reportId: 'r-1001',
    begin: '2025-12-01T00:00:00Z',
    end: '2025-12-01T23:59:59Z',
    xmlSchema: '1.0',
    errors: ['partial data'],
    policy: { domain: 'canary.test', adkim: 'r', aspf: 's', p: 'quarantine', sp: 'reject', pct: 100, fo: '1', np: null },
    recordCount: 2,
    totalCount: 14,
  });
  expect(r.records[0]).toEqual({
    sourceIp: '198.51.100.25',
    count: 12,
    disposition: 'none',
    dkim: 'pass',
    spf: 'pass',
    overrideReasons: [],
    headerFrom: 'canary.test',
    envelopeFrom: 'bounce.canary.test',
    envelopeTo: null,
    dkimResults: [{ domain: 'canary.test', selector: 'mc2026', result: 'pass', humanResult: null }],
    spfResults: [{ domain: 'canary.test', scope: 'mfrom', result: 'pass', humanResult: null }],
  });
  expect(r.records[1]).toMatchObject({
    sourceIp: '2001:db8::25',
    disposition: 'quarantine',
    overrideReasons: [{ type: 'forwarded', comment: 'list' }],
    dkimResults: [
      { domain: 'other.example', selector: 's1', result: 'fail' },
      { domain: 'canary.test', selector: null, result: 'neutral' },
    ],
    spfResults: [{ domain: 'helo.example', scope: 'helo', result: 'softfail' }],
  });
});

test('an RFC 9990 report (namespace, np/testing/discovery_method, no pct) is read like the older one', async () => {
  const xml = aggregateXml({
    namespace: 'urn:ietf:params:xml:ns:dmarc-2.0',
    version: '1.0',
    policy: '<domain>canary.test</domain><p>reject</p><sp>quarantine</sp><np>reject</np><testing>n</testing><discovery_method>treewalk</discovery_method>',
  });
  const r = await one('bis.xml', xml, 'aggregate');
  expect(r.namespace).toBe('urn:ietf:params:xml:ns:dmarc-2.0');
  expect(r.policy).toEqual({
    domain: 'canary.test',
    adkim: 'r',
    aspf: 'r',
    p: 'reject',
    sp: 'quarantine',
    pct: null,
    fo: null,
    np: 'reject',
    testing: 'n',
    discoveryMethod: 'treewalk',
  });
  expect(r.records).toHaveLength(1);
});

test('draft-era and sloppy reports are read leniently: no version, upper-case words, no scope, identities, padded numbers', async () => {
  const rec = recordXml({
    disposition: 'None',
    dkim: 'Pass',
    spf: 'FAIL',
    headerFrom: 'Canary.TEST',
    spfAuth: [{ domain: 'canary.test', result: 'Pass' }],
  }).replace(/identifiers>/g, 'identities>');
  const xml = aggregateXml({ begin: ' 1764547200 ', end: '\n1764633599\n', policy: '<domain>canary.test</domain><p>none</p>', records: [] }).replace(
    '</feedback>',
    `${rec}</feedback>`,
  );
  const r = await one('draft.xml', xml, 'aggregate');
  expect(r.xmlSchema).toBe('draft');
  // RFC 7489 §6.3 defaults: relaxed alignment, sp falls back to p
  expect(r.policy).toMatchObject({ adkim: 'r', aspf: 'r', p: 'none', sp: 'none', pct: null });
  expect(r.records[0]).toMatchObject({
    disposition: 'none',
    dkim: 'pass',
    spf: 'fail',
    headerFrom: 'canary.test',
    spfResults: [{ domain: 'canary.test', scope: null, result: 'pass' }],
  });
  expect(r.begin).toBe('2025-12-01T00:00:00Z');
});

test('bad UTF-8 becomes U+FFFD, a declared latin-1 charset is honoured, control characters are dropped', async () => {
  const bad = Buffer.concat([
    Buffer.from(aggregateXml({ org: 'ORGX' }).split('ORGX')[0]),
    Buffer.from([0x4d, 0xff, 0xfe, 0x4d]),
    Buffer.from(aggregateXml({ org: 'ORGX' }).split('ORGX')[1]),
  ]);
  expect((await one('bad-utf8.xml', bad, 'aggregate')).orgName).toBe('M\uFFFD\uFFFDM');
  const latin = Buffer.from(aggregateXml({ org: 'Müller\u0001 GmbH', prolog: '<?xml version="1.0" encoding="ISO-8859-1"?>' }), 'latin1');
  expect((await one('latin1.xml', latin, 'aggregate')).orgName).toBe('Müller GmbH');
});

test('a broken aggregate report is a clear error naming the report and what is wrong', async () => {
  expect(await failure('no-id.xml', aggregateXml({ reportId: '' }))).toEqual({
    kind: 'invalid-aggregate',
    message: expect.stringMatching(/^no-id\.xml: .*<report_id>/),
  });
  expect(await failure('bad-ip.xml', aggregateXml({ records: [{}, { ip: 'mx.example' }] }))).toEqual({
    kind: 'invalid-aggregate',
    message: expect.stringMatching(/bad-ip\.xml: record 2: <source_ip> "mx\.example" is not an IP address/),
  });
  expect(await failure('bad-count.xml', aggregateXml({ records: [{ count: 'many' }] }))).toMatchObject({
    kind: 'invalid-aggregate',
    message: expect.stringContaining('<count> "many"'),
  });
  expect(await failure('bad-date.xml', aggregateXml({ begin: 'yesterday' }))).toMatchObject({
    kind: 'invalid-aggregate',
    message: expect.stringContaining('<date_range><begin>'),
  });
  expect(await failure('cut.xml', aggregateXml().slice(0, 400))).toMatchObject({ kind: 'invalid-xml', message: expect.stringContaining('cut.xml') });
  expect(await failure('rss.xml', '<?xml version="1.0"?><rss><channel/></rss>')).toMatchObject({
    kind: 'unknown-format',
    message: expect.stringContaining('<rss>'),
  });
  expect(await failure('empty.xml', '')).toMatchObject({ kind: 'empty' });
  expect(await failure('junk.bin', Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toMatchObject({ kind: 'unknown-format' });
});

test('containers: .xml.gz, .zip, and a gzip inside a zip give the same report', async () => {
  const xml = aggregateXml({ reportId: 'in-a-box' });
  for (const [name, bytes] of [
    ['r.xml.gz', gzip(xml)],
    ['r.zip', zipOf('r.xml', Buffer.from(xml))],
    ['r2.zip', zipOf('r.xml.gz', gzip(xml))],
  ] as const) {
    expect((await one(name, bytes, 'aggregate')).reportId).toBe('in-a-box');
  }
  // a zip made on a Mac carries AppleDouble companions: they are not reports
  const mac = zipOfMany([
    { name: 'r.xml', content: Buffer.from(xml) },
    { name: '__MACOSX/._r.xml', content: Buffer.from([0, 5, 22, 7, 0, 2]) },
    { name: 'notes/', content: Buffer.alloc(0) },
  ]);
  expect((await one('mac.zip', mac, 'aggregate')).reportId).toBe('in-a-box');
  // two reports in one archive are two reports
  const two = await read(
    'two.zip',
    zipOfMany([
      { name: 'a.xml', content: Buffer.from(aggregateXml({ reportId: 'a' })) },
      { name: 'b.xml.gz', content: gzip(aggregateXml({ reportId: 'b' })) },
    ]),
  );
  expect(two.map((i) => i.result.ok && i.result.report.kind === 'aggregate' && i.result.report.reportId)).toEqual(['a', 'b']);
});

test('report e-mails: attachments of any declared type, inline XML, and the Message-ID are found', async () => {
  const xml = aggregateXml({ reportId: 'mailed' });
  for (const [type, file, bytes] of [
    ['application/octet-stream', 'gmail-like!canary.test!1!2.zip', zipOf('report.xml', Buffer.from(xml))],
    ['application/x-zip-compressed', 'report.zip', zipOf('report.xml', Buffer.from(xml))],
    ['application/gzip', 'report.xml.gz', gzip(xml)],
    ['text/xml', null, Buffer.from(xml)],
  ] as const) {
    const items = await read('in.eml', reportMail(bytes, type, file));
    expect(items, type).toHaveLength(1);
    expect(items[0].messageId).toBe('<agg-1@gmail-like.lab.test>');
    expect(items[0].result.ok && items[0].result.report.kind === 'aggregate' && items[0].result.report.reportId).toBe('mailed');
    if (file) expect(items[0].source).toContain(file);
  }
  const tls = await read('tls.eml', reportMail(gzip(JSON.stringify(tlsReport())), 'application/tlsrpt+gzip', 'company-x!company-y.example!1!2.json.gz'));
  expect(tls[0].result.ok && tls[0].result.report.kind).toBe('tlsrpt');
  const inline = 'From: a@b.example\r\nMessage-ID: <inline@x>\r\nContent-Type: text/plain\r\n\r\n' + aggregateXml({ reportId: 'inline' });
  expect((await one('inline.eml', inline, 'aggregate')).reportId).toBe('inline');
  const none = await failure('hello.eml', 'From: a@b.example\r\nSubject: hello\r\n\r\nJust text.\r\n');
  expect(none).toMatchObject({ kind: 'no-report-in-message', message: expect.stringContaining('"hello"') });
});

test('an RFC 8460 TLS report (the §4.5 example) gives policies and failure details; draft field names are read too', async () => {
  const t: TlsReport = await one('tls.json', '\uFEFF' + JSON.stringify(tlsReport()), 'tlsrpt');
  expect(t).toMatchObject({
    organizationName: 'Company-X',
    reportId: '5065427c-23d3-47ca-b6e0-946ea0e8c4be',
    begin: '2016-04-01T00:00:00Z',
    contactInfo: 'sts-reporting@company-x.example',
  });
  expect(t.policies[0]).toMatchObject({
    policyType: 'sts',
    policyDomain: 'company-y.example',
    mxHosts: ['*.mail.company-y.example'],
    successful: 5326,
    failed: 303,
  });
  expect(t.policies[0].failureDetails.map((d) => [d.resultType, d.failedSessionCount])).toEqual([
    ['certificate-expired', 100],
    ['starttls-not-supported', 200],
    ['validation-failure', 3],
  ]);
  expect(t.policies[0].failureDetails[1].additionalInformation).toContain('StarttlsNotSupported');
  expect(t.policies[0].failureDetails[2].failureReasonCode).toBe('X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED');
  const draft = tlsReport() as { policies: { policy: Record<string, unknown>; 'failure-details': Record<string, unknown>[] }[] };
  const p = draft.policies[0];
  p.policy['mx-host-pattern'] = p.policy['mx-host'];
  delete p.policy['mx-host'];
  p['failure-details'][1]['additional-info-uri'] = p['failure-details'][1]['additional-information'];
  delete p['failure-details'][1]['additional-information'];
  delete (draft as Record<string, unknown>)['contact-info'];
  const d = await one('draft.json', JSON.stringify(draft), 'tlsrpt');
  expect(d.contactInfo).toBeNull();
  expect(d.policies[0].mxHosts).toEqual(['*.mail.company-y.example']);
  expect(d.policies[0].failureDetails[1].additionalInformation).toContain('StarttlsNotSupported');
});

test('a TLS report missing a required field is refused naming the field', async () => {
  const t = tlsReport() as { policies: { summary: Record<string, unknown> }[] };
  delete t.policies[0].summary['total-failure-session-count'];
  expect(await failure('short.json', JSON.stringify(t))).toEqual({
    kind: 'invalid-tlsrpt',
    message: expect.stringMatching(/^short\.json: "policies\[0\]\.summary\.total-failure-session-count" must be a whole number/),
  });
  expect(await failure('broken.json', '{"organization-name": "x",')).toMatchObject({
    kind: 'invalid-tlsrpt',
    message: expect.stringContaining('not valid JSON'),
  });
});

test('an RFC 6591 failure report gives the feedback fields and the reported message', async () => {
  const fb = [
    'Feedback-Type: auth-failure',
    'User-Agent: Lab-Reporter/1.0',
    'Version: 1',
    'Original-Mail-From: <bounce@canary.test>',
    'Original-Rcpt-To: <seed@gmail-like.lab.test>',
    'Arrival-Date: Mon, 30 Nov 2026 10:00:05 EDT',
    'Source-IP: 203.0.113.66 (spoofer.example)',
    'Reported-Domain: canary.test',
    'Delivery-Result: Reject',
    'Authentication-Results: mx.gmail-like.lab.test;',
    '  dmarc=fail header.from=canary.test',
    'Auth-Failure: dmarc',
    'Identity-Alignment: none',
    'DKIM-Domain: canary.test',
  ].join('\r\n');
  const f: FailureReport = await one('ruf.eml', failureMail(fb), 'failure');
  expect(f).toMatchObject({
    feedbackType: 'auth-failure',
    version: '1',
    userAgent: 'Lab-Reporter/1.0',
    arrivalDate: 'Mon, 30 Nov 2026 10:00:05 EDT',
    arrivalDateUtc: '2026-11-30T14:00:05Z',
    sourceIp: '203.0.113.66',
    reportedDomain: 'canary.test',
    deliveryResult: 'reject',
    authFailure: ['dmarc'],
    authenticationResults: 'mx.gmail-like.lab.test; dmarc=fail header.from=canary.test',
    identityAlignment: [],
    dkimDomain: 'canary.test',
    originalMailFrom: '<bounce@canary.test>',
    sampleHeadersOnly: true,
    sampleFrom: 'ceo@canary.test',
    sampleSubject: 'Rechnung überfällig',
    sampleMessageId: '<spoof-1@attacker.example>',
  });
  const items = await read('ruf.eml', failureMail(fb));
  expect(items[0].messageId).toBe('<ruf-42@gmail-like.lab.test>');
  const whole = await one('ruf2.eml', failureMail(fb, 'From: x@canary.test\nSubject: s\n\nbody text\n', 'message/rfc822'), 'failure');
  expect(whole.sampleHeadersOnly).toBe(false);
  expect(await failure('nofb.eml', failureMail('User-Agent: x/1\r\nVersion: 1'))).toMatchObject({
    kind: 'invalid-failure-report',
    message: expect.stringContaining('Feedback-Type'),
  });
});
