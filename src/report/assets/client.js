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
      if (obj[k] !== undefined && obj[k] !== '') t.appendChild(el('tr', null, [el('th', { scope: 'row', text: k }), el('td', { text: s(obj[k]) })]));
    });
    return t;
  }
  function table(headers, rows, cls) {
    var t = el('table', cls ? { cls: cls } : null);
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
            r.map(function (c) {
              return c instanceof Node ? el('td', null, [c]) : el('td', { text: s(c) });
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
    trendsBox.appendChild(el('h2', { id: 'trends-h', text: 'Trends' }));
    var kinds = [false, true].filter(function (lab) {
      return D.runs.some(function (r) {
        return r.lab === lab;
      });
    });
    var pending = [];
    kinds.forEach(function (lab) {
      var kindName = lab ? 'Lab runs (simulated providers)' : 'Real runs';
      var runsIn = [];
      D.runs.forEach(function (r, i) {
        if (r.lab === lab && inRange(r.t)) runsIn.push(i);
      });
      if (state.strip !== 'all') runsIn = runsIn.slice(-Number(state.strip));
      var pos = {};
      runsIn.forEach(function (ri, k) {
        pos[ri] = k;
      });
      trendsBox.appendChild(el('h3', null, [kindName, lab ? el('span', { cls: 'badge-lab', text: 'LAB' }) : null]));
      var strips = {};
      for (var i = 0, c = 0; i < D.results.length; i += 4, c += 5) {
        var k = pos[D.results[i]];
        if (k === undefined) continue;
        var sd = D.seeds[D.results[i + 1]];
        if (state.provider && sd.provider !== state.provider) continue;
        var vn = D.variants[D.results[i + 2]];
        if (state.variant && vn !== state.variant) continue;
        if (state.domain && D.domains[D.variantDomain[D.results[i + 2]]] !== state.domain) continue;
        var key = D.results[i + 1] + ':' + D.results[i + 2];
        (strips[key] || (strips[key] = { seed: sd.id, variant: vn, cells: {} })).cells[k] = [
          D.results[i],
          D.classes[D.cells[c]],
          D.verdicts[D.results[i + 3]],
          D.cells[c + 2],
        ];
      }
      var keys = Object.keys(strips).sort(function (a, b) {
        var x = strips[a],
          y = strips[b];
        return x.seed < y.seed ? -1 : x.seed > y.seed ? 1 : x.variant < y.variant ? -1 : 1;
      });
      if (!keys.length) {
        trendsBox.appendChild(el('p', { cls: 'muted', text: 'No results in the selected range.' }));
        return;
      }
      trendsBox.appendChild(
        el('p', {
          cls: 'muted',
          text:
            runsIn.length +
            ' run(s), ' +
            when(D.runs[runsIn[0]].t).slice(0, 10) +
            ' to ' +
            when(D.runs[runsIn[runsIn.length - 1]].t).slice(0, 10) +
            ', oldest first; a square per run with the placement letter, ✗ marks an unexpected placement',
        }),
      );
      trendsBox.appendChild(
        table(
          ['seed / variant', 'placement per run'],
          keys.map(function (key) {
            var st = strips[key];
            var strip = el('span', { cls: 'cal', role: 'img', 'aria-label': st.seed + ' ' + st.variant + ' over ' + runsIn.length + ' run(s)' });
            runsIn.forEach(function (ri, k2) {
              var x = st.cells[k2];
              if (!x) {
                strip.appendChild(el('span', { cls: 'sq none', title: when(D.runs[ri].t) + ': no message', text: '·' }));
                return;
              }
              strip.appendChild(
                el('span', {
                  cls: 'sq ' + V.classCss(x[1]) + (x[3] === 0 ? ' bad' : '') + (ri === state.runIndex ? ' shown' : ''),
                  title: when(D.runs[ri].t) + ': ' + x[2] + (x[3] === 0 ? ' (not as expected)' : ''),
                  text: V.classInfo(x[1])[0],
                }),
              );
            });
            return [st.seed + ' / ' + st.variant, strip];
          }),
          'calendar',
        ),
      );
      var wrap = el('div', { cls: 'charts' });
      trendsBox.appendChild(el('h4', { text: kindName + ': share as expected and in the inbox, 7 days ending each day (UTC)' }));
      trendsBox.appendChild(wrap);
      D.rates.forEach(function (rt) {
        if (rt.lab !== lab || (state.provider && rt.provider !== state.provider)) return;
        var pts = rt.points.filter(function (p) {
          return inRange(p[0]);
        });
        if (!pts.length) return;
        var box = el('div', { cls: 'chart', 'data-provider': rt.provider }, [
          el('h5', { text: rt.provider + (lab ? ' (lab)' : '') + ' · last: ' + pts[pts.length - 1][1] + ' % as expected of ' + pts[pts.length - 1][3] }),
        ]);
        wrap.appendChild(box);
        pending.push([
          box,
          [
            pts.map(function (p) {
              return p[0] / 1000;
            }),
            pts.map(function (p) {
              return p[1];
            }),
            pts.map(function (p) {
              return p[2];
            }),
          ],
        ]);
      });
    });
    // charts are drawn once the section is in the document: uPlot measures its container
    return function () {
      pending.forEach(function (pd) {
        var width = Math.max(240, Math.min(520, pd[0].clientWidth - 12));
        new uPlot(
          {
            width: width,
            height: 200,
            tzDate: function (ts) {
              return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
            },
            scales: { y: { range: [0, 100] } },
            series: [
              {
                label: 'day (UTC)',
                value: function (u, v) {
                  return v === null ? '' : new Date(v * 1000).toISOString().slice(0, 10);
                },
              },
              { label: 'as expected %', stroke: '#1b5e20', width: 2, points: { show: pd[1][0].length < 40 } },
              { label: 'inbox %', stroke: '#0d47a1', width: 2, dash: [6, 4], points: { show: pd[1][0].length < 40 } },
            ],
            axes: [
              {},
              {
                values: function (u, vals) {
                  return vals.map(function (v) {
                    return v + '%';
                  });
                },
              },
            ],
          },
          pd[1],
          pd[0],
        );
      });
    };
  }

  // ---------- message drill-down ----------
  function showMessage(m) {
    clear(drill);
    drill.removeAttribute('hidden');
    var ev = m.evidence || {};
    drill.appendChild(el('h2', { id: 'drill-h', tabindex: '-1', text: 'Message ' + m.seedId + ' / ' + m.variant }));
    drill.appendChild(el('p', { cls: 'muted' }, ['link to this message: ', el('code', { text: linkTo(m.seedId, m.variant) })]));
    drill.appendChild(
      kv({
        verdict: m.shown || m.verdict,
        expected: m.expected,
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
    drill.appendChild(el('h3', { text: 'Authentication-Results' }));
    if (ar && ar.status === 'found' && Array.isArray(ar.results)) {
      drill.appendChild(el('p', { cls: 'muted', text: 'trusted source: ' + s(ar.source) + (ar.note ? ' · ' + s(ar.note) : '') }));
      drill.appendChild(
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
    } else if (ar) drill.appendChild(el('p', { text: s(ar.note || ar.status) }));
    else drill.appendChild(el('p', { cls: 'muted', text: 'no evidence recorded (message not delivered, or older run)' }));
    if (Array.isArray(ar && ar.ignored) && ar.ignored.length)
      drill.appendChild(
        table(
          ['ignored header', 'authserv-id', 'why'],
          ar.ignored.map(function (g) {
            return [g.index, g.authservId || '', g.why];
          }),
        ),
      );
    var rc = ev.received;
    if (rc && Array.isArray(rc.hops)) {
      drill.appendChild(el('h3', { text: 'Received path' }));
      var acc = rc.acceptance;
      if (acc)
        drill.appendChild(
          kv({
            'accepted by': acc.by,
            'sending IP': acc.ip && acc.ip.address,
            family: acc.family,
            TLS: acc.tls ? (acc.tls.used ? 'yes ' + s(acc.tls.version) + ' ' + s(acc.tls.cipher) : 'no') : '',
          }),
        );
      drill.appendChild(
        table(
          ['#', 'from', 'rDNS', 'IP', 'family', 'by', 'with', 'TLS', 'date', 'problem'],
          rc.hops.map(function (hp) {
            return [
              hp.index,
              hp.from || '',
              hp.rdns || '',
              hp.ip ? hp.ip.address : '',
              hp.ip ? hp.ip.family : '',
              hp.by || '',
              hp.with || '',
              hp.tls ? (hp.tls.used ? 'yes ' + s(hp.tls.version) : 'no') : '',
              when(hp.date),
              hp.error || '',
            ];
          }),
          'hops',
        ),
      );
    }
    if (ev.delays)
      drill.appendChild(
        kv({
          'submission → acceptance (ms)': ev.delays.submissionToAcceptanceMs,
          'acceptance → mailbox (ms)': ev.delays.acceptanceToMailboxMs,
          'submission → mailbox (ms)': ev.delays.submissionToMailboxMs,
          note: ev.delays.note,
        }),
      );
    if (ev.spam && Array.isArray(ev.spam.verdicts) && ev.spam.verdicts.length) {
      drill.appendChild(el('h3', { text: 'Spam headers' }));
      drill.appendChild(
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
    if (score) drill.appendChild(score);
    if (Array.isArray(ev.warnings) && ev.warnings.length)
      drill.appendChild(
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
      drill.appendChild(el('h3', { text: 'Bounce' }));
      drill.appendChild(
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
        drill.appendChild(
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
      drill.appendChild(el('h3', { text: 'Raw headers' }));
      drill.appendChild(el('pre', { cls: 'raw', text: m.rawHeaders }));
    }
  }
  function focusMessage(seed, variant) {
    if (!D.focus || !D.runs[state.runIndex] || D.runs[state.runIndex].id !== D.focus.run.runId) return null;
    return (
      D.focus.messages.find(function (m) {
        return m.seedId === seed && m.variant === variant;
      }) || null
    );
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
    var draw = trends();
    draw();
  }
  function applyHash() {
    var target = readHash();
    drawFilters();
    render();
    if (target.seed) {
      var sel = '#matrix td.cell[data-seed="' + CSS.escape(target.seed) + '"]' + (target.variant ? '[data-variant="' + CSS.escape(target.variant) + '"]' : '');
      var tds = document.querySelectorAll(sel);
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
