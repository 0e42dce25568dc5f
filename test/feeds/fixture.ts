import type { ExtensionContext } from '../../src/build.ts';
import { collectSite, type Site } from '../../src/collect/site.ts';
import { UrlBuilder } from '../../src/collect/urls.ts';
import { defaultConfig, type SiteConfig } from '../../src/config/schema.ts';
import type { LoadedArticle, TransformedBody } from '../../src/model.ts';
import { ViewFactory } from '../../src/render/views.ts';
import type { StagedOutput } from '../../src/write/output.ts';

export interface SampleArticle {
  title: string;
  date: string;
  html?: string;
  excerpt?: string;
  categories?: string[][];
  tags?: string[];
  authors?: string[];
  cover?: string;
  lang?: string;
  slug?: string;
  updated?: string;
}

/** A hand-made site, built with the real collect stage, without loading or transforming files. */
export function sampleSite(articles: SampleArticle[], overrides: Partial<SiteConfig> = {}) {
  const config: SiteConfig = { ...defaultConfig(), ...overrides };
  const site = collectSite(
    articles.map((sample, index) => {
      const loaded: LoadedArticle = {
        sourcePath: `/content/${index}.md`,
        relativePath: `${index}.md`,
        title: sample.title,
        date: new Date(sample.date),
        ...(sample.updated ? { updated: new Date(sample.updated) } : {}),
        categories: sample.categories ?? [],
        tags: sample.tags ?? [],
        authors: (sample.authors ?? []).map((name) => ({ name })),
        slug: sample.slug ?? `article-${index}`,
        draft: false,
        ...(sample.lang ? { lang: sample.lang } : {}),
        format: 'html',
        body: sample.html ?? '',
        bodyLine: 1,
        extra: {},
        contentHash: String(index),
      };
      const body: TransformedBody = {
        html: sample.html ?? `<p>${sample.title}</p>`,
        excerpt: sample.excerpt ?? sample.title,
        readingMinutes: 1,
        ...(sample.cover ? { cover: { src: sample.cover } } : {}),
        coverInBody: false,
        textLength: 10,
      };
      return { loaded, body };
    }),
    config,
  );
  return { site, config };
}

/** An in-memory stand-in for the staged output: what extensions wrote, by site path. */
export class MemoryOutput {
  readonly files = new Map<string, string | Uint8Array>();
  readonly stagingDir = '/nonexistent';
  write(sitePath: string, content: string | Uint8Array): boolean {
    this.files.set(sitePath, content);
    return true;
  }
  has(sitePath: string): boolean {
    return this.files.has(sitePath);
  }
  /** Nothing is kept from a previous build in memory. */
  keep(_sitePath: string, _key: string): boolean {
    return false;
  }
  text(sitePath: string): string {
    const content = this.files.get(sitePath);
    if (content === undefined) throw new Error(`${sitePath} was not written`);
    return typeof content === 'string' ? content : new TextDecoder().decode(content);
  }
}

export function extensionContext(
  site: Site,
  config: SiteConfig,
): ExtensionContext & { output: MemoryOutput } {
  const urls = new UrlBuilder(config.baseUrl);
  const output = new MemoryOutput();
  return {
    site,
    config,
    urls,
    views: new ViewFactory(site, config, urls),
    output: output as unknown as StagedOutput & MemoryOutput,
    root: '/',
  } as ExtensionContext & { output: MemoryOutput };
}
