/**
 * The static part of the report: the views of assets/views.js run in Node with an `h` that
 * writes HTML text, so the summary, the regressions, the matrix and the checks of the run shown
 * are in the file as plain HTML and read without JavaScript. Every text and attribute value is
 * escaped here (HTML Living Standard §13.1.2.6 escapes for text and double-quoted attributes);
 * the script, when it runs, draws the same views again as DOM nodes from the same data.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { clipWords } from '../shared/clip.ts';
import type { ReportData } from './data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface Views {
  header(h: H, d: ReportData, ri: number): Node[];
  runSections(h: H, d: ReportData, ri: number, filters?: { provider?: string; variant?: string }): Node[];
  when(t: unknown): string;
}
type Child = Node | string | null | undefined;
type H = (tag: string, attrs?: Record<string, string> | null, children?: Child[]) => Node;

// quotes are escaped in text too: a hostile value then never shows up as an attribute in the source
export const escText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
const escAttr = escText;
const NAME = /^[a-z][a-z0-9-]*$/;

class Node {
  private readonly tag: string;
  private readonly attrs: Record<string, string>;
  private readonly children: Child[];
  constructor(tag: string, attrs: Record<string, string>, children: Child[]) {
    if (!NAME.test(tag)) throw new Error(`report view: bad element name ${JSON.stringify(tag)}`);
    this.tag = tag;
    this.attrs = attrs;
    this.children = [...children];
  }
  appendChild(c: Child): Child {
    this.children.push(c);
    return c;
  }
  toHtml(): string {
    let text: string | undefined;
    let out = `<${this.tag}`;
    for (const [k, v] of Object.entries(this.attrs)) {
      if (v === undefined || v === null) continue;
      if (k === 'text') text = String(v);
      else {
        const name = k === 'cls' ? 'class' : k;
        if (!NAME.test(name) || name.startsWith('on')) throw new Error(`report view: bad attribute name ${JSON.stringify(k)}`);
        out += ` ${name}="${escAttr(String(v))}"`;
      }
    }
    out += '>';
    if (text !== undefined) out += escText(text);
    for (const c of this.children) if (c !== null && c !== undefined) out += typeof c === 'string' ? escText(c) : c.toHtml();
    return `${out}</${this.tag}>`;
  }
}

const h: H = (tag, attrs, children) => new Node(tag, attrs ?? {}, children ?? []);

let views: Views | undefined;

/** The shared views and the sections that register with them (assets/summary.js, checks.js, real-mail.js). */
export function viewsSource(): string {
  // the page cuts text with the same function as the gate's lines; Node strips its types to blanks,
  // so its source text is plain JavaScript
  const shared = `var clipWords = ${clipWords.toString()};`;
  return [shared, ...['views.js', 'summary.js', 'checks.js', 'real-mail.js'].map((f) => readFileSync(path.join(here, 'assets', f), 'utf8'))].join('\n');
}

function loadViews(): Views {
  if (views) return views;
  const context = vm.createContext({});
  vm.runInContext(`${viewsSource()}\nthis.McViews = McViews;`, context, { filename: 'views.js' });
  views = context.McViews as Views;
  return views;
}

/** Index of the run shown first: the focus run, else the latest. */
export function shownRun(data: ReportData): number {
  const i = data.focus ? data.runs.findIndex((r) => r.id === data.focus!.run.runId) : -1;
  return i >= 0 ? i : data.runs.length - 1;
}

/** The header and the run's sections as HTML. */
export function renderStatic(data: ReportData): { header: string; sections: string } {
  const v = loadViews();
  const ri = shownRun(data);
  return {
    header: v
      .header(h, data, ri)
      .map((n) => n.toHtml())
      .join('\n'),
    sections: v
      .runSections(h, data, ri)
      .map((n) => n.toHtml())
      .join('\n'),
  };
}

/** A date as the report writes it (UTC, or "invalid date"). */
export function reportDate(t: unknown): string {
  return loadViews().when(t);
}
