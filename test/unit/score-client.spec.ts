import { test, expect } from '@playwright/test';
import { createServer as createHttp, type IncomingMessage } from 'node:http';
import { createServer as createTcp, type AddressInfo, type Server } from 'node:net';
import { parseScorerSetting, scoreMessage, scoreLine, rspamdHeaders, type ScorerSetting, type ScoredResult } from '../../src/score/index.ts';
import { parseReportTable } from '../../src/score/spamd.ts';

const MESSAGE = Buffer.from('From: a@canary.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nhello\r\n');

function listen(s: Server | ReturnType<typeof createHttp>): Promise<number> {
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
}
const rspamdAt = (port: number): ScorerSetting => ({ kind: 'rspamd', host: '127.0.0.1', port, url: `rspamd://127.0.0.1:${port}` });
const spamdAt = (port: number): ScorerSetting => ({ kind: 'spamassassin', host: '127.0.0.1', port, url: `spamd://127.0.0.1:${port}` });

const CHECKV2 = {
  is_skipped: false,
  score: 6.1,
  required_score: 15,
  action: 'add header',
  symbols: {
    MIME_HTML_ONLY: { name: 'MIME_HTML_ONLY', score: 0.2, metric_score: 0.2, description: 'Messages that have only HTML part' },
    URIBL_BLOCKED: { name: 'URIBL_BLOCKED', score: 0, metric_score: 0, description: 'URIBL: query refused', options: ['example.test:url'] },
    DBL_SPAM: { name: 'DBL_SPAM', score: 5.9, metric_score: 6.5, description: 'From address is in spam domain', options: ['prize-claims.test:url'] },
  },
};

test('MAILCANARY_SCORER: rspamd and spamd URLs, off by default, bad values named with the fix', () => {
  expect(parseScorerSetting(undefined)).toEqual({ setting: null });
  expect(parseScorerSetting('off')).toEqual({ setting: null });
  expect(parseScorerSetting('rspamd://127.0.0.1:11333')).toEqual({
    setting: { kind: 'rspamd', host: '127.0.0.1', port: 11333, url: 'rspamd://127.0.0.1:11333' },
  });
  expect(parseScorerSetting('spamd://filter.example.test')).toEqual({
    setting: { kind: 'spamassassin', host: 'filter.example.test', port: 783, url: 'spamd://filter.example.test:783' },
  });
  expect(parseScorerSetting('spamd://[::1]:7830')).toMatchObject({ setting: { host: '::1', port: 7830, url: 'spamd://[::1]:7830' } });
  expect(parseScorerSetting('http://127.0.0.1:11333')).toMatchObject({ error: 'unknown scorer scheme "http"' });
  expect(parseScorerSetting('rspamd://u:secret@127.0.0.1')).toMatchObject({ error: expect.stringContaining('credentials') });
  expect(parseScorerSetting('127.0.0.1:11333')).toMatchObject({ fix: expect.stringContaining('rspamd://HOST:PORT') });
});

