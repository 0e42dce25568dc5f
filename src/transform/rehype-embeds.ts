/**
 * Iframes from an allowlist of video hosts stay (sandboxed later by `rehypeEmbedSandbox`); any
 * other iframe becomes a plain link to what it embedded, so nothing a reader could follow is
 * lost, and none of its code runs on our pages.
 */
import type { Element, ElementContent, Root } from 'hast';
import type { VFile } from 'vfile';
import { articleWords } from '../languages.ts';
import { articleContext } from './context.ts';
import { cleanUrl, isSafeUrl, MEDIA_SCHEMES, resolveUrl } from './url.ts';
import { type Parent, stringProperty, walkTags } from './walk.ts';

export interface EmbedOptions {
  /** Hosts whose iframes are kept (`config.embeds.allowHosts`). */
  allowHosts: readonly string[];
  /**
   * Text of the link left for a dropped iframe; `{host}` is replaced. By default, "embedded
   * content: {host}" in the article's language.
   */
  linkText?: string;
}

/** Parents in which a block `<p>` may stand; elsewhere the link is left bare (phrasing). */
const FLOW_PARENTS = new Set([
  'article',
  'aside',
  'blockquote',
  'body',
  'center',
  'dd',
  'details',
  'div',
  'figure',
  'footer',
  'form',
  'header',
  'li',
  'main',
  'nav',
  'section',
  'td',
  'th',
]);

/**
 * The http(s) URL an iframe embeds, if any, without a user name or password: browsers refuse
 * to load a frame whose URL has them, and the scraped page's credentials are not ours to publish.
 */
export function embeddedUrl(iframe: Element, base: string | undefined): URL | undefined {
  const raw = stringProperty(iframe, 'dataSrc') ?? stringProperty(iframe, 'src');
  if (!raw) return undefined;
  const cleaned = cleanUrl(raw);
  if (!cleaned || !isSafeUrl(cleaned, MEDIA_SCHEMES)) return undefined;
  const resolved = resolveUrl(cleaned, base);
  if (!resolved || !/^https?:\/\//i.test(resolved)) return undefined;
  try {
    const url = new URL(resolved);
    url.username = '';
    url.password = '';
    return url;
  } catch {
    return undefined;
  }
}

/**
 * An allowed host on its default port: the pages' Content-Security-Policy allows the host's
 * frames at `https://host` only, so one on another port would show readers an empty frame.
 */
export function isAllowedEmbedHost(url: URL, allowHosts: ReadonlySet<string>): boolean {
  return url.port === '' && allowHosts.has(url.hostname.toLowerCase());
}

function replacementLink(url: URL, text: string, ancestors: readonly Parent[]): ElementContent[] {
  if (ancestors.some((ancestor) => ancestor.type === 'element' && ancestor.tagName === 'a')) {
    return [];
  }
  const link: Element = {
    type: 'element',
    tagName: 'a',
    properties: { href: url.href },
    children: [{ type: 'text', value: text.replace('{host}', url.hostname) }],
  };
  const parent = ancestors[ancestors.length - 1];
  const inFlow = !parent || parent.type === 'root' || FLOW_PARENTS.has(parent.tagName);
  return inFlow ? [{ type: 'element', tagName: 'p', properties: {}, children: [link] }] : [link];
}

export function rehypeEmbeds(options: EmbedOptions) {
  const allowHosts = new Set(options.allowHosts.map((host) => host.toLowerCase()));
  return (tree: Root, file: VFile) => {
    const { base, language } = articleContext(file);
    const linkText = options.linkText ?? articleWords(language).embeddedContent;
    walkTags(tree, new Set(['iframe', 'frame']), (iframe, parent, index, ancestors) => {
      const url = embeddedUrl(iframe, base);
      let replacement: ElementContent[] = [];
      if (url && iframe.tagName === 'iframe' && isAllowedEmbedHost(url, allowHosts)) {
        url.protocol = 'https:';
        const { width, height, title } = iframe.properties;
        replacement = [
          {
            type: 'element',
            tagName: 'iframe',
            properties: { src: url.href, width, height, title, allowFullScreen: true },
            children: [],
          },
        ];
      } else if (url) {
        replacement = replacementLink(url, linkText, ancestors);
      }
      parent.children.splice(index, 1, ...replacement);
      return index + replacement.length;
    });
  };
}
