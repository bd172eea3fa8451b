/* mailcanary report: "DNS and server checks", the posture checks of the run shown (failures
 * first, a check that threw with its stack as text), registered after the matrix. Every value is
 * text (h's `text` or a string child), never markup: check details quote DNS data and server
 * replies. */
(function (V) {
  'use strict';
  function checks(h, D, ri) {
    var sec = h('section', { id: 'dns', 'aria-labelledby': 'dns-h' }, [h('h2', { id: 'dns-h', text: 'DNS and server checks' })]);
    var rows = V.rowsOf(D.checks, 3, ri, D.checkTexts, 2);
    if (!rows.length) {
      sec.appendChild(h('p', { cls: 'muted', text: 'No checks recorded for this run.' }));
      return sec;
    }
    var full = {};
    var run = D.runs[ri];
    if (D.focus && run && D.focus.run.runId === run.id)
      D.focus.checks.forEach(function (c) {
        full[c.title] = c;
      });
    var counts = {};
    rows.forEach(function (x) {
      var st = D.checkStatuses[x.r[2]];
      counts[st] = (counts[st] || 0) + 1;
    });
    sec.appendChild(
      h('p', {
        cls: 'muted',
        text:
          ['error', 'fail', 'warn', 'unknown', 'pass']
            .filter(function (st) {
              return counts[st];
            })
            .map(function (st) {
              return counts[st] + ' ' + V.statusLabel(st);
            })
            .join(' · ') + ' (failures first)',
      }),
    );
    var body = h(
      'tbody',
      null,
      rows.map(function (x) {
        var st = V.statusOf(D.checkStatuses[x.r[2]]);
        var title = D.checkTitles[x.r[1]];
        var summaryText = D.texts[x.p[0]];
        var sum = V.longText(h, summaryText, 600, 'summary-text');
        var c = full[title];
        // a check that threw shows where, so the report is enough to file the bug
        var err = st === 'error' && c && c.details && c.details.error;
        var sumCell =
          Array.isArray(err && err.stack) && err.stack.length ? h('div', null, [sum, h('pre', { cls: 'stack', text: err.stack.map(V.s).join('\n') })]) : sum;
        return h('tr', { 'data-status': st }, [
          h('td', { 'data-label': 'status' }, [h('span', { cls: 'status s-' + st, 'data-status': st, text: V.statusLabel(D.checkStatuses[x.r[2]]) })]),
          h('th', { scope: 'row', text: title }),
          h('td', { cls: 'summary-cell', 'data-label': 'summary' }, [sumCell]),
          // a narrow screen stacks the cells under their labels (narrow.css); a check without a fix has no row for it
          h('td', { cls: 'fix-cell' + (x.p[1] >= 0 ? '' : ' empty'), 'data-label': 'how to fix', text: x.p[1] >= 0 ? D.texts[x.p[1]] : '' }),
        ]);
      }),
    );
    var head = h('thead', null, [
      h(
        'tr',
        null,
        ['status', 'check', 'summary', 'how to fix'].map(function (t) {
          return h('th', { scope: 'col', text: t });
        }),
      ),
    ]);
    sec.appendChild(V.scroll(h, h('table', { cls: 'checks' }, [head, body]), 'checks of this run'));
    return sec;
  }

  V.addSection(checks);
})(McViews);
