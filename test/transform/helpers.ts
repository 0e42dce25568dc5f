import rehypeParse from 'rehype-parse';
import rehypeStringify from 'rehype-stringify';
import { type PluggableList, unified } from 'unified';
import { VFile } from 'vfile';
import { defaultConfig, type SiteConfig } from '../../src/config/schema.ts';
import type { ArticleContext } from '../../src/transform/context.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { BUILTIN_IMAGE_REWRITES, compileRewriteRules } from '../../src/transform/url.ts';
import { htmlArticle } from './corpus-article.ts';

export function context(overrides: Partial<ArticleContext> = {}): ArticleContext {
  return {
    title: 'Title',
    language: 'en',
    images: {
      upgradeHttp: true,
      rewrite: compileRewriteRules(BUILTIN_IMAGE_REWRITES),
      base: overrides.base,
    },
    ...overrides,
  };
}

/** Runs the given plugins alone on an HTML fragment. */
export function runPlugins(
  html: string,
  plugins: PluggableList,
  article: ArticleContext = context(),
): string {
  const file = new VFile({ value: html });
  file.data.article = article;
  return String(
    unified()
      .use(rehypeParse, { fragment: true })
      .use(plugins)
      .use(rehypeStringify)
      .processSync(file),
  );
}

const transformers = new Map<string, ReturnType<typeof createBodyTransformer>>();

/** The whole transform of an HTML body, with the default config (or changes to it). */
export function transformHtml(body: string, config: Partial<SiteConfig> = {}, sourceUrl?: string) {
  const key = JSON.stringify(config);
  let transform = transformers.get(key);
  if (!transform) {
    transform = createBodyTransformer({ ...defaultConfig(), ...config });
    transformers.set(key, transform);
  }
  return transform(htmlArticle(body, sourceUrl ? { sourceUrl } : {}));
}
