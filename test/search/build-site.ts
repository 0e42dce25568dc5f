import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildExtension, ExtensionContext } from '../../src/build.ts';
import { collectSite } from '../../src/collect/site.ts';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { loadConfig } from '../../src/config/load.ts';
import { feedsExtension } from '../../src/feeds/extension.ts';
import { sitemapExtension } from '../../src/feeds/sitemap.ts';
import { loadArticle } from '../../src/load/article.ts';
import { discoverContent } from '../../src/load/discover.ts';
import type { Diagnostic } from '../../src/model.ts';
import { createTemplateEnvironment } from '../../src/render/environment.ts';
import { planPages } from '../../src/render/pages.ts';
import { createPageRenderer } from '../../src/render/render.ts';
import { ViewFactory } from '../../src/render/views.ts';
import { searchExtension } from '../../src/search/extension.ts';
import { StagedOutput } from '../../src/write/output.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds a project with the real `build()` once the transform stage exists; until then with
 * the same stages minus the body transform (bodies are used as written, which is enough for
 * search and feeds), so the search and feeds can be tested end to end either way.
 */
export async function buildSite(
  root: string,
  overrides: Record<string, unknown>,
): Promise<{ outDir: string; diagnostics: Diagnostic[]; via: 'build' | 'stand-in' }> {
  const real = existsSync(path.join(REPO_ROOT, 'src/transform/index.ts'))
    ? await import('../../src/build.ts').catch(() => undefined)
    : undefined;
  if (real) {
    const { build } = real;
    const result = await build({ root, overrides });
    if (!result.ok) throw new Error(`build failed: ${JSON.stringify(result.diagnostics)}`);
    return { outDir: result.outDir, diagnostics: result.diagnostics, via: 'build' };
  }
  const { config, root: configRoot } = loadConfig({ root, overrides });
  const resolve = (folder: string) => path.resolve(configRoot, folder);
  const diagnostics: Diagnostic[] = [];
  const inputs = discoverContent(resolve(config.contentDir)).files.flatMap((file) => {
    const { article } = loadArticle(file, config);
    if (!article) return [];
    const text = article.body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return [
      {
        loaded: article,
        body: {
          html: article.body,
          excerpt: text.slice(0, 120),
          readingMinutes: 1,
          ...(article.cover ? { cover: { src: article.cover } } : {}),
          coverInBody: false,
          textLength: text.length,
        },
      },
    ];
  });
  const site = collectSite(inputs, config);
  const urls = new UrlBuilder(config.baseUrl);
  const views = new ViewFactory(site, config, urls);
  const output = new StagedOutput(resolve(config.outDir));
  const extensions: BuildExtension[] = [feedsExtension(), sitemapExtension(), searchExtension()];
  const context: ExtensionContext = { site, config, urls, views, output, root: configRoot };
  const { env, searchPaths } = createTemplateEnvironment({ config, urls });
  const render = createPageRenderer({
    env,
    searchPaths,
    site,
    config,
    urls,
    feedsFor: (spec) =>
      extensions.flatMap((extension) => extension.feedsFor?.(spec, context) ?? []),
  });
  for (const spec of planPages(site, config, views, urls)) {
    const result = render(spec);
    if (!result.ok) throw new Error(`${result.file}:${result.line}: ${result.message}`);
    output.write(spec.sitePath, result.html);
    for (const extension of extensions) await extension.pageRendered?.(spec, result.html, context);
  }
  const publicDir = resolve(config.publicDir);
  const pending = [''];
  while (pending.length > 0) {
    const folder = pending.pop()!;
    for (const entry of readdirSync(path.join(publicDir, folder), { withFileTypes: true })) {
      const relative = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) pending.push(relative);
      else output.copy(path.join(publicDir, relative), `/${relative}`);
    }
  }
  for (const extension of extensions)
    diagnostics.push(...((await extension.finish?.(context)) ?? []));
  output.commit();
  return { outDir: output.outDir, diagnostics, via: 'stand-in' };
}
