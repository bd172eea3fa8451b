/* mailcanary report: the local content score of a message (src/score, scored before sending)
 * next to the receiver's placement, e.g. "gmx filed it as spam; rspamd scores it 12.35 / 15
 * (add header): DBL_SPAM(6.5), …". DOM APIs only, every value through textContent. */
(function () {
  'use strict';
  var SCORERS = { rspamd: 'rspamd', spamassassin: 'SpamAssassin' };
  function points(n) {
    return typeof n === 'number' && isFinite(n) ? (Math.round(n * 100) / 100).toString() : '?';
  }
  function placed(v) {
    if (v === 'inbox') return 'filed it in the inbox';
    if (v === 'spam') return 'filed it as spam';
    if (typeof v === 'string' && v.indexOf('other-folder:') === 0) return 'filed it in ' + v.slice(13);
    return 'left it ' + String(v);
  }
  /** One sentence: the receiver's placement and the local score with its rules. */
  function sentence(m) {
    var c = m.contentScore;
    var scorer = SCORERS[c.scorer] || String(c.scorer);
    var head = String(m.provider) + ' ' + placed(m.verdict) + '; ';
    if (c.state !== 'scored') return head + scorer + ' gave no score: ' + String(c.reason);
    var rules = (Array.isArray(c.rules) ? c.rules : []).slice(0, 12).map(function (r) {
      return String(r.name) + '(' + points(r.score) + ')';
    });
    return (
      head +
      scorer +
      ' scores it ' +
      points(c.score) +
      ' / ' +
      points(c.threshold) +
      ' (' +
      String(c.action) +
      ')' +
      (rules.length ? ': ' + rules.join(', ') + (c.rules.length > 12 ? ', …' : '') : '')
    );
  }
  /** The section for the message drill-down, or null when the run had no scorer. */
  window.mcContentScore = function (m, h) {
    var c = m && m.contentScore;
    if (!c || typeof c !== 'object') return null;
    var sec = h.el('div', { cls: 'content-score' });
    sec.appendChild(h.el('h3', { text: 'Content score before sending' }));
    sec.appendChild(h.el('p', { cls: 'content-score-line', text: sentence(m) }));
    if (c.state === 'scored' && Array.isArray(c.rules) && c.rules.length) {
      sec.appendChild(
        h.table(
          ['rule', 'points', 'description', 'options'],
          c.rules.map(function (r) {
            return [String(r.name), points(r.score), r.description ? String(r.description) : '', Array.isArray(r.options) ? r.options.join(', ') : ''];
          }),
          'content-rules',
        ),
      );
    }
    return sec;
  };
})();
