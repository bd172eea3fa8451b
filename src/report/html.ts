/**
 * Renders the report: one self-contained HTML file (no CDN, opens offline). The summary, the
 * regressions, the matrix and the checks of the run shown are static HTML (static.ts), so they
 * read without JavaScript; the script adds the run chooser, filters, trends and drill-down.
 * Safety in depth for hostile values (a spam Subject can carry HTML):
 * 1. static HTML escapes every text and attribute value (static.ts);
 * 2. the data travels as JSON in a non-executable `<script type="application/json">` block, with
 *    `<`, `>`, `&`, U+2028/2029 written as \u escapes so no value can close the block;
 * 3. the client script builds nodes with createElement/textContent only, never innerHTML;
 * 4. a Content-Security-Policy meta tag allows only the nonce'd inline script and style, no
 *    inline event handlers, no network: even a missed escape cannot run a script or phone home.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportData } from './data.ts';
import { receiverReportsSection } from './receiver-reports.ts';
import { renderStatic, viewsSource } from './static.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let assets: { uplotJs: string; uplotCss: string; clientJs: string; contentScoreJs: string; drillJs: string; trendsJs: string; css: string } | undefined;

function loadAssets(): NonNullable<typeof assets> {
  if (assets) return assets;
  const require = createRequire(import.meta.url);
  const uplotDir = path.join(path.dirname(require.resolve('uplot')), '.');
  const read = (f: string) => readFileSync(f, 'utf8');
  assets = {
    uplotJs: read(path.join(uplotDir, 'uPlot.iife.min.js')),
    uplotCss: read(path.join(uplotDir, 'uPlot.min.css')),
    // one script element: the shared views, then the page logic that uses them
    clientJs: `${viewsSource()}\n${read(path.join(here, 'assets', 'client.js'))}`,
    contentScoreJs: read(path.join(here, 'assets', 'content-score.js')),
    drillJs: read(path.join(here, 'assets', 'drill.js')),
    trendsJs: read(path.join(here, 'assets', 'trends.js')),
    // in cascade order: the later sheets override report.css, the narrow-screen rules last
    css: ['report.css', 'checks.css', 'real-mail.css', 'cards.css', 'drill.css', 'trends.css', 'narrow.css']
      .map((f) => read(path.join(here, 'assets', f)))
      .join(''),
  };
  for (const [name, text] of Object.entries(assets)) {
    // an asset that contained `</script` or `</style` would end its element early
    if (/<\/(script|style)/i.test(text)) throw new Error(`report asset ${name} contains a closing script/style tag: cannot be inlined safely`);
  }
  return assets;
}

/** JSON that is safe inside a <script> element whatever the strings contain. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const escAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderReportHtml(data: ReportData, opts: { title?: string; nonce?: string } = {}): string {
  const a = loadAssets();
  const nonce = opts.nonce ?? randomBytes(18).toString('base64');
  const lab = data.focus?.run.lab ?? false;
  const title = opts.title ?? `${lab ? '[LAB] ' : ''}mailcanary placement report`;
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src 'nonce-${nonce}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
  const page = renderStatic(data);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escAttr(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escAttr(title)}</title>
<style nonce="${nonce}">${a.uplotCss}
${a.css}</style>
</head>
<body>
<div id="app">
<div id="top">${page.header}</div>
<main>
<section class="filters" id="filters" aria-label="run and filters"><noscript><p>Without JavaScript this page shows the run named above. With JavaScript on, it also lets you pick another run, filter, see the trends and open each message's evidence (the script is inline; nothing is fetched).</p></noscript></section>
<div id="run-view">${page.sections}</div>
${receiverReportsSection(data)}
<section id="trends" aria-labelledby="trends-h"><h2 id="trends-h">Trends</h2><noscript><p>The trends are drawn by the page's script.</p></noscript></section>
<section id="drill" aria-labelledby="drill-h" hidden></section>
</main>
</div>
<script type="application/json" id="mc-data">${scriptSafeJson(data)}</script>
<script nonce="${nonce}">${a.uplotJs}</script>
<script nonce="${nonce}">${a.contentScoreJs}
${a.drillJs}
${a.trendsJs}
${a.clientJs}</script>
</body>
</html>
`;
}
