import { type InterfaceLanguage, interfaceLanguage } from '../languages.ts';

/**
 * The few interface words Gazette itself puts in pages (titles of the fixed pages, breadcrumb
 * names in metadata), in the languages the default theme speaks. They match the theme's own
 * words (`templates/partials/strings.njk`), which a theme may override.
 */
export interface InterfaceWords {
  home: string;
  categories: string;
  authors: string;
  tags: string;
  archives: string;
  search: string;
  notFound: string;
}

const WORDS: Record<InterfaceLanguage, InterfaceWords> = {
  'zh-Hans': {
    home: '首页',
    categories: '栏目',
    authors: '作者',
    tags: '标签',
    archives: '归档',
    search: '搜索',
    notFound: '页面不存在',
  },
  'zh-Hant': {
    home: '首頁',
    categories: '欄目',
    authors: '作者',
    tags: '標籤',
    archives: '歸檔',
    search: '搜尋',
    notFound: '頁面不存在',
  },
  ja: {
    home: 'ホーム',
    categories: 'カテゴリー',
    authors: '著者',
    tags: 'タグ',
    archives: 'アーカイブ',
    search: '検索',
    notFound: 'ページが見つかりません',
  },
  ko: {
    home: '홈',
    categories: '섹션',
    authors: '작성자',
    tags: '태그',
    archives: '보관함',
    search: '검색',
    notFound: '페이지를 찾을 수 없습니다',
  },
  en: {
    home: 'Home',
    categories: 'Sections',
    authors: 'Authors',
    tags: 'Tags',
    archives: 'Archives',
    search: 'Search',
    notFound: 'Page not found',
  },
};

export function interfaceWords(siteLanguage: string): InterfaceWords {
  return WORDS[interfaceLanguage(siteLanguage)];
}
