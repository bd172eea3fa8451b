/* mailcanary report: the drill-down of one message (verdict, Authentication-Results, Received
 * path, delays, spam headers, content score, bounce with advice, raw headers) as DOM nodes.
 * `t` brings the page's node helpers (el, kv, table, when, s) and the message's deep link.
 * DOM APIs only, every value through textContent: the data came from received messages. */
(function () {
  'use strict';
  window.mcDrill = function (m, t) {
    var el = t.el,
      kv = t.kv,
      table = t.table,
      when = t.when,
      s = t.s;
    var out = [];
    var ev = m.evidence || {};
    out.push(el('h2', { id: 'drill-h', tabindex: '-1', text: 'Message ' + m.seedId + ' / ' + m.variant }));
    out.push(el('p', { cls: 'muted' }, ['link to this message: ', el('code', { text: t.link })]));
    out.push(
      kv({
        verdict: m.shown || m.verdict,
        expected: m.expected,
        'test failed': m.failure,
        why: m.why,
        reason: m.reason,
        detail: m.detail,
        subject: m.subject,
        tag: m.tag,
        to: m.address,
        submitted: when(m.submittedAt),
        'test status': m.testStatus,
      }),
    );
    var ar = ev.authResults;
    out.push(el('h3', { text: 'Authentication-Results' }));
    if (ar && ar.status === 'found' && Array.isArray(ar.results)) {
      out.push(el('p', { cls: 'muted', text: 'trusted source: ' + s(ar.source) + (ar.note ? ' · ' + s(ar.note) : '') }));
      out.push(
        table(
          ['method', 'result', 'reason', 'properties', 'comments'],
          ar.results.map(function (r) {
            return [
              r.method,
              r.result,
              r.reason || '',
              Object.keys(r.props || {})
                .map(function (k) {
                  return k + '=' + s(r.props[k]);
                })
                .join(' '),
              (r.comments || []).map(s).join(' '),
            ];
          }),
          'authres',
        ),
      );
    } else if (ar) out.push(el('p', { text: s(ar.note || ar.status) }));
    else out.push(el('p', { cls: 'muted', text: 'no evidence recorded (message not delivered, or older run)' }));
    if (Array.isArray(ar && ar.ignored) && ar.ignored.length)
      out.push(
        table(
          ['ignored header', 'authserv-id', 'why'],
          ar.ignored.map(function (g) {
            return [g.index, g.authservId || '', g.why];
          }),
        ),
      );
    var rc = ev.received;
    if (rc && Array.isArray(rc.hops)) {
      out.push(el('h3', { text: 'Received path' }));
      var acc = rc.acceptance;
      if (acc)
        out.push(
          kv({
            'accepted by': acc.by,
            'sending IP': acc.ip && acc.ip.address,
            family: acc.family,
            TLS: acc.tls ? (acc.tls.used ? 'yes ' + s(acc.tls.version) + ' ' + s(acc.tls.cipher) : 'no') : '',
          }),
        );
      // hops count 1..n from the top (the receiving end) down to the sender; the field's place
      // among all header fields is its own column, so it never reads as a hop number
      out.push(el('p', { cls: 'muted', text: 'hop 1 is the receiving end (the topmost Received field); the last hop is nearest the sender' }));
      out.push(
        table(
          ['hop', 'from', 'rDNS', 'IP', 'family', 'by', 'with', 'TLS', 'date', 'problem', 'header field'],
          rc.hops.map(function (hp, k) {
            return [
              k + 1,
              hp.from || '',
              hp.rdns || '',
              hp.ip ? hp.ip.address : '',
              hp.ip ? hp.ip.family : '',
              hp.by || '',
              hp.with || '',
              hp.tls ? (hp.tls.used ? 'yes ' + s(hp.tls.version) : 'no') : '',
              when(hp.date),
              hp.error || '',
              typeof hp.index === 'number' ? 'field ' + (hp.index + 1) : '',
            ];
          }),
          'hops',
        ),
      );
    }
    if (ev.delays)
      out.push(
        kv({
          'submission → acceptance (ms)': ev.delays.submissionToAcceptanceMs,
          'acceptance → mailbox (ms)': ev.delays.acceptanceToMailboxMs,
          'submission → mailbox (ms)': ev.delays.submissionToMailboxMs,
          note: ev.delays.note,
        }),
      );
    if (ev.spam && Array.isArray(ev.spam.verdicts) && ev.spam.verdicts.length) {
      out.push(el('h3', { text: 'Spam headers' }));
      out.push(
        table(
          ['vendor', 'header', 'spam', 'score', 'level', 'meaning', 'by provider', 'raw'],
          ev.spam.verdicts.map(function (v) {
            return [
              v.vendor,
              v.header,
              v.spam === undefined ? '' : String(v.spam),
              v.score === undefined ? '' : v.score + (v.threshold !== undefined ? ' / ' + v.threshold : ''),
              v.level === undefined ? '' : v.level,
              v.meaning || '',
              v.fromProvider ? 'yes' : 'no',
              v.raw,
            ];
          }),
          'spam',
        ),
      );
    }
    var score = window.mcContentScore ? window.mcContentScore(m, { el: el, table: table }) : null;
    if (score) out.push(score);
    if (Array.isArray(ev.warnings) && ev.warnings.length)
      out.push(
        el(
          'ul',
          { cls: 'muted' },
          ev.warnings.map(function (w) {
            return el('li', { text: s(w) });
          }),
        ),
      );
    var b = m.bounce;
    if (b && typeof b === 'object') {
      out.push(el('h3', { text: 'Bounce' }));
      out.push(
        kv({
          state: b.state,
          source: b.source,
          reason: b.reason,
          hard: b.hardBounce === null ? 'unknown' : b.hardBounce,
          status: b.status,
          'reply code': b.replyCode,
          diagnostic: b.diagnostic,
          'remote MTA': b.remoteMta,
          'reporting MTA': b.reportingMta,
          'matched by': b.matchedBy,
          received: when(b.receivedAt),
        }),
      );
      if (Array.isArray(b.advice) && b.advice.length) {
        out.push(
          table(
            ['meaning', 'what to do', 'reference'],
            b.advice.map(function (a) {
              // links are shown as text, never made clickable: the data came from a received message
              return [a.meaning, a.action, a.link];
            }),
            'advice',
          ),
        );
      }
    }
    if (m.rawHeaders) {
      out.push(el('h3', { text: 'Raw headers' }));
      out.push(el('pre', { cls: 'raw', text: m.rawHeaders }));
    }
    return out;
  };
})();
