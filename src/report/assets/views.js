/* mailcanary report views: the sections of one run as markup, from the report data. The same
 * code draws the static HTML (in Node, with an `h` that writes escaped HTML text) and the page
 * the script redraws for another run (in the browser, with an `h` that makes DOM nodes), so both
 * always agree. `h(tag, attrs, children)`: attrs.text is text content, attrs.cls the class;
 * a string child is text, never markup. Every decision was made in the data (data.ts). */
var McViews = (function () {
  'use strict';
  var CLASS_INFO = {
    inbox: ['I', 'inbox'],
    'inbox:promotions': ['P', 'Promotions tab'],
    'inbox:social': ['N', 'Social tab'],
    'inbox:updates': ['U', 'Updates tab'],
    'inbox:forums': ['F', 'Forums tab'],
    spam: ['S', 'spam'],
    'other-folder': ['O', 'other folder'],
    missing: ['M', 'missing'],
    bounced: ['B', 'bounced'],
    rejected: ['R', 'rejected'],
    deferred: ['D', 'deferred'],
    'send-failed': ['X', 'send failed'],
    'seed-unreachable': ['?', 'seed unreachable'],
    skipped: ['–', 'skipped'],
    unknown: ['?', 'unknown'],
  };
  // check statuses carry an icon and the word, so they read without colour; anything else is shown as unknown
  var STATUS_ICON = { pass: '\u2713', warn: '!', fail: '\u2717', unknown: '?', error: '\u26a0' };
  var REASON_MAX = 140;
  var LINE_MAX = 160;

  function when(t) {
    if (typeof t !== 'number' || !isFinite(t)) return t === undefined || t === null || t === '' ? '' : 'invalid date';
    var d = new Date(t);
    if (isNaN(d.getTime())) return 'invalid date';
    return d.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  }
  function s(v) {
    return v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  function classInfo(c) {
    return CLASS_INFO[c] || CLASS_INFO.unknown;
  }
  function classCss(c) {
    return 'v-' + String(c).replace(':', '-');
  }
  function statusOf(st) {
    return Object.prototype.hasOwnProperty.call(STATUS_ICON, st) ? st : 'unknown';
  }
  function statusLabel(st) {
    return STATUS_ICON[statusOf(st)] + ' ' + (typeof st === 'string' ? st : 'unknown');
  }
  // cut at a word boundary with "…" (clipWords of src/shared/clip.ts, put before this script); the
  // caller keeps the whole text one click away
  var clip = clipWords;
  /** text shown cut, the whole of it behind a <details> toggle */
  function longText(h, text, max, cls) {
    if (text.length <= max) return h('span', { cls: cls, text: text });
    return h('details', { cls: cls }, [h('summary', { text: clip(text, max) }), h('div', { cls: 'whole', text: text })]);
  }
  function scroll(h, child, label) {
    return h('div', { cls: 'scroll', role: 'region', tabindex: '0', 'aria-label': label }, [child]);
  }

  /** the rows of `arr` (of `width`) whose first field is `ri`, with the parallel rows of `par` */
  function rowsOf(arr, width, ri, par, pwidth) {
    var out = [];
    for (var i = 0, k = 0; i < arr.length; i += width, k += pwidth)
      if (arr[i] === ri) out.push({ r: arr.slice(i, i + width), p: par ? par.slice(k, k + pwidth) : null });
    return out;
  }
  function focusMessages(D, ri) {
    var run = D.runs[ri];
    return D.focus && run && D.focus.run.runId === run.id ? D.focus.messages : null;
  }

  // ---------- header: run, kind, time; one function, so every line about the run shown is here ----------
  function header(h, D, ri) {
    var run = D.runs[ri];
    var parts = [
      h('h1', { text: 'mailcanary placement report' }),
      h('p', { cls: 'run-line', id: 'run-line', text: run ? 'run ' + run.id + ' · started ' + when(run.t) + ' · ' + run.status : 'no runs recorded yet' }),
      h('p', { cls: 'gen-line', text: 'generated ' + when(D.generatedAt) + ' · ' + D.runs.length + ' run(s) in history · all times UTC' }),
    ];
    // what concerns the whole run (bounce watching is off, no seed was tested): one line each
    if (run && run.notices && run.notices.length)
      parts.push(
        h(
          'ul',
          { cls: 'run-notices', id: 'run-notices' },
          run.notices.map(function (n) {
            return h('li', { text: n });
          }),
        ),
      );
    var out = [];
    if (run && run.lab)
      out.push(h('div', { cls: 'lab-banner', id: 'lab-banner', role: 'note', text: 'LAB RUN — simulated providers on loopback, not real inbox placement' }));
    out.push(h('header', { id: 'page-header' }, parts));
    return out;
  }

  // ---------- regressions ----------
  function regressions(h, D, ri) {
    var sec = h('section', { id: 'gate', 'aria-labelledby': 'gate-h' }, [h('h2', { id: 'gate-h', text: 'Regressions against the baseline' })]);
    var run = D.runs[ri];
    if (!run || !run.gated) {
      sec.appendChild(h('p', { cls: 'muted', text: 'No gate result recorded for this run.' }));
      return sec;
    }
    sec.appendChild(h('p', { cls: 'muted', text: run.baseline >= 0 ? 'baseline: run ' + D.runs[run.baseline].id : 'no baseline (first run)' }));
    if (!run.regressions.length) sec.appendChild(h('p', { text: 'None.' }));
    else
      sec.appendChild(
        h(
          'ul',
          { cls: 'regressions' },
          run.regressions.map(function (line) {
            return h('li', null, [longText(h, line, LINE_MAX, 'line')]);
          }),
        ),
      );
    return sec;
  }

  // ---------- matrix ----------
  function matrix(h, D, ri, f) {
    f = f || {};
    var run = D.runs[ri];
    var sec = h('section', { id: 'matrix-section', 'aria-labelledby': 'matrix-h' }, [
      h('h2', { id: 'matrix-h' }, ['Placement matrix', run && run.lab ? h('span', { cls: 'badge-lab', text: 'LAB' }) : null]),
    ]);
    if (!run) {
      sec.appendChild(h('p', { text: 'No runs recorded yet.' }));
      return sec;
    }
    var full = focusMessages(D, ri);
    sec.appendChild(
      h('p', {
        cls: 'muted',
        text:
          'run ' +
          run.id +
          ' · ' +
          when(run.t) +
          (full ? ' · open a cell for its evidence' : ' · the evidence of each message is in the report of that run (npm run report -- --run ' + run.id + ')'),
      }),
    );
    var cell = {};
    var rows = rowsOf(D.results, 4, ri, D.cells, D.cellWidth);
    rows.forEach(function (x) {
      cell[x.r[1] + ':' + x.r[2]] = x;
    });
    var variants = D.variants
      .map(function (v, vi) {
        return [v, vi];
      })
      .filter(function (p) {
        return (!f.variant || p[0] === f.variant) && (!f.domain || (D.variantDomain && D.domains[D.variantDomain[p[1]]] === f.domain));
      });
    var seeds = D.seeds
      .map(function (sd, si) {
        return [sd, si];
      })
      .filter(function (p) {
        return !f.provider || p[0].provider === f.provider;
      });
    var byKey = {};
    (full || []).forEach(function (m) {
      byKey[m.seedId + '\u0000' + m.variant] = m;
    });
    // with several senders the variants come grouped by sending domain, under one heading each
    var groups = [];
    if (D.domains && D.domains.length)
      variants.forEach(function (p) {
        var d = D.variantDomain[p[1]];
        var last = groups[groups.length - 1];
        if (last && last.d === d) last.n++;
        else groups.push({ d: d, n: 1 });
      });
    var head = h('thead', null, [
      groups.length
        ? h(
            'tr',
            { cls: 'domains' },
            [h('td', { colspan: '2' })].concat(
              groups.map(function (g) {
                return h('th', { scope: 'colgroup', colspan: String(g.n), text: g.d >= 0 ? D.domains[g.d] : '' });
              }),
            ),
          )
        : null,
      h(
        'tr',
        null,
        [h('th', { scope: 'col', text: 'seed' }), h('th', { scope: 'col', text: 'provider' })].concat(
          variants.map(function (p) {
            // under its domain's group heading a column does not name the domain again
            return h('th', { scope: 'col', text: groups.length ? D.variantHeads[p[1]] : p[0] });
          }),
        ),
      ),
    ]);
    var body = h(
      'tbody',
      null,
      seeds.map(function (sp) {
        var row = h('tr', { 'data-seed': sp[0].id, id: 'seed-' + sp[1] }, [h('th', { scope: 'row', text: sp[0].id }), h('td', { text: sp[0].provider })]);
        variants.forEach(function (vp) {
          var x = cell[sp[1] + ':' + vp[1]];
          if (!x) {
            row.appendChild(h('td', { cls: 'v-none', text: '—' }));
            return;
          }
          var v = D.verdicts[x.r[3]];
          var cls = D.classes[x.p[0]];
          var info = classInfo(cls);
          var ok = x.p[2];
          // the placement was as expected but the test failed (a receiver's dkim=fail): a failure all the same
          var failed = x.p[5] >= 0 ? D.texts[x.p[5]] : null;
          var m = byKey[sp[0].id + '\u0000' + vp[0]];
          var label = cls === 'other-folder' ? v : info[1];
          var word = m
            ? h('button', { type: 'button', cls: 'open', 'data-open': '1', 'aria-label': sp[0].id + ' ' + vp[0] + ': ' + label + ', show the evidence' }, [
                h('strong', { text: label }),
              ])
            : h('strong', { text: label });
          var td = h(
            'td',
            {
              cls: 'cell ' + classCss(cls) + (ok === 0 ? ' unexpected-cell' : '') + (failed ? ' failed-cell' : ''),
              'data-seed': sp[0].id,
              'data-variant': vp[0],
              'data-verdict': v,
              'data-class': cls,
            },
            [h('span', { cls: 'letter', 'aria-hidden': 'true', text: info[0] }), word],
          );
          if (ok === 0) td.appendChild(h('span', { cls: 'unexpected', text: failed ? '✗ ' + failed : '✗ expected ' + D.texts[x.p[1]] }));
          if (x.p[4] >= 0) td.appendChild(h('span', { cls: 'was', text: 'was ' + D.texts[x.p[4]] }));
          if (x.p[3] >= 0) td.appendChild(longText(h, D.texts[x.p[3]], REASON_MAX, 'reason'));
          if (m) {
            var auth = Object.keys(m.auth || {})
              .map(function (k) {
                return k + '=' + m.auth[k];
              })
              .join(' ');
            if (auth) td.appendChild(h('span', { cls: 'auth', text: auth }));
            // the address family the provider saw (its acceptance Received line): paths side by side
            var acc = m.evidence && m.evidence.received && m.evidence.received.acceptance;
            var fam = acc && (acc.family === 'ipv6' ? 'IPv6' : acc.family === 'ipv4' ? 'IPv4' : null);
            if (fam) td.appendChild(h('span', { cls: 'family', 'data-family': acc.family, text: ' over ' + fam }));
          }
          row.appendChild(td);
        });
        return row;
      }),
    );
    sec.appendChild(scroll(h, h('table', { cls: 'matrix', id: 'matrix' }, [head, body]), 'placement matrix'));
    return sec;
  }

  // the other sections register here in load order: assets/summary.js above the regressions and the
  // matrix ('lead'), assets/checks.js, assets/real-mail.js, … after them
  var leadSections = [];
  var extraSections = [];
  function addSection(fn, where) {
    (where === 'lead' ? leadSections : extraSections).push(fn);
  }
  function drawn(fns, h, D, ri, f) {
    var out = [];
    fns.forEach(function (fn) {
      var sec = fn(h, D, ri, f);
      if (sec) out.push(sec);
    });
    return out;
  }

  /** the sections of the run shown, in page order */
  function runSections(h, D, ri, f) {
    return drawn(leadSections, h, D, ri, f).concat([regressions(h, D, ri), matrix(h, D, ri, f)], drawn(extraSections, h, D, ri, f));
  }

  return {
    header: header,
    runSections: runSections,
    addSection: addSection,
    focusMessages: focusMessages,
    when: when,
    clip: clip,
    longText: longText,
    rowsOf: rowsOf,
    scroll: scroll,
    classInfo: classInfo,
    classCss: classCss,
    statusOf: statusOf,
    statusLabel: statusLabel,
    s: s,
    CLASS_INFO: CLASS_INFO,
  };
})();
