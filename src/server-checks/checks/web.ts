/**
 * Website with contact details: the sending domain (and the domain of the PTR names) serve a
 * page over HTTPS that is, links to, an imprint/contact page. Telekom's postmaster requires this
 * before it allowlists a server; other receivers' abuse desks look for it too. A network that
 * does not reach the site gives `unknown`, never a false `fail`.
 */
import { getDomain } from 'tldts';
import { hostAddresses, fcrdns } from '../targets.ts';
import { httpsFetcher } from '../web/fetch.ts';
import type { PageFetcher, PageResponse } from '../web/fetch.ts';
import { contactDetails, contactLinks, isContactPage } from '../web/contact.ts';
import type { CheckResult, ServerCheckDeps, ServerConfig } from '../types.ts';

interface Visit {
  url: string;
  address?: string;
  status?: number;
  error?: string;
}

const MAX_REDIRECTS = 5;

function originUrl(host: string, port: number, path = '/'): string {
  return `https://${host}${port === 443 ? '' : `:${port}`}${path}`;
}

/** GET with redirects, each host resolved through our resolver. */
async function get(url: string, config: ServerConfig, deps: ServerCheckDeps, visits: Visit[]): Promise<{ res: PageResponse; url: string }> {
  const fetchPage: PageFetcher = deps.fetchPage ?? httpsFetcher;
  let current = url;
  for (let hop = 0; ; hop++) {
    const u = new URL(current);
    const addrs = await hostAddresses(deps.resolver, u.hostname);
    if (addrs.addresses.length === 0) {
      const res: PageResponse = {
        ok: false,
        kind: addrs.errors.length ? 'unreachable' : 'error',
        error: addrs.errors.length ? `DNS: ${addrs.errors.join(', ')}` : `${u.hostname} has no A/AAAA record`,
      };
      visits.push({ url: current, error: res.error });
      return { res, url: current };
    }
    let res: PageResponse | undefined;
    for (const address of addrs.addresses) {
      res = await fetchPage({ url: current, address, extraCa: config.extraCa, timeoutMs: config.timeouts.commandMs });
      visits.push({ url: current, address, ...(res.ok ? { status: res.status } : { error: `${res.kind}: ${res.error}` }) });
      // try the next address only when this one could not be reached at all
      if (res.ok || (res.kind !== 'unreachable' && res.kind !== 'timeout')) break;
    }
    if (!res!.ok || res!.status < 300 || res!.status >= 400 || !res!.location || hop >= MAX_REDIRECTS) return { res: res!, url: current };
    const next = new URL(res!.location, current);
    if (next.protocol !== 'https:')
      return { res: { ok: false, kind: 'tls', error: `redirects to ${next.protocol.replace(':', '')} (${next.href.slice(0, 100)})` }, url: current };
    current = next.href;
  }
}

