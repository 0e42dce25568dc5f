/**
 * Hexo's asset tags (`{% asset_img photo.jpg A title %}`, `{% asset_path photo.jpg %}`,
 * `{% asset_link report.pdf The report %}`) name files of the post's asset folder. They are
 * the one kind of Hexo tag whose meaning needs no Hexo: each becomes the image, URL or link it
 * stands for, with the file name left relative, which the image resolution then finds beside
 * the article (content-files.ts). Tags inside code are examples and stay as written.
 */
import { asOwnBlock, type MarkdownCodeRanges, replaceOutsideCode } from './code-ranges.ts';

// One blank after the name and the arguments trimmed in code: blanks the pattern could match
// in more than one way made an unclosed tag cost 50 ms (a hostile 1 MB body, a minute).
const ASSET_TAG = /\{%-?[ \t]{0,20}(asset_img|asset_path|asset_link)[ \t]([^\n]{0,500}?)-?%\}/g;

/** Whether a body may hold an asset tag at all (most do not: no masking then). */
export function mayHaveAssetTags(body: string): boolean {
  return body.includes('{%') && /asset_(?:img|path|link)/.test(body);
}

function escapeAttribute(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

interface Argument {
  text: string;
  quoted: boolean;
}

/**
 * Arguments split on blanks, a quoted one (`"a title"`, `'a title'`) kept whole, with its
 * escaped quotes (`"A \"quoted\" title"`).
 */
function splitArguments(text: string): Argument[] {
  return [...text.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\S+)/g)].map((match) => ({
    text: match[3] ?? (match[1] ?? match[2]!).replace(/\\(.)/g, '$1'),
    quoted: match[3] === undefined,
  }));
}

/** A file name as a URL that Markdown takes whole: blanks, brackets and parentheses encoded. */
function urlOf(slug: string): string {
  return slug.replace(
    /[\s()<>[\]]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}

/**
 * `[class names] slug [width] [height] [title text [alt text]]`, as Hexo's `img` reads them:
 * the slug is the first argument that looks like a file name.
 */
function assetImage(argumentsText: string): string | undefined {
  const words = splitArguments(argumentsText);
  const slugAt = words.findIndex(({ text }) => /\.\w{1,8}$/.test(text) || text.includes('/'));
  if (slugAt < 0) return undefined;
  const classes = words.slice(0, slugAt).map(({ text }) => text);
  const rest = words.slice(slugAt + 1);
  const size: string[] = [];
  while (size.length < 2 && rest.length > 0 && /^\d+$/.test(rest[0]!.text))
    size.push(rest.shift()!.text);
  // `"title" "alt"` as two quoted words; otherwise the rest is the title and the alt.
  const titleAndAlt = rest.length === 2 && rest.every(({ quoted }) => quoted);
  const title = titleAndAlt ? rest[0]!.text : rest.map(({ text }) => text).join(' ');
  const alt = titleAndAlt ? rest[1]!.text : title;
  const attributes = [
    `src="${escapeAttribute(words[slugAt]!.text)}"`,
    `alt="${escapeAttribute(alt)}"`,
    ...(title ? [`title="${escapeAttribute(title)}"`] : []),
    ...(size[0] ? [`width="${size[0]}"`] : []),
    ...(size[1] ? [`height="${size[1]}"`] : []),
    ...(classes.length > 0 ? [`class="${escapeAttribute(classes.join(' '))}"`] : []),
  ];
  return `<img ${attributes.join(' ')}>`;
}

function expandTag(name: string, argumentsText: string): string | undefined {
  if (name === 'asset_img') return assetImage(argumentsText);
  const [slug, ...title] = splitArguments(argumentsText).map(({ text }) => text);
  if (!slug) return undefined;
  if (name === 'asset_path') return escapeAttribute(urlOf(slug));
  // asset_link: `slug [title] [escape]`.
  const text = title.filter((word) => word !== 'true' && word !== 'false').join(' ') || slug;
  return `<a href="${escapeAttribute(urlOf(slug))}">${escapeAttribute(text)}</a>`;
}

/**
 * The body with its asset tags (outside code) replaced by what they stand for (see
 * `replaceOutsideCode` for `markdownCode`).
 */
export function expandHexoAssetTags(
  body: string,
  format: 'markdown' | 'html',
  markdownCode?: MarkdownCodeRanges,
): string {
  if (!mayHaveAssetTags(body)) return body;
  return replaceOutsideCode(
    body,
    format,
    ASSET_TAG,
    (match) => {
      const html = expandTag(match[1]!, match[2]!.trim());
      // `asset_path` is a URL in a line of its own making, never a block.
      return html === undefined || format === 'html' || match[1] === 'asset_path'
        ? html
        : asOwnBlock(match, html);
    },
    markdownCode,
  );
}
