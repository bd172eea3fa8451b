/** Link and image targets of a message body: what receivers check against domain lists. Pure. */

const URL_RE = /\bhttps?:\/\/([^\s/?#<>"'()\]]+)/gi;
const HREF_RE = /\bhref\s*=\s*["']?\s*(?:https?:)?\/\/([^\s/?#<>"']+)/gi;
const IMG_RE = /<img\b[^>]*?\bsrc\s*=\s*["']?\s*((?:https?:)?\/\/[^\s"'>]+)/gi;

function hostOf(authority: string): string {
  // strip userinfo and port; hosts are case-insensitive (RFC 3986 §3.2.2)
  return authority.replace(/^.*@/, '').replace(/:\d*$/, '').replace(/\.$/, '').toLowerCase();
}

/** Host names of http(s) links in plain text and HTML (`href` and bare URLs). */
export function linkHosts(text = '', html = ''): string[] {
  const hosts = new Set<string>();
  for (const src of [text, html]) {
    for (const re of [URL_RE, HREF_RE]) {
      for (const m of src.matchAll(re)) {
        const host = hostOf(m[1]);
        if (host) hosts.add(host);
      }
    }
  }
  return [...hosts];
}

/** `src` of `<img>` elements that load from the network (not `cid:` or `data:`). */
export function remoteImages(html = ''): string[] {
  return [...new Set([...html.matchAll(IMG_RE)].map((m) => m[1]))];
}
