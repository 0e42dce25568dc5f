/**
 * The transform stage: a scraped body (HTML or Markdown) becomes sanitized HTML, plus what pages
 * and indexes need to know of it (excerpt, reading time, cover, source URL).
 *
 *   body ─limit nesting─▶ parse (rehype-parse | remark → rehype-raw)
 *        ─▶ strip source heading ─▶ lazy images ─▶ noscript images ─▶ resolve image URLs
 *        ─▶ resolve links ─▶ embeds ─▶ alignment class
 *        ─▶ unprefix ids ─▶ drop form widgets ─▶ unwrap cell buttons ─▶ sanitize (NEWS_SCHEMA)
 *        ─▶ unnest ─▶ caption from alt ─▶ drop empty figures ─▶ demote headings ─▶ unique ids
 *        ─▶ space adjacent links ─▶ tidy blank lines ─▶ image loading ─▶ link rel ─▶ embed sandbox ─▶ fragment links ─▶ stringify
 *
 * URLs that are still relative after resolution (no source URL to resolve against) are left as
 * root-relative paths (`/images/x.jpg`): site-local files the render stage prefixes with the
 * site's base path (see `isLocalPath`).
 */
import { createRequire } from 'node:module';
import type { Root } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import type { Root as MdastRoot } from 'mdast';
import rehypeParse from 'rehype-parse';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { unified } from 'unified';
import { VFile } from 'vfile';
import type { SiteConfig } from '../config/schema.ts';
import { type ArticleWords, articleWords } from '../languages.ts';
import { maskCode, maskHtmlCode } from '../load/markdown-code.ts';
import type { Diagnostic, LoadedArticle, TransformedBody } from '../model.ts';
import { expandCodeBlockTags } from './code-block-tags.ts';
import { codeRanges, type MarkdownCodeRanges, maskRanges } from './code-ranges.ts';
import { contentFileLookup, contentFileUse } from './content-files.ts';
import type { ArticleContext } from './context.ts';
import {
  DEFAULT_PLACEHOLDER_COVERS,
  firstBodyImage,
  resolveCover,
  swappedImages,
} from './cover.ts';
import { expandHexoAssetTags } from './hexo-asset-tags.ts';
import { expandHugoShortcodes } from './hugo-shortcodes.ts';
import {
  DEFAULT_MAX_NESTING_DEPTH,
  limitMarkdownListDepth,
  limitMarkdownQuoteDepth,
  limitNestingDepth,
} from './limit-nesting.ts';
import { expandLiquidUrls } from './liquid-urls.ts';
import { NEWS_SCHEMA } from './news-schema.ts';
import { outboundLinks } from './outbound-links.ts';
import { rehypeAlignmentClass } from './rehype-alignment-class.ts';
import { rehypeCaptionFromAlt } from './rehype-caption-from-alt.ts';
import { rehypeDemoteHeadings } from './rehype-demote-headings.ts';
import { rehypeDropEmptyFigures } from './rehype-drop-empty-figures.ts';
import { rehypeDropFormWidgets } from './rehype-drop-form-widgets.ts';
import { rehypeEmbedSandbox } from './rehype-embed-sandbox.ts';
import { rehypeEmbeds } from './rehype-embeds.ts';
import { rehypeFragmentLinks } from './rehype-fragment-links.ts';
import { rehypeImageLoading } from './rehype-image-loading.ts';
import { rehypeLazyImages } from './rehype-lazy-images.ts';
import { rehypeLinkRel } from './rehype-link-rel.ts';
import { rehypeNoscriptImages } from './rehype-noscript-images.ts';
import { rehypeParseFragment } from './rehype-parse-fragment.ts';
import { rehypeResolveImageUrls } from './rehype-resolve-image-urls.ts';
import { rehypeResolveLinks } from './rehype-resolve-links.ts';
import { rehypeSpaceAdjacentLinks } from './rehype-space-adjacent-links.ts';
import { rehypeStripSourceHeading } from './rehype-strip-source-heading.ts';
import { rehypeTaskListMarks } from './rehype-task-list-marks.ts';
import { rehypeTidyBlankLines } from './rehype-tidy-blank-lines.ts';
import { rehypeUniqueIds } from './rehype-unique-ids.ts';
import { rehypeUnnest } from './rehype-unnest.ts';
import { rehypeUnprefixIds } from './rehype-unprefix-ids.ts';
import { rehypeUnwrapCellButtons } from './rehype-unwrap-cell-buttons.ts';
import { remarkHeadingIds } from './remark-heading-ids.ts';
import { bodyText, collapseWhitespace, makeExcerpt, measureText, plainText } from './text.ts';
import {
  articleBase,
  BUILTIN_IMAGE_REWRITES,
  cleanUrl,
  compileRewriteRules,
  type ImageUrlContext,
  isSafeUrl,
  MEDIA_SCHEMES,
  normalizeSourceUrl,
  withoutCredentials,
} from './url.ts';

