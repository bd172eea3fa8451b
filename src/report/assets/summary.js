/* mailcanary report: "Where the mail landed", the placement summary of the run shown: shares of
 * every class per provider and, when the run has several senders, per sending domain, each with
 * the baseline run's figure where it differs. Registered above the regressions and the matrix.
 * Every value is text (h's `text` or a string child), never markup. */
(function (V) {
  'use strict';
  var rowsOf = V.rowsOf;
  var classInfo = V.classInfo;
  var classCss = V.classCss;
  var scroll = V.scroll;
  function summary(h, D, ri) {
    var sec = h('section', { id: 'summary', 'aria-labelledby': 'summary-h' }, [h('h2', { id: 'summary-h', text: 'Where the mail landed' })]);
    if (!rowsOf(D.summary, 4 + D.classes.length, ri).length) {
      sec.appendChild(h('p', { text: 'No messages in this run.' }));
      return sec;
    }
    sec.appendChild(
      h('p', {
        cls: 'muted',
        text: 'Shares of all messages of the run; "as expected" counts only the messages the run tested; "was" gives the baseline run where it differs.',
      }),
    );
    sec.appendChild(summaryTable(h, D, ri, { rows: D.summary, names: D.providers, what: 'provider', all: 'all providers', id: 'summary-table' }));
    // receivers judge each sending domain on its own: one row per domain when the run has several
    if (D.domains && D.domains.length && rowsOf(D.domainSummary, 4 + D.classes.length, ri).length)
      sec.appendChild(
        summaryTable(h, D, ri, { rows: D.domainSummary, names: D.domains, what: 'sending domain', all: 'all domains', id: 'domain-summary-table' }),
      );
    return sec;
  }

  function summaryTable(h, D, ri, o) {
    var W = 4 + D.classes.length;
    var rows = rowsOf(o.rows, W, ri);
    var run = D.runs[ri];
    var baseRows = run.baseline >= 0 ? rowsOf(o.rows, W, run.baseline) : [];
    var baseOf = {};
    baseRows.forEach(function (b) {
      baseOf[b.r[1]] = b.r;
    });
    var used = D.classes
      .map(function (c, ci) {
        return rows.some(function (x) {
          return x.r[4 + ci] > 0;
        }) ||
          baseRows.some(function (x) {
            return x.r[4 + ci] > 0;
          })
          ? ci
          : -1;
      })
      .filter(function (ci) {
        return ci >= 0;
      });
    var thead = h('thead', null, [
      h(
        'tr',
        null,
        [h('th', { scope: 'col', text: o.what }), h('th', { scope: 'col', text: 'as expected' })].concat(
          used.map(function (ci) {
            var info = classInfo(D.classes[ci]);
            return h('th', { scope: 'col' }, [h('span', { cls: 'letter ' + classCss(D.classes[ci]), 'aria-hidden': 'true', text: info[0] }), ' ' + info[1]]);
          }),
        ),
      ),
    ]);
    var order = rows
      .filter(function (x) {
        return x.r[1] >= 0;
      })
      .concat(
        rows.filter(function (x) {
          return x.r[1] < 0;
        }),
      );
    var tbody = h(
      'tbody',
      null,
      order.map(function (x) {
        var r = x.r;
        var tested = r[3];
        var total = 0;
        for (var k = 4; k < r.length; k++) total += r[k];
        var b = baseOf[r[1]];
        var name = r[1] < 0 ? o.all : o.names[r[1]];
        var okCell = h('td', { cls: 'num' + (tested && r[2] < tested ? ' short' : ''), 'data-label': 'as expected' }, [
          tested ? r[2] + ' of ' + tested + ' · ' + Math.round((100 * r[2]) / tested) + ' %' : 'nothing tested',
        ]);
        if (b && b[3] && b[2] !== r[2]) okCell.appendChild(h('span', { cls: 'was', text: ' was ' + b[2] + ' of ' + b[3] }));
        return h(
          'tr',
          o.what === 'provider'
            ? { cls: r[1] < 0 ? 'total' : '', 'data-provider': r[1] < 0 ? '' : D.providers[r[1]] }
            : { cls: r[1] < 0 ? 'total' : '', 'data-domain': r[1] < 0 ? '' : D.domains[r[1]] },
          [h('th', { scope: 'row', text: name }), okCell].concat(
            used.map(function (ci) {
              var n = r[4 + ci];
              // data-label names the column where a narrow screen stacks the cells (narrow.css)
              var td = h('td', { cls: 'num', 'data-class': D.classes[ci], 'data-label': classInfo(D.classes[ci])[1] }, [
                n ? n + ' · ' + Math.round((100 * n) / total) + ' %' : '0',
              ]);
              var was = b ? b[4 + ci] : undefined;
              if (was !== undefined && was !== n) td.appendChild(h('span', { cls: 'was', text: ' was ' + was }));
              return td;
            }),
          ),
        );
      }),
    );
    return scroll(
      h,
      h('table', { cls: 'summary', id: o.id }, [
        h('caption', {
          text:
            (o.what === 'provider' ? '' : 'by sending domain · ') +
            'run ' +
            run.id +
            (run.baseline >= 0 ? ' · baseline ' + D.runs[run.baseline].id : ' · no baseline'),
        }),
        thead,
        tbody,
      ]),
      'placement summary' + (o.what === 'provider' ? '' : ' by sending domain'),
    );
  }

  V.addSection(summary, 'lead');
})(McViews);
