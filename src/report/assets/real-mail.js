/* mailcanary report: "Rejections of your real mail", the section of the server's own log
 * (src/report/server-log-data.ts): per remote domain the count, status, reason, advice, last
 * reply and first/last seen, then the outbound volume. Every value is text (h's `text` or a
 * string child), never markup: the log holds what strangers' servers wrote. */
(function (V) {
  'use strict';
  var REPLY_MAX = 200;
  var HEAD = ['remote domain', 'messages', 'status', 'reason', 'advice', 'last reply', 'first seen', 'last seen'];
  var BASIS = { 'previous-run': 'since the previous run', default: 'the default window (no previous reading)' };

  function num(n) {
    return typeof n === 'number' && isFinite(n) ? String(n) : '0';
  }
  function table(h, cls, label, head, rows) {
    var thead = h('thead', null, [
      h(
        'tr',
        null,
        head.map(function (t) {
          return h('th', { scope: 'col', text: t });
        }),
      ),
    ]);
    return V.scroll(h, h('table', { cls: cls }, [thead, h('tbody', null, rows)]), label);
  }
  function groupRow(h, g) {
    var domainCell = h('th', { scope: 'row' }, [
      h('span', { cls: 'domain', text: V.s(g.domain) }),
      g.isNew ? h('span', { cls: 'badge new', text: 'newly rejects for ' + V.s(g.category) }) : null,
      g.recipients && g.recipients.length ? h('div', { cls: 'muted small', text: g.recipients.map(V.s).join(', ') }) : null,
    ]);
    var advice = g.advice
      ? h('div', null, [h('div', { text: V.s(g.advice.meaning) }), h('div', { cls: 'muted', text: 'What to do: ' + V.s(g.advice.action) })])
      : '';
    // data-label names the column where a narrow screen stacks the cells (cards.css)
    return h('tr', { 'data-status': V.s(g.status), cls: g.isNew ? 'new' : '' }, [
      domainCell,
      h('td', { cls: 'num', 'data-label': HEAD[1], text: num(g.messages) + (g.attempts !== g.messages ? ' (' + num(g.attempts) + ' attempts)' : '') }),
      h('td', { 'data-label': HEAD[2], text: V.s(g.status) }),
      h('td', { 'data-label': HEAD[3], text: V.s(g.reason) + (g.category ? ' (' + g.category + ')' : '') }),
      h('td', { 'data-label': HEAD[4] }, [advice]),
      h('td', { 'data-label': HEAD[5] }, [V.longText(h, V.s(g.example) || '(no reply logged)', REPLY_MAX, 'reply')]),
      h('td', { cls: 'date', 'data-label': HEAD[6], text: V.when(g.firstAt) }),
      h('td', { cls: 'date', 'data-label': HEAD[7], text: V.when(g.lastAt) }),
    ]);
  }
  function volumeRows(h, list) {
    return (list || []).slice(0, 10).map(function (r) {
      return h('tr', null, [
        h('th', { scope: 'row', text: V.s(r.key) }),
        h('td', { cls: 'num', text: num(r.messages) }),
        h('td', { cls: 'num', text: num(r.selfGenerated) }),
      ]);
    });
  }

  function realMail(h, D, ri) {
    var R = D.realMail;
    if (!R) return null;
    var sec = h('section', { id: 'real-mail', 'aria-labelledby': 'real-mail-h' }, [h('h2', { id: 'real-mail-h', text: 'Rejections of your real mail' })]);
    if (!V.focusMessages(D, ri)) {
      sec.appendChild(
        h('p', { cls: 'muted', text: "Your server's log is shown for run " + V.s(D.focus && D.focus.run.runId) + ' (the run this report was written for).' }),
      );
      return sec;
    }
    var st = R.stats || {};
    sec.appendChild(
      h('p', {
        cls: 'muted',
        text:
          "From your server's log (" +
          V.s(R.source) +
          '), ' +
          V.when(R.since) +
          ' … ' +
          V.when(R.until) +
          ', ' +
          (BASIS[R.basis] || V.s(R.basis)) +
          ': ' +
          num(st.lines) +
          ' line(s) read, ' +
          num(st.garbage) +
          ' unreadable, ' +
          num(st.truncated) +
          ' cut off, ' +
          num(st.rotations) +
          ' rotation(s). ' +
          (R.compared
            ? 'New refusals are those a domain did not give when an earlier reading last saw mail to it' +
              (R.previousRunId ? ' (previous reading: run ' + R.previousRunId + ').' : '.')
            : 'No earlier reading saw outbound mail to compare with.') +
          ' Recipients are shown by domain unless MAILCANARY_LOG_SHOW_LOCAL_PARTS=true.',
      }),
    );
    if (!R.groups.length) sec.appendChild(h('p', { text: 'No bounced, deferred or expired delivery in this window.' }));
    else
      sec.appendChild(
        table(
          h,
          'real-mail cards',
          'rejections of your real mail',
          HEAD,
          R.groups.map(function (g) {
            return groupRow(h, g);
          }),
        ),
      );
    var v = R.volume || {};
    sec.appendChild(h('h3', { text: 'Outbound volume' }));
    sec.appendChild(
      h('p', {
        text:
          num(v.messages) +
          ' message(s) to ' +
          num(v.recipients) +
          ' recipient(s); written by your server itself (bounces, DMARC and TLS reports, auto-replies): ' +
          num(v.selfMessages) +
          ' (' +
          Math.round(100 * (v.selfShare || 0)) +
          ' %)',
      }),
    );
    if (v.warning) sec.appendChild(h('p', { cls: 'warning', role: 'note', text: V.s(v.warning) }));
    if (v.bySender && v.bySender.length)
      sec.appendChild(table(h, 'volume', 'outbound by sender identity', ['sender identity', 'messages', 'self-written'], volumeRows(h, v.bySender)));
    if (v.byDomain && v.byDomain.length)
      sec.appendChild(table(h, 'volume', 'outbound by remote domain', ['remote domain', 'messages', 'self-written'], volumeRows(h, v.byDomain)));
    return sec;
  }

  V.addSection(realMail);
})(McViews);