export type { MirrorOptions, MirrorResult } from './mirror-images.ts';
export { applyImageReplacements, collectRemoteImages, mirrorImages } from './mirror-images.ts';
export { isLocalPath } from './url.ts';

export type BodyTransformer = (article: LoadedArticle) => {
  body: TransformedBody;
  diagnostics: Diagnostic[];
};

/** Problems with `images.rewrite` (invalid expressions), for the build to report once. */
export function checkImageRewriteRules(
  config: SiteConfig,
  file = 'gazette.config.yml',
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  compileRewriteRules(config.images.rewrite, (rule, error) =>
    diagnostics.push({
      severity: 'error',
      file,
      message: `images.rewrite: ${JSON.stringify(rule.match)} is not a valid regular expression (${error})`,
    }),
  );
  return diagnostics;
}

/** Scheme-checks a front-matter source URL: absolute http(s) only, without credentials. */
export function checkSourceUrl(raw: string | undefined): string | undefined {
  const cleaned = raw === undefined ? '' : cleanUrl(raw);
  if (!cleaned || !isSafeUrl(cleaned, MEDIA_SCHEMES) || !/^https?:\/\//i.test(cleaned))
    return undefined;
  try {
    return withoutCredentials(new URL(cleaned)).href;
  } catch {
    return undefined;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** Last resort when a body defeats the pipeline: its text, escaped, one paragraph per block. */
const HTML_TAIL_START = /^<(div|section|article|main|table|figure|blockquote)\b[^>]{0,2000}>/gim;

/**
 * Splits a Markdown body whose rest, from a line opening a block element to the end, is one
 * HTML element (as Jekyll scrapers write: a link to the source, a rule, then `<div>…</div>`).
 * Undefined when the body is not shaped so. The first such line is taken that has only HTML
 * paragraphs after it and opens the element the body ends with: a figure a shortcode put in
 * the preamble is not the tail (one pass over the body, whatever it holds).
 */
export function splitHtmlTail(body: string): { markdown: string; html: string } | undefined {
  // Looked for in the last characters only: no pattern runs over the whole body for it.
  const end = /<\/([A-Za-z]+)>$/.exec(body.trimEnd().slice(-64));
  if (!end) return undefined;
  const closing = end[1]!.toLowerCase();
  // Markdown would read a paragraph after a blank line as Markdown, not as part of the HTML:
  // the tail starts after the last paragraph that is not HTML.
  let textStart = 0;
  let paragraphStart = 0;
  const boundary = /\n[ \t]*\n/g;
  for (;;) {
    const next = boundary.exec(body);
    const paragraphEnd = next ? next.index : body.length;
    if (
      !/^\s*(?:<|$)/.test(body.slice(paragraphStart, Math.min(paragraphEnd, paragraphStart + 400)))
    )
      textStart = paragraphStart;
    if (!next) break;
    paragraphStart = next.index + next[0].length;
  }
  HTML_TAIL_START.lastIndex = textStart;
  for (let match = HTML_TAIL_START.exec(body); match; match = HTML_TAIL_START.exec(body)) {
    if (match[1]!.toLowerCase() !== closing) continue;
    return { markdown: body.slice(0, match.index), html: body.slice(match.index) };
  }
  return undefined;
}

function plainTextFallback(body: string): string {
  const text = body
    .replace(/<(script|style|template|noscript|textarea|title|xmp)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>?/g, '\n');
  return text
    .split(/\n\s*\n+/)
    .map((paragraph) => collapseWhitespace(paragraph))
    .filter((paragraph) => paragraph !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`)
    .join('\n');
}

/** Plain text of a front-matter description, which scrapers often fill with HTML. */
const descriptionParser = unified().use(rehypeParse, { fragment: true }).freeze();

function descriptionText(description: string): string {
  if (!/[<&]/.test(description)) return description;
  return plainText(descriptionParser.parse(limitNestingDepth(description).html));
}

const requireModule = createRequire(import.meta.url);

/**
 * A Liquid or Hexo tag (`{% include ad.html %}`, `{% post_link a %}`), a Hugo shortcode
 * (`{{< tweet … >}}`, `{{% note %}}`) or a Liquid object (`{{ page.title }}`) left in a moved
 * archive's posts.
 */
const FOREIGN_TEMPLATE_TAG =
  /\{%-?[ \t]{0,20}[a-zA-Z_][\w-]{0,40}[^%\n]{0,200}%\}|\{\{[<%][ \t]{0,20}\/?[ \t]{0,20}[\w-]{1,40}[^}\n]{0,200}[>%]\}\}|\{\{-?[ \t]{0,20}(?:site|page|post|paginator|layout|include)\.[\w.]{1,60}[^}\n]{0,200}\}\}/;

/** Hexo's and Jekyll's excerpt mark, `<!-- more -->` (also written `<!--more-->`). */
const MORE_MARK = /<!--\s*more\s*-->/i;
const MORE_MARK_LINE = /^[ \t]{0,3}<!--\s*more\s*-->[ \t]*$/im;

/**
 * Markdown to hast, raw HTML kept for the sanitizer. The Markdown stack (micromark and its
 * extensions) takes a tenth of a second to load, which a rebuild of a few HTML articles
 * need not pay: it is loaded, synchronously (`require` of ES modules, Node 20.19+), when
 * the first Markdown body arrives.
 */
/** A Markdown parser whose footnotes are labelled in `words`' language. */
function createMarkdownParser(words: ArticleWords) {
  const { default: remarkParse } = requireModule('remark-parse') as typeof import('remark-parse');
  const { default: remarkGfm } = requireModule('remark-gfm') as typeof import('remark-gfm');
  const { default: remarkCjkFriendly } = requireModule(
    'remark-cjk-friendly',
  ) as typeof import('remark-cjk-friendly');
  const { default: remarkRehype } = requireModule(
    'remark-rehype',
  ) as typeof import('remark-rehype');
  const { default: rehypeRaw } = requireModule('rehype-raw') as typeof import('rehype-raw');
  const { default: rehypeSlug } = requireModule('rehype-slug') as typeof import('rehype-slug');
  return (
    unified()
      .use(remarkParse)
      .use(remarkGfm)
      // CommonMark leaves `**「引号」**。` as asterisks (punctuation beside CJK text breaks its
      // emphasis rules); Chinese and Japanese Markdown writes it so all the time.
      .use(remarkCjkFriendly)
      .use(remarkHeadingIds)
      // Ids are prefixed by the sanitizer; remark-rehype must not prefix them a second time.
      .use(remarkRehype, {
        allowDangerousHtml: true,
        clobberPrefix: '',
        footnoteLabel: words.footnotes,
        footnoteBackLabel: (referenceIndex, rereferenceIndex) =>
          words.backToReference.replace(
            '{n}',
            `${referenceIndex + 1}${rereferenceIndex > 1 ? `-${rereferenceIndex}` : ''}`,
          ),
      })
      .use(rehypeRaw)
      // Headings get ids as kramdown and GitHub give them, which the pages' `#fragment`
      // links were written against.
      .use(rehypeSlug)
      .use(rehypeTaskListMarks)
      .freeze()
  );
}

type MarkdownParser = ReturnType<typeof createMarkdownParser>;

/**
 * Builds the unified processors once; the returned function transforms one article,
 * synchronously, and never throws: problems become diagnostics.
 */
export interface BodyTransformerOptions {
  /**
   * Root-relative paths of the site's own static files (`/images/a.png`, from `public/`). Such
   * a URL in a body or cover stays site-local even when the article has a source URL.
   */
  siteFiles?: ReadonlySet<string>;
  /**
   * Media files of the content folder (content-relative paths): a relative URL naming one,
   * from the article's folder, is published with the site (see content-files.ts).
   */
  contentFiles?: ReadonlySet<string>;
}

export function createBodyTransformer(
  config: SiteConfig,
  options: BodyTransformerOptions = {},
): BodyTransformer {
  const allowHosts = config.embeds.allowHosts;
  const rewrite = compileRewriteRules([...BUILTIN_IMAGE_REWRITES, ...config.images.rewrite]);

  const htmlParser = unified().use(rehypeParseFragment).freeze();
  // One per language the articles are in (made when first needed: most archives are HTML).
  const markdownParsers = new Map<ArticleWords, MarkdownParser>();
  const markdownFor = (language: string) => {
    const words = articleWords(language);
    let parser = markdownParsers.get(words);
    if (!parser) {
      parser = createMarkdownParser(words);
      markdownParsers.set(words, parser);
    }
    return parser;
  };
  const bodyPipeline = unified()
    // resolve
    .use(rehypeStripSourceHeading)
    .use(rehypeLazyImages)
    .use(rehypeNoscriptImages)
    .use(rehypeResolveImageUrls)
    .use(rehypeResolveLinks)
    .use(rehypeEmbeds, { allowHosts })
    .use(rehypeAlignmentClass)
    // sanitize
    .use(rehypeUnprefixIds)
    .use(rehypeDropFormWidgets)
    .use(rehypeUnwrapCellButtons)
    .use(rehypeSanitize, NEWS_SCHEMA)
    // post-sanitize
    .use(rehypeUnnest)
    .use(rehypeCaptionFromAlt)
    .use(rehypeDropEmptyFigures)
    .use(rehypeDemoteHeadings)
    .use(rehypeUniqueIds)
    .use(rehypeSpaceAdjacentLinks)
    .use(rehypeTidyBlankLines)
    .use(rehypeImageLoading)
    .use(rehypeLinkRel)
    .use(rehypeEmbedSandbox, { allowHosts })
    .use(rehypeFragmentLinks)
    .use(rehypeStringify)
    .freeze();

  /**
   * The body as hast, and the Markdown tree of its Markdown part (where its code is, for the
   * checks that must not take an example in code for the post's own).
   */
  const parseMarkdown = (
    body: string,
    file: VFile,
    language: string,
  ): { tree: Root; markdownTree: MdastRoot } => {
    const markdown = markdownFor(language);
    const split = splitHtmlTail(body);
    if (!split) {
      const markdownTree = markdown.parse(file);
      return { tree: markdown.runSync(markdownTree, file) as Root, markdownTree };
    }
    // Scrapers put a short Markdown preamble before the page's HTML: only the preamble is
    // Markdown, and parsing the HTML once (not through remark and again) halves the cost.
    const preamble = new VFile({ path: file.path, value: split.markdown });
    const markdownTree = markdown.parse(preamble);
    const head = markdown.runSync(markdownTree, preamble) as Root;
    const tail = htmlParser.parse(split.html);
    return { tree: { type: 'root', children: [...head.children, ...tail.children] }, markdownTree };
  };

  /**
   * Where a Markdown body's code is, as it will be parsed: its Markdown part only (an HTML
   * tail's indented markup is no code block), for tags expanded before the body is parsed.
   */
  const markdownCodeFor = (language: string): MarkdownCodeRanges => {
    // Asked by each kind of tag of one body: parsed once while the body is the same.
    let last: { body: string; ranges: [number, number][] } | undefined;
    return (body) => {
      if (last?.body !== body) {
        const split = splitHtmlTail(body);
        const tree = markdownFor(language).parse(split ? split.markdown : body);
        last = { body, ranges: codeRanges(tree) };
      }
      return last.ranges;
    };
  };

  return (article) => {
    const diagnostics: Diagnostic[] = [];
    const warn = (message: string, line?: number) =>
      diagnostics.push({
        severity: 'warning',
        file: article.relativePath,
        ...(line === undefined ? {} : { line }),
        message,
      });
    const bodyLine = article.bodyLine || 1;

    const sourceUrl = checkSourceUrl(article.sourceUrl);
    if (article.sourceUrl?.trim() && !sourceUrl) {
      warn(
        `source URL ${JSON.stringify(article.sourceUrl.slice(0, 200))} is not an http(s) URL; ignored`,
      );
    }
    const base = articleBase(sourceUrl, config.images.sourceBase);
    const images: ImageUrlContext = {
      ...(base ? { base } : {}),
      upgradeHttp: config.images.upgradeHttp,
      rewrite,
      ...(options.siteFiles ? { siteFiles: options.siteFiles } : {}),
      ...(options.contentFiles?.size
        ? {
            content: contentFileLookup(
              article.relativePath,
              options.contentFiles,
              base === undefined,
            ),
          }
        : {}),
    };
    const context: ArticleContext = {
      title: article.title ?? '',
      language: article.lang ?? config.language,
      ...(sourceUrl ? { sourceUrl } : {}),
      ...(images.base ? { base: images.base } : {}),
      images,
    };

    let html = '';
    let tree: Root = { type: 'root', children: [] };
    let replacedImageSources: Map<string, string> | undefined;
    /** The text before a `<!-- more -->` mark, which Hexo and Jekyll posts end excerpts with. */
    let textBeforeMore: string | undefined;
    try {
      const limited = limitNestingDepth(String(article.body ?? ''), DEFAULT_MAX_NESTING_DEPTH);
      let body = limited.html;
      if (limited.removedTags > 0) {
        warn(
          `body nests elements more than ${DEFAULT_MAX_NESTING_DEPTH} deep; ${limited.removedTags} tags beyond that depth were removed (their text is kept)`,
          limited.firstLine === undefined ? undefined : bodyLine + limited.firstLine - 1,
        );
      }
      if (article.format === 'markdown')
        body = limitMarkdownListDepth(limitMarkdownQuoteDepth(body, DEFAULT_MAX_NESTING_DEPTH));
      // Other generators' tags whose meaning needs no generator (a page bundle's pictures).
      const markdownCode = markdownCodeFor(context.language);
      body = expandCodeBlockTags(body, article.format);
      body = expandLiquidUrls(body, article.format, markdownCode);
      body = expandHexoAssetTags(body, article.format, markdownCode);
      body = expandHugoShortcodes(body, article.format, markdownCode);
      const file = new VFile({ path: article.relativePath, value: body });
      file.data.article = context;
      let markdownTree: MdastRoot | undefined;
      let parsed: Root;
      if (article.format === 'markdown') {
        ({ tree: parsed, markdownTree } = parseMarkdown(body, file, context.language));
      } else {
        parsed = htmlParser.parse(file);
      }
      tree = bodyPipeline.runSync(parsed, file);
      html = bodyPipeline.stringify(tree, file);
      // The body with its code blanked, made only when a tag or mark may be there at all.
      let masked: string | undefined;
      const withoutCode = () => {
        masked ??= article.format === 'markdown' ? maskCode(body) : maskHtmlCode(body);
        return masked;
      };
      let tag = /\{[%{]/.test(body) ? FOREIGN_TEMPLATE_TAG.exec(withoutCode()) : null;
      // One the patterns left may be in indented code, which only the parser tells (the
      // Markdown part's: an HTML tail's indented markup is no code).
      if (tag && markdownTree) {
        const code = codeRanges(markdownTree);
        tag = FOREIGN_TEMPLATE_TAG.exec(maskRanges(maskHtmlCode(body, false), code));
      }
      if (tag) {
        // Its line in the file, where the tag is as written (the body was expanded since).
        const written = String(article.body ?? '');
        const writtenOutsideCode =
          article.format === 'markdown' ? maskCode(written) : maskHtmlCode(written);
        const outside = writtenOutsideCode.indexOf(tag[0]);
        const at = outside >= 0 ? outside : written.indexOf(tag[0]);
        const line =
          at < 0 ? undefined : bodyLine + (written.slice(0, at).match(/\n/g)?.length ?? 0);
        warn(
          `body has a template tag of another site generator (${JSON.stringify(tag[0].slice(0, 40))}), which Gazette never runs: it is shown as text`,
          line,
        );
      }
      // In Markdown, a mark of its own line outside code (`<!-- more -->` in a sentence about
      // Hexo is an example); in HTML, a comment wherever it is.
      // A post may name its own mark, as Jekyll's `excerpt_separator` does (`<!--cut-->`).
      const separator = article.extra.excerpt_separator;
      const ownMark =
        typeof separator === 'string' && separator.trim() && separator.length <= 200
          ? separator.trim()
          : undefined;
      let moreIndex: number | undefined;
      if (!article.description?.trim() && ownMark) {
        // Outside code; in HTML, comments kept (the mark is often one).
        const index = (
          article.format === 'markdown' ? withoutCode() : maskHtmlCode(body, false)
        ).indexOf(ownMark);
        if (index >= 0) moreIndex = index;
      } else if (!article.description?.trim() && MORE_MARK.test(body)) {
        moreIndex = (
          article.format === 'markdown' ? MORE_MARK_LINE.exec(withoutCode()) : MORE_MARK.exec(body)
        )?.index;
      }
      if (moreIndex !== undefined) {
        // The part before the mark, made as the whole body is (a comment is all the mark is,
        // and the sanitizer drops comments); its warnings are the body's, already given.
        const head = new VFile({ path: article.relativePath, value: body.slice(0, moreIndex) });
        head.data.article = context;
        const headTree =
          article.format === 'markdown'
            ? parseMarkdown(String(head.value), head, context.language).tree
            : htmlParser.parse(head);
        textBeforeMore = bodyText(bodyPipeline.runSync(headTree, head));
      }
      replacedImageSources = file.data.replacedImageSources;
      // What plugins found wrong with the body but could mend (`file.message`).
      for (const message of file.messages) warn(message.reason);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warn(`body could not be transformed (${reason}); it is shown as plain text`, bodyLine);
      html = plainTextFallback(String(article.body ?? ''));
      tree = fromHtml(html, { fragment: true });
    }

    const text = bodyText(tree);
    const measures = measureText(text);
    const description = article.description?.trim();
    const excerptSource = description ? descriptionText(description) : (textBeforeMore ?? text);
    const firstImage = firstBodyImage(tree);
    const { cover, coverInBody, problem } = resolveCover(
      article.cover,
      firstImage,
      images,
      DEFAULT_PLACEHOLDER_COVERS,
      swappedImages(replacedImageSources, images),
    );
    if (problem) warn(problem);

    const body: TransformedBody = {
      html,
      excerpt: makeExcerpt(excerptSource, config.excerptLength),
      readingMinutes: measures.readingMinutes,
      coverInBody,
      textLength: measures.length,
      ...(cover ? { cover } : {}),
      ...(sourceUrl ? { sourceUrl } : {}),
      ...contentFileUse(images.content, tree, cover?.src),
    };
    const sourceKey = sourceUrl ? normalizeSourceUrl(sourceUrl) : undefined;
    if (sourceKey) body.sourceKey = sourceKey;
    if (!article.lang && measures.cjkLanguage) body.language = measures.cjkLanguage;
    const links = outboundLinks(tree);
    if (links) body.links = links;
    return { body, diagnostics };
  };
}
