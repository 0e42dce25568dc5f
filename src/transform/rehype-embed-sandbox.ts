/**
 * The iframes that survive sanitizing are re-checked against the allowlist (the sanitizer itself
 * knows nothing of hosts) and locked down: sandboxed (no top navigation, no popups, no forms),
 * lazy, https only, sending only the site's origin as referrer (YouTube refuses to play an
 * embed that sends none).
 */
import type { Root } from 'hast';
import type { VFile } from 'vfile';
import { articleWords } from '../languages.ts';
import { articleContext } from './context.ts';
import { isAllowedEmbedHost } from './rehype-embeds.ts';
import { stringProperty, walkTags } from './walk.ts';

export interface EmbedSandboxOptions {
  allowHosts: readonly string[];
  /** Sandbox tokens. Video players need scripts and their own origin (cookies, storage). */
  sandbox?: readonly string[];
  referrerPolicy?: string;
}

export const DEFAULT_EMBED_SANDBOX: readonly string[] = [
  'allow-scripts',
  'allow-same-origin',
  'allow-presentation',
];

export function rehypeEmbedSandbox(options: EmbedSandboxOptions) {
  const allowHosts = new Set(options.allowHosts.map((host) => host.toLowerCase()));
  const sandbox = [...(options.sandbox ?? DEFAULT_EMBED_SANDBOX)];
  const referrerPolicy = options.referrerPolicy ?? 'strict-origin-when-cross-origin';
  return (tree: Root, file: VFile) => {
    const { embeddedContent } = articleWords(articleContext(file).language);
    walkTags(tree, new Set(['iframe']), (iframe, parent, index) => {
      let url: URL | undefined;
      try {
        url = new URL(stringProperty(iframe, 'src') ?? '');
      } catch {
        url = undefined;
      }
      if (url?.protocol !== 'https:' || !isAllowedEmbedHost(url, allowHosts)) {
        parent.children.splice(index, 1);
        return index;
      }
      iframe.properties = {
        src: url.href,
        width: iframe.properties.width,
        height: iframe.properties.height,
        title: iframe.properties.title ?? embeddedContent.replace('{host}', url.hostname),
        sandbox: [...sandbox],
        loading: 'lazy',
        referrerPolicy,
        allowFullScreen: true,
      };
      iframe.children = [];
      return undefined;
    });
  };
}
