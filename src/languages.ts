/**
 * The languages Gazette's own words are in, and the few words it writes into an article
 * itself when the source lacks them. Those are part of the article (its title, its body), so
 * they follow the article's `lang`, else the site's `language`; the theme's words, which
 * follow the site, are in `render/interface-words.ts` and `templates/partials/strings.njk`.
 */
export type InterfaceLanguage = 'zh-Hans' | 'zh-Hant' | 'ja' | 'ko' | 'en';

/** Traditional Chinese for zh-TW, zh-HK, zh-MO and zh-Hant; Simplified for any other zh. */
export function interfaceLanguage(tag: string): InterfaceLanguage {
  // Front matter writes `zh_TW` as often as `zh-TW`.
  const lower = tag.toLowerCase().replaceAll('_', '-');
  const [base] = lower.split('-');
  if (base === 'zh') {
    const traditional = lower.includes('hant') || ['zh-tw', 'zh-hk', 'zh-mo'].includes(lower);
    return traditional ? 'zh-Hant' : 'zh-Hans';
  }
  return base === 'ja' || base === 'ko' ? base : 'en';
}

export interface ArticleWords {
  /** Title of an article with none in its front matter, body or file name. */
  untitled: string;
  /** Text of the link left for an iframe that is not kept, and title of one that is; `{host}` is its host. */
  embeddedContent: string;
  /** Heading (for screen readers) of a Markdown body's footnotes. */
  footnotes: string;
  /** Label of a footnote's link back to where it is cited; `{n}` is the citation's number. */
  backToReference: string;
}

const ARTICLE_WORDS: Record<InterfaceLanguage, ArticleWords> = {
  'zh-Hans': {
    untitled: '无标题',
    embeddedContent: '嵌入内容：{host}',
    footnotes: '脚注',
    backToReference: '返回引用 {n}',
  },
  'zh-Hant': {
    untitled: '無標題',
    embeddedContent: '嵌入內容：{host}',
    footnotes: '註腳',
    backToReference: '返回引用 {n}',
  },
  ja: {
    untitled: '無題',
    embeddedContent: '埋め込みコンテンツ：{host}',
    footnotes: '脚注',
    backToReference: '参照 {n} に戻る',
  },
  ko: {
    untitled: '제목 없음',
    embeddedContent: '삽입된 콘텐츠: {host}',
    footnotes: '각주',
    backToReference: '참조 {n}(으)로 돌아가기',
  },
  en: {
    untitled: 'Untitled',
    embeddedContent: 'embedded content: {host}',
    footnotes: 'Footnotes',
    backToReference: 'Back to reference {n}',
  },
};

/** The words for an article in the language `tag` (its `lang`, else the site's). */
export function articleWords(tag: string): ArticleWords {
  return ARTICLE_WORDS[interfaceLanguage(tag)];
}

/** The site's description when the config gives none, in the site's language. */
const SITE_DESCRIPTIONS: Record<InterfaceLanguage, string> = {
  'zh-Hans': '新闻文章存档',
  'zh-Hant': '新聞文章存檔',
  ja: 'ニュース記事のアーカイブ',
  ko: '뉴스 기사 아카이브',
  en: 'An archive of news articles',
};

export function defaultSiteDescription(language: string): string {
  return SITE_DESCRIPTIONS[interfaceLanguage(language)];
}