test('rspamd /checkv2: the SMTP facts go as headers, every symbol comes back with points, description and options', async () => {
  let seen: IncomingMessage | undefined;
  let body = '';
  const server = createHttp((req, res) => {
    seen = req;
    req.on('data', (d) => (body += d));
    req.on('end', () => res.end(JSON.stringify(CHECKV2)));
  });
  const port = await listen(server);
  try {
    const r = await scoreMessage(rspamdAt(port), MESSAGE, {
      ip: '127.0.0.1',
      helo: 'mail.canary.test',
      from: 'bounce@canary.test',
      rcpt: ['seed@gmx.lab.test'],
      hostname: 'mail.canary.test',
      queueId: 'Q1',
    });
    expect(seen!.method).toBe('POST');
    expect(seen!.url).toBe('/checkv2');
    expect(seen!.headers).toMatchObject({
      ip: '127.0.0.1',
      helo: 'mail.canary.test',
      from: 'bounce@canary.test',
      rcpt: 'seed@gmx.lab.test',
      hostname: 'mail.canary.test',
      'queue-id': 'Q1',
    });
    expect(body).toBe(MESSAGE.toString());
    expect(r).toMatchObject({ state: 'scored', scorer: 'rspamd', score: 6.1, threshold: 15, action: 'add header' });
    const s = r as ScoredResult;
    expect(s.rules.map((x) => x.name)).toEqual(['DBL_SPAM', 'MIME_HTML_ONLY', 'URIBL_BLOCKED']);
    expect(s.rules[0]).toEqual({ name: 'DBL_SPAM', score: 5.9, description: 'From address is in spam domain', options: ['prize-claims.test:url'] });
    expect(scoreLine(r)).toBe('rspamd 6.1 / 15.0 (add header): DBL_SPAM(5.9), MIME_HTML_ONLY(0.2), URIBL_BLOCKED(0.0)');
    expect(rspamdHeaders(s)).toEqual([
      ['X-Spamd-Result', 'default: True [6.10 / 15.00]; DBL_SPAM(5.90)[prize-claims.test:url]; MIME_HTML_ONLY(0.20); URIBL_BLOCKED(0.00)[example.test:url]'],
      ['X-Rspamd-Score', '6.10'],
      ['X-Rspamd-Action', 'add header'],
      ['X-Spam-Status', 'Yes, score=6.10'],
    ]);
  } finally {
    server.close();
  }
});

test('a scorer that is down gives unknown with the reason, never a throw', async () => {
  const server = createTcp();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  for (const setting of [rspamdAt(port), spamdAt(port)]) {
    const r = await scoreMessage(setting, MESSAGE, {}, 2000);
    expect(r).toMatchObject({ state: 'unknown', reason: expect.stringContaining('ECONNREFUSED') });
  }
});

