/* mailcanary report: the trends of the runs in range — a strip per seed and variant with the
 * placement letter of each run, and per provider a chart of the share as expected and in the
 * inbox (uPlot). `t` brings the page's node helpers, the views, the date range test and the
 * filter state. Returns the nodes and a function that draws the charts once the nodes are in
 * the document (uPlot measures its container). DOM APIs only, every value through textContent. */
(function () {
  'use strict';
  window.mcTrends = function (D, t) {
    var el = t.el,
      table = t.table,
      when = t.when,
      V = t.V,
      inRange = t.inRange,
      state = t.state;
    var day = function (sec) {
      return new Date(sec * 1000).toISOString().slice(0, 10);
    };
    var out = [el('h2', { id: 'trends-h', text: 'Trends' })];
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
      out.push(el('h3', null, [kindName, lab ? el('span', { cls: 'badge-lab', text: 'LAB' }) : null]));
      var strips = {};
      for (var i = 0, c = 0; i < D.results.length; i += 4, c += D.cellWidth) {
        var k = pos[D.results[i]];
        if (k === undefined) continue;
        var sd = D.seeds[D.results[i + 1]];
        if (state.provider && sd.provider !== state.provider) continue;
        var vn = D.variants[D.results[i + 2]];
        if (state.variant && vn !== state.variant) continue;
        if (state.domain && D.domains[D.variantDomain[D.results[i + 2]]] !== state.domain) continue;
        var key = D.results[i + 1] + ':' + D.results[i + 2];
        (strips[key] || (strips[key] = { seed: sd.id, variant: vn, vi: D.results[i + 2], cells: {} })).cells[k] = [
          D.results[i],
          D.classes[D.cells[c]],
          D.verdicts[D.results[i + 3]],
          D.cells[c + 2],
        ];
      }
      var keys = Object.keys(strips).sort(function (a, b) {
        var x = strips[a],
          y = strips[b];
        // per seed, the variants in the matrix's column order
        return x.seed < y.seed ? -1 : x.seed > y.seed ? 1 : x.vi - y.vi;
      });
      if (!keys.length) {
        out.push(el('p', { cls: 'muted', text: 'No results in the selected range.' }));
        return;
      }
      out.push(
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
      out.push(
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
      out.push(el('h4', { text: kindName + ': share as expected and in the inbox, 7 days ending each day (UTC)' }));
      out.push(wrap);
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
    // one day of points (one run, or all runs on one UTC day) gives uPlot a zero-width x range it
    // widens by years: the range is then the day before to the day after, the point in the middle
    var DAY_S = 86400;
    // (read from the data: uPlot has already widened the min and max it passes for one point)
    var xRange = function (u) {
      var xs = u.data[0];
      var min = xs[0],
        max = xs[xs.length - 1];
      return max - min < DAY_S ? [min - DAY_S, max + DAY_S] : [min, max];
    };
    // tick spacings of the x axis, in whole days (uPlot reads seconds)
    var X_INCRS = [1, 2, 3, 7, 14, 28, 56, 91, 182, 364, 728, 1456].map(function (d) {
      return d * DAY_S;
    });
    // charts are drawn once the section is in the document: uPlot measures its container
    var draw = function () {
      pending.forEach(function (pd) {
        var width = Math.max(240, Math.min(520, pd[0].clientWidth - 12));
        new uPlot(
          {
            width: width,
            height: 200,
            // room for the last day's label, centred on the right edge
            padding: [null, 36, null, null],
            tzDate: function (ts) {
              return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
            },
            scales: { x: { time: true, range: xRange }, y: { range: [0, 100] } },
            hooks: {
              // the x range drawn, as UTC days, for a reader (and a test) that cannot see the canvas
              setScale: [
                function (u, key) {
                  if (key === 'x') pd[0].setAttribute('data-x-range', day(u.scales.x.min) + '/' + day(u.scales.x.max));
                },
              ],
            },
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
              {
                // the points are UTC days: ticks fall on whole days and read as the rest of the report does
                space: 84,
                incrs: X_INCRS,
                values: function (u, vals) {
                  var labels = vals.map(day);
                  // what the axis says, for a reader (and a test) that cannot see the canvas
                  pd[0].setAttribute('data-x-ticks', labels.join(' '));
                  return labels;
                },
              },
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
    return { nodes: out, draw: draw };
  };
})();
