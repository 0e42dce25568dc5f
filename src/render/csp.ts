import type { SiteConfig } from '../config/schema.ts';

/**
 * The Content-Security-Policy of every page: the second wall behind the sanitizer. Only the
 * site's own scripts and styles run; images may come from any https host, since scraped
 * articles hot-link them; frames only from the embed allowlist.
 */
export function contentSecurityPolicy(config: SiteConfig): string {
  const imageSources = ["'self'", 'https:', 'data:'];
  if (!config.images.upgradeHttp) imageSources.push('http:');
  const frameSources = config.embeds.allowHosts.map((host) => `https://${host}`);
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // Search runs WebAssembly, which CSP treats as evaluation unless allowed by name.
    ['script-src', ["'self'", "'wasm-unsafe-eval'"]],
    ['style-src', ["'self'"]],
    ['img-src', imageSources],
    ['media-src', ["'self'", 'https:']],
    ['frame-src', frameSources.length > 0 ? frameSources : ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}