export async function checkWebsite(
  domain: string,
  config: ServerConfig,
  deps: ServerCheckDeps,
  title = `website › ${domain} serves a page with imprint or contact details over HTTPS`,
): Promise<CheckResult> {
  const base = { id: 'website', title, target: domain };
  const visits: Visit[] = [];
  // the bare domain first, then www. (many sites live only there)
  let home = await get(originUrl(domain, config.webPort), config, deps, visits);
  if (!home.res.ok && home.res.kind === 'error') home = await get(originUrl(`www.${domain}`, config.webPort), config, deps, visits);
  const r = home.res;
  if (!r.ok) {
    if (r.kind === 'unreachable' || r.kind === 'timeout') {
      return {
        ...base,
        status: 'unknown',
        summary: `the website of ${domain} could not be reached from here (${r.error})`,
        fix: 'run the check from a network with access to the site',
        details: { visits },
      };
    }
    const what = r.kind === 'refused' ? `nothing answers HTTPS on port ${config.webPort}` : r.kind === 'tls' ? `HTTPS fails: ${r.error}` : r.error;
    return {
      ...base,
      status: 'fail',
      summary: `${domain} has no working website: ${what}`,
      fix: `publish a small website for ${domain} over HTTPS (a Let's Encrypt certificate) with an imprint/contact page naming who runs the mail server`,
      details: { visits },
    };
  }
  if (r.certError) {
    return {
      ...base,
      status: 'fail',
      summary: `the website of ${domain} has a certificate problem: ${r.certError.slice(0, 160)}`,
      fix: `serve ${home.url} with a valid certificate for its name (e.g. certbot)`,
      details: { visits },
    };
  }
  if (r.status !== 200) {
    return {
      ...base,
      status: 'fail',
      summary: `${home.url} answers HTTP ${r.status}`,
      fix: `make ${home.url} answer 200 with a page that links the imprint/contact page`,
      details: { visits },
    };
  }
  if (isContactPage(r.body))
    return { ...base, status: 'pass', summary: `${home.url} itself carries contact details (${contactDetails(r.body).join(', ')})`, details: { visits } };
  const links = contactLinks(r.body);
  for (const link of links.slice(0, 3)) {
    if (/^mailto:/i.test(link.href))
      return { ...base, status: 'pass', summary: `${home.url} links a contact address ("${link.text}")`, details: { visits, links } };
    let target: URL;
    try {
      target = new URL(link.href, home.url);
    } catch {
      continue;
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:') continue;
    const page = await get(target.href, config, deps, visits);
    if (page.res.ok && page.res.status === 200) {
      const details = contactDetails(page.res.body);
      return {
        ...base,
        status: details.length ? 'pass' : 'warn',
        summary: `${home.url} links "${link.text || link.href}" (${page.url})${details.length ? ` with ${details.join(', ')}` : ''}`,
        ...(details.length
          ? {}
          : {
              warnings: ['the linked page shows no e-mail address, phone number or postal address'],
              fix: 'put a postal address, an e-mail address and a phone number on the imprint/contact page',
            }),
        details: { visits, links },
      };
    }
  }
  if (links.length) {
    return {
      ...base,
      status: 'fail',
      summary: `${home.url} links ${links.map((l) => `"${l.text || l.href}"`).join(', ')} but the page does not load`,
      fix: 'fix the imprint/contact link so it answers 200',
      details: { visits, links },
    };
  }
  return {
    ...base,
    status: 'fail',
    summary: `${home.url} has no link to an imprint or contact page and shows no contact details`,
    fix: `add an imprint/contact page (Impressum: name, postal address, e-mail, phone) to ${domain} and link it from the home page; Telekom asks for it before it allowlists a mail server`,
    details: { visits },
  };
}

/** The registrable domains of the PTR names of the sending IPs, without those already checked as sending domains. */
export async function ptrDomains(config: ServerConfig, deps: ServerCheckDeps): Promise<{ domains: string[]; ptrNames: string[]; errors: string[] }> {
  const names: string[] = [];
  const errors: string[] = [];
  for (const ip of config.sendingIps) {
    const d = await fcrdns(deps.resolver, ip);
    names.push(...d.ptr);
    if (d.error) errors.push(`${ip}: ${d.error}`);
  }
  const domains = [...new Set(names.map((n) => getDomain(n, { allowPrivateDomains: true }) ?? n))];
  return { domains, ptrNames: [...new Set(names)], errors };
}

export async function checkPtrWebsite(config: ServerConfig, deps: ServerCheckDeps): Promise<CheckResult> {
  const title = "website › the domain of the sending IPs' PTR names serves a page with contact details";
  const base = { id: 'website', title, target: config.sendingIps.join(', ') };
  const p = await ptrDomains(config, deps);
  if (p.domains.length === 0) {
    if (p.errors.length) return { ...base, status: 'unknown', summary: `PTR lookup failed: ${p.errors.join('; ')}` };
    return {
      ...base,
      status: 'fail',
      summary: `the sending IPs ${config.sendingIps.join(', ')} have no PTR record`,
      fix: 'set the PTR (reverse DNS) of each sending IP to your mail host name (hosting provider panel)',
    };
  }
  const results: CheckResult[] = [];
  for (const d of p.domains) {
    if (config.domains.includes(d)) {
      results.push({ ...base, target: d, status: 'pass', summary: `${d} is a sending domain (its website is checked there)` });
      continue;
    }
    results.push(await checkWebsite(d, config, deps, title));
  }
  const order = ['error', 'fail', 'unknown', 'warn', 'pass'];
  const worst = results.reduce((a, b) => (order.indexOf(b.status) < order.indexOf(a.status) ? b : a));
  return {
    ...worst,
    title,
    target: p.domains.join(', '),
    summary: results.map((r) => `${r.target}: ${r.summary}`).join('; '),
    details: { ptrNames: p.ptrNames, results: results.map((r) => ({ target: r.target, status: r.status, summary: r.summary, details: r.details })) },
  };
}
