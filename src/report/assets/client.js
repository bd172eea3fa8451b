/* mailcanary report client. Builds the page from the JSON data block with DOM APIs only:
 * every value is set through textContent or attribute setters, never parsed as HTML. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('mc-data').textContent);
  var app = document.getElementById('app');
  var state = { provider: '', variant: '', from: '', to: '', runIndex: D.runs.length - 1 };
  var focusIndex = D.focus ? D.runs.findIndex(function (r) { return r.id === D.focus.run.runId; }) : -1;
  if (focusIndex >= 0) state.runIndex = focusIndex;

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c !== null && c !== undefined) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function s(v) { return v === undefined || v === null ? '' : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v); }
  function day(t) { return new Date(t).toISOString().slice(0, 10); }
  function when(t) { return t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : ''; }
  function vclass(v) {
    if (v === 'inbox' || v === 'spam' || v === 'bounced' || v === 'missing' || v === 'rejected') return 'v-' + v;
    if (typeof v === 'string' && v.indexOf('other-folder:') === 0) return 'v-other';
    return 'v-none';
  }
  function table(headers, rows, cls) {
    var t = el('table', cls ? { cls: cls } : null);
    if (headers) t.appendChild(el('tr', null, headers.map(function (h) { return el('th', { text: h }); })));
    rows.forEach(function (r) { t.appendChild(el('tr', null, r.map(function (c) { return c instanceof Node ? el('td', null, [c]) : el('td', { text: s(c) }); }))); });
    return t;
  }
  function kv(obj) {
    var t = el('table', { cls: 'kv' });
    Object.keys(obj).forEach(function (k) { if (obj[k] !== undefined && obj[k] !== '') t.appendChild(el('tr', null, [el('th', { text: k }), el('td', { text: s(obj[k]) })])); });
    return t;
  }
  function inRange(t) {
    if (state.from && day(t) < state.from) return false;
    if (state.to && day(t) > state.to) return false;
    return true;
  }

  // ---------- header, lab banner, filters ----------
  var focusRun = D.focus ? D.focus.run : null;
  if (focusRun && focusRun.lab) app.appendChild(el('div', { cls: 'lab-banner', id: 'lab-banner', text: 'LAB RUN — simulated providers on loopback, not real inbox placement' }));
  app.appendChild(el('header', null, [
    el('h1', { text: 'mailcanary placement report' }),
    el('span', { text: focusRun ? 'run ' + focusRun.runId + ' · ' + when(focusRun.startedAt) : 'no runs recorded yet' }),
    el('span', { cls: 'muted', text: 'generated ' + when(D.generatedAt) + ' · ' + D.runs.length + ' run(s) in history' }),
  ]));
  var main = el('main');
  app.appendChild(main);

  function select(id, label, options, value, onchange) {
    var sel = el('select', { id: id });
    options.forEach(function (o) { var op = el('option', { value: o[0], text: o[1] }); if (o[0] === value) op.selected = true; sel.appendChild(op); });
    sel.addEventListener('change', function () { onchange(sel.value); render(); });
    return el('label', null, [label, sel]);
  }
  function dateInput(id, label, onchange) {
    var inp = el('input', { id: id, type: 'date' });
    inp.addEventListener('change', function () { onchange(inp.value); render(); });
    return el('label', null, [label, inp]);
  }
  var runOptions = D.runs.map(function (r, i) { return [String(i), when(r.t) + ' · ' + r.id + (r.lab ? ' [lab]' : '') + (r.regressions ? ' · ' + r.regressions + ' regression(s)' : '')]; }).reverse();
  main.appendChild(el('section', { cls: 'filters', id: 'filters' }, [
    select('f-provider', 'Provider', [['', 'all providers']].concat(D.providers.map(function (p) { return [p, p]; })), '', function (v) { state.provider = v; }),
    select('f-variant', 'Variant', [['', 'all variants']].concat(D.variants.map(function (v) { return [v, v]; })), '', function (v) { state.variant = v; }),
    dateInput('f-from', 'From', function (v) { state.from = v; }),
    dateInput('f-to', 'To', function (v) { state.to = v; }),
    select('f-run', 'Run shown in the matrix', runOptions, String(state.runIndex), function (v) { state.runIndex = Number(v); }),
  ]));
  var dyn = el('div', { id: 'dynamic' });
  main.appendChild(dyn);
  var drill = el('section', { id: 'drill', hidden: 'hidden' });
  main.appendChild(drill);

  // ---------- sections ----------
  function gateSection() {
    var sec = el('section', { id: 'gate' }, [el('h2', { text: 'Regressions against the baseline' })]);
    var g = focusRun && focusRun.gate;
    if (!g) { sec.appendChild(el('p', { cls: 'muted', text: 'No gate result recorded for this run.' })); return sec; }
    sec.appendChild(el('p', { cls: 'muted', text: g.baselineRunId ? 'baseline: run ' + g.baselineRunId : 'no baseline (first run)' }));
    if (!g.regressions.length) sec.appendChild(el('p', { text: 'None.' }));
    else sec.appendChild(el('ul', { cls: 'regressions' }, g.regressions.map(function (r) { return el('li', { text: r }); })));
    return sec;
  }

  function focusMessage(seedId, variant) {
    if (!D.focus || D.runs[state.runIndex].id !== D.focus.run.runId) return null;
    return D.focus.messages.find(function (m) { return m.seedId === seedId && m.variant === variant; }) || null;
  }

  function matrixSection() {
    var run = D.runs[state.runIndex];
    var sec = el('section', { id: 'matrix-section' }, [el('h2', null, ['Placement matrix', run && run.lab ? el('span', { cls: 'badge-lab', text: 'LAB' }) : null])]);
    if (!run) { sec.appendChild(el('p', { text: 'No runs recorded yet.' })); return sec; }
    sec.appendChild(el('p', { cls: 'muted', text: 'run ' + run.id + ' · ' + when(run.t) + (D.focus && run.id !== D.focus.run.runId ? ' · verdicts only: details are in the report of that run (npm run report -- --run ' + run.id + ')' : ' · click a cell for the evidence') }));
    var verdict = {};
    for (var i = 0; i < D.results.length; i += 4) if (D.results[i] === state.runIndex) verdict[D.results[i + 1] + ':' + D.results[i + 2]] = D.verdicts[D.results[i + 3]];
    var variants = D.variants.map(function (v, vi) { return [v, vi]; }).filter(function (p) { return !state.variant || p[0] === state.variant; });
    var seeds = D.seeds.map(function (sd, si) { return [sd, si]; }).filter(function (p) { return !state.provider || p[0].provider === state.provider; });
    var t = el('table', { cls: 'matrix', id: 'matrix' });
    t.appendChild(el('tr', null, [el('th', { text: 'seed' }), el('th', { text: 'provider' })].concat(variants.map(function (p) { return el('th', { text: p[0] }); }))));
    seeds.forEach(function (sp) {
      var row = el('tr', { 'data-seed': sp[0].id }, [el('th', { text: sp[0].id }), el('td', { text: sp[0].provider })]);
      variants.forEach(function (vp) {
        var v = verdict[sp[1] + ':' + vp[1]];
        if (v === undefined) { row.appendChild(el('td', { cls: 'v-none', text: '—' })); return; }
        var m = focusMessage(sp[0].id, vp[0]);
        var td = el('td', { cls: 'cell ' + vclass(v), tabindex: '0', 'data-seed': sp[0].id, 'data-variant': vp[0], 'data-verdict': v }, [el('strong', { text: v })]);
        if (m) {
          if (m.expected && m.expected !== v) td.appendChild(el('span', { cls: 'unexpected', text: ' (expected ' + m.expected + ')' }));
          var auth = Object.keys(m.auth || {}).map(function (k) { return k + '=' + m.auth[k]; }).join(' ');
          if (auth) td.appendChild(el('span', { cls: 'auth', text: auth }));
          // the address family the provider saw (its acceptance Received line): paths side by side
          var acc = m.evidence && m.evidence.received && m.evidence.received.acceptance;
          var fam = acc && (acc.family === 'ipv6' ? 'IPv6' : acc.family === 'ipv4' ? 'IPv4' : null);
          if (fam) td.appendChild(el('span', { cls: 'family', 'data-family': acc.family, text: ' over ' + fam }));
          var open = function () { showMessage(m); };
          td.addEventListener('click', open);
          td.addEventListener('keydown', function (e) { if (e.key === 'Enter') open(); });
        }
        row.appendChild(td);
      });
      t.appendChild(row);
    });
    sec.appendChild(t);
    return sec;
  }

  function trendsSection() {
    var sec = el('section', { id: 'trends' }, [el('h2', { text: 'Trends per provider (share of messages per run)' })]);
    var wrap = el('div', { cls: 'charts' });
    sec.appendChild(wrap);
    var runsIn = {};
    D.runs.forEach(function (r, i) { if (inRange(r.t)) runsIn[i] = true; });
    var providers = D.providers.filter(function (p) { return !state.provider || p === state.provider; });
    var variantIdx = state.variant ? D.variants.indexOf(state.variant) : -1;
    var cats = ['inbox', 'spam', 'bounced', 'missing'];
    var colors = { inbox: '#2e7d32', spam: '#e65100', bounced: '#b71c1c', missing: '#6a1b9a' };
    var pending = [];
    providers.forEach(function (p) {
      var counts = {};
      for (var i = 0; i < D.results.length; i += 4) {
        var ri = D.results[i];
        if (!runsIn[ri] || D.seeds[D.results[i + 1]].provider !== p) continue;
        if (variantIdx >= 0 && D.results[i + 2] !== variantIdx) continue;
        var v = D.verdicts[D.results[i + 3]];
        var c = counts[ri] || (counts[ri] = { total: 0, inbox: 0, spam: 0, bounced: 0, missing: 0 });
        if (v === 'skipped' || v === 'seed-unreachable') continue;
        c.total++;
        if (v === 'rejected') v = 'bounced';
        if (typeof v === 'string' && v.indexOf('other-folder:') === 0) v = 'spam';
        if (c[v] !== undefined) c[v]++;
      }
      var idx = Object.keys(counts).map(Number).filter(function (ri) { return counts[ri].total > 0; }).sort(function (a, b) { return D.runs[a].t - D.runs[b].t; });
      if (!idx.length) return;
      var data = [idx.map(function (ri) { return D.runs[ri].t / 1000; })];
      cats.forEach(function (cat) { data.push(idx.map(function (ri) { return Math.round(1000 * counts[ri][cat] / counts[ri].total) / 10; })); });
      var box = el('div', { cls: 'chart', 'data-provider': p }, [el('h3', { text: p })]);
      wrap.appendChild(box);
      pending.push([box, data]);
    });
    if (!pending.length) sec.appendChild(el('p', { cls: 'muted', text: 'No results in the selected range.' }));
    // charts are drawn once the section is in the document (uPlot measures its container)
    sec._draw = function () {
      pending.forEach(function (pd) {
        var opts = {
          width: 460, height: 220,
          scales: { y: { range: [0, 100] } },
          series: [{}].concat(cats.map(function (cat) { return { label: cat + ' %', stroke: colors[cat], width: 2, points: { show: pd[1][0].length < 40 } }; })),
          axes: [{}, { values: function (u, vals) { return vals.map(function (v) { return v + '%'; }); } }],
        };
        new uPlot(opts, pd[1], pd[0]);
      });
    };
    return sec;
  }

  function dnsSection() {
    var sec = el('section', { id: 'dns' }, [el('h2', { text: 'DNS posture checks' })]);
    if (D.focus && D.focus.checks.length && D.runs[state.runIndex] && D.runs[state.runIndex].id === D.focus.run.runId) {
      sec.appendChild(table(['status', 'check', 'summary', 'how to fix'], D.focus.checks.map(function (c) {
        return [el('span', { cls: 's-' + (['pass', 'warn', 'fail'].indexOf(c.status) >= 0 ? c.status : 'unknown'), text: c.status }), c.title, c.summary, c.fix || ''];
      })));
    }
    var runsIn = [];
    D.runs.forEach(function (r, i) { if (inRange(r.t)) runsIn.push(i); });
    runsIn = runsIn.slice(-90);
    var grid = {};
    for (var i = 0; i < D.checks.length; i += 3) (grid[D.checks[i + 1]] || (grid[D.checks[i + 1]] = {}))[D.checks[i]] = D.checkStatuses[D.checks[i + 2]];
    var titles = Object.keys(grid).map(Number);
    if (!titles.length) { sec.appendChild(el('p', { cls: 'muted', text: 'No DNS checks recorded.' })); return sec; }
    sec.appendChild(el('h3', { text: 'History (' + runsIn.length + ' run(s), oldest left)' }));
    sec.appendChild(table(['check', 'history'], titles.map(function (ti) {
      var strip = el('span', { cls: 'strip' });
      runsIn.forEach(function (ri) { var st = grid[ti][ri]; strip.appendChild(el('span', { cls: st ? 's-' + st : '', title: when(D.runs[ri].t) + ': ' + (st || 'not run') })); });
      return [D.checkTitles[ti], strip];
    }), 'dns-history'));
    return sec;
  }

  // ---------- message drill-down ----------
  function showMessage(m) {
    while (drill.firstChild) drill.removeChild(drill.firstChild);
    drill.removeAttribute('hidden');
    var ev = m.evidence || {};
    drill.appendChild(el('h2', { text: 'Message ' + m.seedId + ' / ' + m.variant }));
    drill.appendChild(kv({ verdict: m.verdict, expected: m.expected, detail: m.detail, subject: m.subject, tag: m.tag, to: m.address, submitted: when(m.submittedAt), 'test status': m.testStatus }));
    var ar = ev.authResults;
    drill.appendChild(el('h3', { text: 'Authentication-Results' }));
    if (ar && ar.status === 'found' && Array.isArray(ar.results)) {
      drill.appendChild(el('p', { cls: 'muted', text: 'trusted source: ' + s(ar.source) + (ar.note ? ' · ' + ar.note : '') }));
      drill.appendChild(table(['method', 'result', 'reason', 'properties', 'comments'], ar.results.map(function (r) {
        return [r.method, r.result, r.reason || '', Object.keys(r.props || {}).map(function (k) { return k + '=' + r.props[k]; }).join(' '), (r.comments || []).join(' ')];
      }), 'authres'));
    } else if (ar) drill.appendChild(el('p', { text: s(ar.note || ar.status) }));
    else drill.appendChild(el('p', { cls: 'muted', text: 'no evidence recorded (message not delivered, or older run)' }));
    if (Array.isArray(ar && ar.ignored) && ar.ignored.length) drill.appendChild(table(['ignored header', 'authserv-id', 'why'], ar.ignored.map(function (g) { return [g.index, g.authservId || '', g.why]; })));
    var rc = ev.received;
    if (rc && Array.isArray(rc.hops)) {
      drill.appendChild(el('h3', { text: 'Received path' }));
      var acc = rc.acceptance;
      if (acc) drill.appendChild(kv({ 'accepted by': acc.by, 'sending IP': acc.ip && acc.ip.address, family: acc.family, TLS: acc.tls ? (acc.tls.used ? 'yes ' + s(acc.tls.version) + ' ' + s(acc.tls.cipher) : 'no') : '' }));
      drill.appendChild(table(['#', 'from', 'rDNS', 'IP', 'family', 'by', 'with', 'TLS', 'date', 'problem'], rc.hops.map(function (h) {
        return [h.index, h.from || '', h.rdns || '', h.ip ? h.ip.address : '', h.ip ? h.ip.family : '', h.by || '', h.with || '', h.tls ? (h.tls.used ? 'yes ' + s(h.tls.version) : 'no') : '', when(h.date), h.error || ''];
      }), 'hops'));
    }
    if (ev.delays) drill.appendChild(kv({ 'submission → acceptance (ms)': ev.delays.submissionToAcceptanceMs, 'acceptance → mailbox (ms)': ev.delays.acceptanceToMailboxMs, 'submission → mailbox (ms)': ev.delays.submissionToMailboxMs, note: ev.delays.note }));
    if (ev.spam && Array.isArray(ev.spam.verdicts) && ev.spam.verdicts.length) {
      drill.appendChild(el('h3', { text: 'Spam headers' }));
      drill.appendChild(table(['vendor', 'header', 'spam', 'score', 'level', 'meaning', 'by provider', 'raw'], ev.spam.verdicts.map(function (v) {
        return [v.vendor, v.header, v.spam === undefined ? '' : String(v.spam), v.score === undefined ? '' : v.score + (v.threshold !== undefined ? ' / ' + v.threshold : ''), v.level === undefined ? '' : v.level, v.meaning || '', v.fromProvider ? 'yes' : 'no', v.raw];
      }), 'spam'));
    }
    var score = window.mcContentScore ? window.mcContentScore(m, { el: el, table: table }) : null;
    if (score) drill.appendChild(score);
    if (Array.isArray(ev.warnings) && ev.warnings.length) drill.appendChild(el('ul', { cls: 'muted' }, ev.warnings.map(function (w) { return el('li', { text: s(w) }); })));
    var b = m.bounce;
    if (b && typeof b === 'object') {
      drill.appendChild(el('h3', { text: 'Bounce' }));
      drill.appendChild(kv({ state: b.state, source: b.source, reason: b.reason, hard: b.hardBounce === null ? 'unknown' : b.hardBounce, status: b.status, 'reply code': b.replyCode, diagnostic: b.diagnostic, 'remote MTA': b.remoteMta, 'reporting MTA': b.reportingMta, 'matched by': b.matchedBy, received: when(b.receivedAt) }));
      if (Array.isArray(b.advice) && b.advice.length) {
        drill.appendChild(table(['meaning', 'what to do', 'reference'], b.advice.map(function (a) {
          // links are shown as text, never made clickable: the data came from a received message
          return [a.meaning, a.action, a.link];
        }), 'advice'));
      }
    }
    if (m.rawHeaders) {
      drill.appendChild(el('h3', { text: 'Raw headers' }));
      drill.appendChild(el('pre', { cls: 'raw', text: m.rawHeaders }));
    }
    drill.scrollIntoView({ block: 'start' });
  }

  function render() {
    while (dyn.firstChild) dyn.removeChild(dyn.firstChild);
    var trends = trendsSection();
    [gateSection(), matrixSection(), trends, dnsSection()].forEach(function (x) { dyn.appendChild(x); });
    trends._draw();
  }
  render();
  document.documentElement.setAttribute('data-ready', '1');
})();
