/**
 * What the body plugins know about the article being transformed. Plugin options come from the
 * config and are fixed when the pipeline is built; this per-article part travels on the vfile.
 */
import type { VFile } from 'vfile';
import type { ImageUrlContext } from './url.ts';

export interface ArticleContext {
  /** The article title, to recognise a heading that only repeats it. */
  title: string;
  /** The article's language (its `lang`, else the site's), for words Gazette adds to it. */
  language: string;
  /** Scheme-checked URL of the original article. */
  sourceUrl?: string;
  /** Base for relative URLs in the body (source URL or `images.sourceBase`), if any. */
  base?: string;
  /** How image URLs are resolved for this article. */
  images: ImageUrlContext;
}

declare module 'vfile' {
  interface DataMap {
    article: ArticleContext;
    /**
     * For each image whose lazy URL was swapped in (`rehype-lazy-images`), the `src` it had
     * before, by the `src` it was given: often the picture's thumbnail, which a scraper may
     * have taken as the article's cover.
     */
    replacedImageSources: globalThis.Map<string, string>;
  }
}

const NO_ARTICLE: ArticleContext = {
  title: '',
  language: 'en',
  images: { upgradeHttp: true, rewrite: [] },
};

export function articleContext(file: VFile): ArticleContext {
  return file.data.article ?? NO_ARTICLE;
}
