/**
 * Finds the URLs a built page refers to. Gazette's pages are machine-written (quoted
 * attributes), so a tag scanner is enough, and it is what keeps `gazette check` fast on
 * 100,000 pages; comments and script/style bodies are skipped so text there is not read as tags.
 */

export interface PageReference {
  url: string;
  /** `a`, `img`, `link`… */
  tag: string;
  attribute: string;
  /** `rel` of a `<link>`, which tells a feed link from a stylesheet. */
  rel?: string;
  type?: string;
}

const REFERENCING: Record<string, string[]> = {
  a: ['href'],
  area: ['href'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  link: ['href'],
  script: ['src'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  embed: ['src'],
};

const TAG = /<([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>/g;
const ATTRIBUTE = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
const SKIPPED = /<!--[\s\S]*?-->|(<(script|style)\b[^>]*>)[\s\S]*?<\/\2\s*>/gi;

export function pageReferences(html: string): PageReference[] {
  const references: PageReference[] = [];
  const scanned = html.replace(SKIPPED, (_, open?: string) => open ?? '');
  for (const tagMatch of scanned.matchAll(TAG)) {
    const tag = tagMatch[1]!.toLowerCase();
    const wanted = REFERENCING[tag];
    if (!wanted) continue;
    const attributes: Record<string, string> = {};
    for (const match of tagMatch[2]!.matchAll(ATTRIBUTE)) {
      attributes[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
    }
    for (const attribute of wanted) {
      const value = attributes[attribute];
      if (value === undefined) continue;
      const urls =
        attribute === 'srcset'
          ? value
              .split(',')
              .map((candidate) => candidate.trim().split(/\s+/)[0] ?? '')
              .filter(Boolean)
          : [value.trim()];
      for (const url of urls) {
        references.push({
          url,
          tag,
          attribute,
          ...(attributes.rel ? { rel: attributes.rel.toLowerCase() } : {}),
          ...(attributes.type ? { type: attributes.type.toLowerCase() } : {}),
        });
      }
    }
  }
  return references;
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
};

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? Number.parseInt(body.slice(2), 16)
          : Number(body.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
