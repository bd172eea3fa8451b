/* mailcanary report client. The static HTML already shows the run; this script adds the run
 * chooser (every section follows it), filters, deep links (#run=…&seed=…&variant=…), the
 * trends and the drill-down. It builds nodes with DOM APIs only: every value is set through
 * textContent or attribute setters, never parsed as HTML. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('mc-data').textContent);
  var V = McViews;
  var when = V.when;
  var s = V.s;
  var top = document.getElementById('top');
  var view = document.getElementById('run-view');
  var filtersBox = document.getElementById('filters');
  var trendsBox = document.getElementById('trends');
  var drill = document.getElementById('drill');
  var focusIndex = D.focus
    ? D.runs.findIndex(function (r) {
        return r.id === D.focus.run.runId;
      })
    : -1;
  var state = { provider: '', variant: '', domain: '', from: '', to: '', runIndex: focusIndex >= 0 ? focusIndex : D.runs.length - 1, strip: '60' };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs)
      for (var k in attrs) {
        if (attrs[k] === undefined || attrs[k] === null) continue;
        if (k === 'text') e.textContent = attrs[k];
        else if (k === 'cls') e.className = attrs[k];
        else e.setAttribute(k, attrs[k]);
      }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function clear(n) {
    while (n.firstChild) n.removeChild(n.firstChild);
  }
  function day(t) {
    return new Date(t).toISOString().slice(0, 10);
  }
  function inRange(t) {
    if (state.from && day(t) < state.from) return false;
    if (state.to && day(t) > state.to) return false;
    return true;
  }
  function kv(obj) {
    var t = el('table', { cls: 'kv' });
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (v === undefined || v === '' || (Array.isArray(v) && !v.length)) return;
      // a list (the "why" lines) reads one item a line
      var td = Array.isArray(v)
        ? el('td', null, [
            el(
              'ul',
              { cls: 'lines' },
              v.map(function (x) {
                return el('li', { text: s(x) });
              }),
            ),
          ])
        : el('td', { text: s(v) });
      t.appendChild(el('tr', { 'data-key': k }, [el('th', { scope: 'row', text: k }), td]));
    });
    return t;
  }
  function table(headers, rows, cls, cards) {
    var t = el('table', cls || cards ? { cls: (cls || '') + (cards ? ' cards' : '') } : null);
    if (headers)
      t.appendChild(
        el('thead', null, [
          el(
            'tr',
            null,
            headers.map(function (x) {
              return el('th', { scope: 'col', text: x });
            }),
          ),
        ]),
      );
    t.appendChild(
      el(
        'tbody',
        null,
        rows.map(function (r) {
          return el(
            'tr',
            null,
            r.map(function (c, k) {
              // data-label names the column where a narrow screen stacks the cells (cards.css)
              var label = headers ? headers[k] : null;
              return c instanceof Node ? el('td', { 'data-label': label }, [c]) : el('td', { 'data-label': label, text: s(c) });
            }),
          );
        }),
      ),
    );
    return V.scroll(el, t, cls || 'table');
  }

  // ---------- deep links ----------
  function readHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    var run = p.get('run');
    if (run !== null) {
      var i = D.runs.findIndex(function (r) {
        return r.id === run;
      });
      if (i >= 0) state.runIndex = i;
    }
    return { seed: p.get('seed'), variant: p.get('variant') };
  }
  function linkTo(seed, variant) {
    var p = new URLSearchParams();
    if (D.runs[state.runIndex]) p.set('run', D.runs[state.runIndex].id);
    if (seed) p.set('seed', seed);
    if (variant) p.set('variant', variant);
    return '#' + p.toString();
  }
  function setHash(seed, variant) {
    var h = linkTo(seed, variant);
    if (location.hash !== h) history.replaceState(null, '', h);
  }

  // ---------- filters ----------
  function select(id, label, options, value, onchange) {
    var sel = el('select', { id: id });
    options.forEach(function (o) {
      var op = el('option', { value: o[0], text: o[1] });
      if (o[0] === value) op.selected = true;
      sel.appendChild(op);
    });
    sel.addEventListener('change', function () {
      onchange(sel.value);
      render();
    });
    return el('label', { for: id }, [label, sel]);
  }
  function dateInput(id, label, onchange) {
    var inp = el('input', { id: id, type: 'date' });
    inp.addEventListener('change', function () {
      onchange(inp.value);
      render();
    });
    return el('label', { for: id }, [label + ' (UTC)', inp]);
  }
  function drawFilters() {
    clear(filtersBox);
    var runOptions = D.runs
      .map(function (r, i) {
        return [String(i), when(r.t) + ' · ' + r.id + (r.lab ? ' [lab]' : '') + (r.regressions.length ? ' · ' + r.regressions.length + ' regression(s)' : '')];
      })
      .reverse();
    filtersBox.appendChild(el('h2', { cls: 'sr-only', text: 'Run and filters' }));
    [
      select('f-run', 'Run shown', runOptions, String(state.runIndex), function (v) {
        state.runIndex = Number(v);
        drill.setAttribute('hidden', 'hidden');
        setHash();
      }),
      select(
        'f-provider',
        'Provider',
        [['', 'all providers']].concat(
          D.providers.map(function (p) {
            return [p, p];
          }),
        ),
        state.provider,
        function (v) {
          state.provider = v;
        },
      ),
      select(
        'f-variant',
        'Variant',
        [['', 'all variants']].concat(
          D.variants.map(function (v) {
            return [v, v];
          }),
        ),
        state.variant,
        function (v) {
          state.variant = v;
        },
      ),
    ]
      .concat(
        // runs with several senders: show one sending domain's columns
        D.domains && D.domains.length
          ? [
              select(
                'f-domain',
                'Sending domain',
                [['', 'all domains']].concat(
                  D.domains.map(function (d) {
                    return [d, d];
                  }),
                ),
                state.domain,
                function (v) {
                  state.domain = v;
                },
              ),
            ]
          : [],
      )
      .concat([
        dateInput('f-from', 'Trends from', function (v) {
          state.from = v;
        }),
        dateInput('f-to', 'Trends to', function (v) {
          state.to = v;
        }),
        select(
          'f-strip',
          'Runs per strip',
          [
            ['60', 'last 60'],
            ['180', 'last 180'],
            ['all', 'all'],
          ],
          state.strip,
          function (v) {
            state.strip = v;
          },
        ),
      ])
      .forEach(function (x) {
        filtersBox.appendChild(x);
      });
  }

  // ---------- check history (whole history, failures first) ----------
  function checkHistory() {
    var sec = document.getElementById('dns');
    if (!sec) return;
    // lab checks look at the lab's DNS: a lab run's history holds lab runs only, a real run's real runs
    var shown = D.runs[state.runIndex];
    var runsIn = [];
    D.runs.forEach(function (r, i) {
      if (inRange(r.t) && (!shown || r.lab === shown.lab)) runsIn.push(i);
    });
    var grid = {};
    var worst = {};
    for (var i = 0; i < D.checks.length; i += 3) {
      var st = D.checkStatuses[D.checks[i + 2]];
      (grid[D.checks[i + 1]] || (grid[D.checks[i + 1]] = {}))[D.checks[i]] = st;
      if (D.checks[i] === state.runIndex) worst[D.checks[i + 1]] = ['error', 'fail', 'warn', 'unknown', 'pass'].indexOf(V.statusOf(st));
    }
    var titles = Object.keys(grid)
      .map(Number)
      .sort(function (a, b) {
        return (worst[a] === undefined ? 9 : worst[a]) - (worst[b] === undefined ? 9 : worst[b]) || (D.checkTitles[a] < D.checkTitles[b] ? -1 : 1);
      });
    if (!titles.length) return;
    sec.appendChild(
      el('h3', {
        text: 'History (' + runsIn.length + (shown && shown.lab ? ' lab' : '') + ' run(s), oldest first; ✓ pass · ! warn · ✗ fail · ? unknown · ⚠ error)',
      }),
    );
    sec.appendChild(
      table(
        ['check', 'history'],
        titles.map(function (ti) {
          var strip = el('span', { cls: 'strip', role: 'img', 'aria-label': D.checkTitles[ti] + ' over ' + runsIn.length + ' run(s)' });
          runsIn.forEach(function (ri) {
            var st = grid[ti][ri];
            strip.appendChild(
              el(
                'span',
                st
                  ? {
                      cls: 's-' + V.statusOf(st) + (ri === state.runIndex ? ' shown' : ''),
                      'data-status': V.statusOf(st),
                      title: when(D.runs[ri].t) + ': ' + V.statusLabel(st),
                      text: V.statusLabel(st).charAt(0),
                    }
                  : { cls: 'none', title: when(D.runs[ri].t) + ': not run', text: '·' },
              ),
            );
          });
          return [D.checkTitles[ti], strip];
        }),
        'dns-history',
      ),
    );
  }

  // ---------- trends: calendar strips per seed × variant, 7-day rates per provider ----------
  function trends() {
    clear(trendsBox);
    var t = window.mcTrends(D, { el: el, table: table, when: when, V: V, inRange: inRange, state: state });
    t.nodes.forEach(function (n) {
      trendsBox.appendChild(n);
    });
    return t.draw;
  }

  // ---------- message drill-down ----------
  // the message the drill-down shows, while it is open
  var drilled = null;
  function showMessage(m) {
    drilled = m;
    clear(drill);
    drill.removeAttribute('hidden');
    // the drill-down's tables become cards on a narrow screen
    var cardTable = function (headers, rows, cls) {
      return table(headers, rows, cls, true);
    };
    window.mcDrill(m, { el: el, kv: kv, table: cardTable, when: when, s: s, link: linkTo(m.seedId, m.variant) }).forEach(function (n) {
      drill.appendChild(n);
    });
  }
  function focusMessage(seed, variant) {
    if (!D.focus || !D.runs[state.runIndex] || D.runs[state.runIndex].id !== D.focus.run.runId) return null;
    return (
      D.focus.messages.find(function (m) {
        return m.seedId === seed && m.variant === variant;
      }) || null
    );
  }
  function cellSelector(seed, variant) {
    return '#matrix td.cell[data-seed="' + CSS.escape(seed) + '"]' + (variant ? '[data-variant="' + CSS.escape(variant) + '"]' : '');
  }
  function matrixCell(seed, variant) {
    return document.querySelector(cellSelector(seed, variant));
  }
  function openCell(td) {
    var m = focusMessage(td.getAttribute('data-seed'), td.getAttribute('data-variant'));
    if (!m) return;
    showMessage(m);
    setHash(m.seedId, m.variant);
    drill.scrollIntoView({ block: 'start' });
    document.getElementById('drill-h').focus({ preventScroll: true });
  }
  view.addEventListener('click', function (e) {
    var td = e.target.closest && e.target.closest('td.cell');
    if (td && !e.target.closest('summary')) openCell(td);
  });

  // ---------- drawing ----------
  function render() {
    clear(top);
    V.header(el, D, state.runIndex).forEach(function (n) {
      top.appendChild(n);
    });
    clear(view);
    V.runSections(el, D, state.runIndex, { provider: state.provider, variant: state.variant, domain: state.domain }).forEach(function (n) {
      view.appendChild(n);
    });
    checkHistory();
    // a filter that hides the cell of the message shown closes its drill-down, and the link to it
    if (drilled && !drill.hasAttribute('hidden') && !matrixCell(drilled.seedId, drilled.variant)) {
      drill.setAttribute('hidden', 'hidden');
      drilled = null;
      setHash();
    }
    var draw = trends();
    draw();
  }
  function applyHash() {
    var target = readHash();
    drawFilters();
    render();
    if (target.seed) {
      var tds = document.querySelectorAll(cellSelector(target.seed, target.variant));
      tds.forEach(function (td) {
        td.classList.add('target');
      });
      if (tds.length && target.variant) openCell(tds[0]);
      else if (tds.length) tds[0].scrollIntoView({ block: 'center' });
    }
  }
  window.addEventListener('hashchange', applyHash);
  applyHash();
  document.documentElement.setAttribute('data-ready', '1');
})();