test('a scorer that never answers gives unknown after the timeout', async () => {
  const sockets: import('node:net').Socket[] = [];
  const server = createTcp((s) => sockets.push(s)); // accepts and says nothing
  const port = await listen(server);
  try {
    for (const setting of [rspamdAt(port), spamdAt(port)]) {
      const started = Date.now();
      const r = await scoreMessage(setting, MESSAGE, {}, 300);
      expect(r).toEqual({ state: 'unknown', scorer: setting.kind, url: setting.url, reason: 'no answer within 300 ms' });
      expect(Date.now() - started).toBeLessThan(2000);
    }
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});

test('garbage answers give unknown naming what is wrong', async () => {
  const answers = ['<html>proxy error</html>', JSON.stringify({ hello: 'world' }), JSON.stringify({ error: 'message too big' }), '[1,2]'];
  let i = 0;
  const server = createHttp((req, res) => {
    req.resume();
    req.on('end', () => res.end(answers[i++]));
  });
  const port = await listen(server);
  try {
    const reasons = [];
    for (let k = 0; k < answers.length; k++) {
      const r = await scoreMessage(rspamdAt(port), MESSAGE, {}, 2000);
      expect(r.state).toBe('unknown');
      reasons.push(r.state === 'unknown' ? r.reason : '');
    }
    expect(reasons).toEqual([
      'answer is not JSON: "<html>proxy error</html>"',
      'answer lacks score, required_score or action: not a /checkv2 reply',
      'rspamd: message too big',
      'answer is not a JSON object',
    ]);
  } finally {
    server.close();
  }
  const error = createHttp((req, res) => {
    req.resume();
    res.statusCode = 503;
    res.end('busy');
  });
  const p2 = await listen(error);
  try {
    expect(await scoreMessage(rspamdAt(p2), MESSAGE, {}, 2000)).toMatchObject({ state: 'unknown', reason: 'HTTP 503 from /checkv2: busy' });
  } finally {
    error.close();
  }
  const notSpamd = createTcp((s) => s.end('220 smtp.example.test ESMTP\r\n'));
  const p3 = await listen(notSpamd);
  try {
    expect(await scoreMessage(spamdAt(p3), MESSAGE, {}, 2000)).toMatchObject({
      state: 'unknown',
      reason: 'answer is not SPAMD: "220 smtp.example.test ESMTP"',
    });
  } finally {
    notSpamd.close();
  }
});

const REPORT = [
  'Spam detection software, running on the system "filter.example.test",',
  'has identified this incoming email as possible spam.',
  '',
  'Content analysis details:   (6.1 points, 5.0 required)',
  '',
  ' pts rule name              description',
  '---- ---------------------- --------------------------------------------------',
  ' 0.0 URIBL_BLOCKED          ADMINISTRATOR NOTICE: The query to URIBL was blocked.',
  '                            See',
  '                            http://wiki.apache.org/spamassassin/DnsBlocklists#dnsbl-block',
  '                            [URIs: prize-claims.test]',
  ' 4.5 URIBL_DBL_SPAM         Contains a spam URL listed in the Spamhaus DBL',
  '                            blocklist',
  '                            [URIs: prize-claims.test]',
  ' 1.6 SUBJ_ALL_CAPS          Subject is all capitals',
  '',
].join('\r\n');

test('spamd SPAMC/1.5 REPORT: the request spamd expects, the verdict and the report table', async () => {
  let request = '';
  const server = createTcp((s) => {
    s.on('data', (d) => (request += d));
    s.on('end', () => s.end(`SPAMD/1.1 0 EX_OK\r\nContent-length: ${Buffer.byteLength(REPORT)}\r\nSpam: True ; 6.1 / 5.0\r\n\r\n${REPORT}`));
  });
  const port = await listen(server);
  try {
    const r = await scoreMessage(spamdAt(port), MESSAGE, {}, 2000);
    expect(request).toBe(`REPORT SPAMC/1.5\r\nContent-length: ${MESSAGE.length}\r\n\r\n${MESSAGE}`);
    expect(r).toMatchObject({ state: 'scored', scorer: 'spamassassin', score: 6.1, threshold: 5, action: 'spam' });
    expect((r as ScoredResult).rules).toEqual([
      { name: 'URIBL_DBL_SPAM', score: 4.5, description: 'Contains a spam URL listed in the Spamhaus DBL blocklist', options: ['URIs: prize-claims.test'] },
      { name: 'SUBJ_ALL_CAPS', score: 1.6, description: 'Subject is all capitals', options: [] },
      {
        name: 'URIBL_BLOCKED',
        score: 0,
        description: 'ADMINISTRATOR NOTICE: The query to URIBL was blocked. See http://wiki.apache.org/spamassassin/DnsBlocklists#dnsbl-block',
        options: ['URIs: prize-claims.test'],
      },
    ]);
    expect(scoreLine(r)).toBe('SpamAssassin 6.1 / 5.0 (spam): URIBL_DBL_SPAM(4.5), SUBJ_ALL_CAPS(1.6), URIBL_BLOCKED(0.0)');
  } finally {
    server.close();
  }
  expect(parseReportTable('no table here')).toEqual([]);
});

test('spamd errors and missing verdicts are unknown with the reason', async () => {
  const answers = ['SPAMD/1.0 76 Bad header line: (Content-length mismatch)\r\n\r\n', 'SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\n\r\n', ''];
  let i = 0;
  const server = createTcp((s) => {
    s.resume();
    s.on('end', () => s.end(answers[i++]));
  });
  const port = await listen(server);
  try {
    const got = [];
    for (let k = 0; k < answers.length; k++) {
      const r = await scoreMessage(spamdAt(port), MESSAGE, {}, 2000);
      got.push(r.state === 'unknown' ? r.reason : 'scored');
    }
    expect(got).toEqual([
      'spamd: 76 Bad header line: (Content-length mismatch)',
      'spamd answer has no "Spam: <bool> ; <score> / <required>" header',
      'spamd closed the connection without an answer',
    ]);
  } finally {
    server.close();
  }
});
