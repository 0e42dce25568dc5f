// Gazette search page: mounts Pagefind's default UI into #search. Loaded after
// pagefind-ui.js (both deferred), from a file because the CSP allows no inline script.

// A block of its own: classic scripts share one global scope with the theme's gazette.js.
{
  const mount = document.getElementById('search');
  const query = new URLSearchParams(window.location.search).get('q') ?? '';

  // Pagefind shows extra metadata as "Key: value"; the date's key in the page's language.
  const DATE_LABELS = { zh: '日期', ja: '日付', ko: '날짜', en: 'Date' };
  const language = (document.documentElement.lang || 'en').toLowerCase().split('-')[0];
  const dateLabel = DATE_LABELS[language] ?? 'date';

  // The newest month's articles have a bundle of their own, searched together with the archive's.
  const mergeIndex = (mount?.dataset.mergeBundles ?? '')
    .split(' ')
    .filter(Boolean)
    .map((bundlePath) => ({ bundlePath }));

  // Pagefind falls back to parts of words in each bundle with no exact match, so 乌鲁木齐
  // (Urumqi) would also list every article of another year with 乌 in it. A query that is one
  // word in Chinese, Japanese or Korean script is searched quoted, which Pagefind does
  // exactly, with no such fallback. Only one word: Pagefind searches a quoted query as one
  // phrase, so two words (乌鲁木齐 旅客, or typed together) would have to be adjacent; and not
  // Latin words, which quoted would no longer find the words they begin as they are typed
  // ("herd" finds "Herders").
  const ONE_CJK_RUN = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;
  const words =
    typeof Intl.Segmenter === 'function'
      ? new Intl.Segmenter(document.documentElement.lang || 'zh', { granularity: 'word' })
      : undefined;
  const isOneWord = (text) =>
    words !== undefined && [...words.segment(text)].filter((part) => part.isWordLike).length === 1;
  const exactCjk = (term) => {
    const query = term.trim();
    return ONE_CJK_RUN.test(query) && isOneWord(query) ? `"${query}"` : term;
  };

  if (mount && typeof window.PagefindUI === 'function') {
    const ui = new window.PagefindUI({
      mergeIndex,
      processTerm: exactCjk,
      element: '#search',
      showImages: true,
      showSubResults: false,
      excerptLength: 40,
      autofocus: query === '',
      processResult(result) {
        if (result.meta?.date && dateLabel !== 'date') {
          result.meta[dateLabel] = result.meta.date;
          delete result.meta.date;
        }
        return result;
      },
    });
    // Pagefind brings its own search box; the plain form stays for visitors without JavaScript.
    const form = document.querySelector('.search-form');
    // (style, not only `hidden`: the theme's stylesheet gives the form a display of its own.)
    if (form instanceof HTMLElement) {
      form.hidden = true;
      form.style.display = 'none';
    }
    if (query) ui.triggerSearch(query);

    // Keep ?q= in step with the box, so a search can be bookmarked or shared.
    mount.addEventListener('input', (event) => {
      const input = event.target;
      if (!(input instanceof HTMLInputElement)) return;
      const url = new URL(window.location.href);
      if (input.value) url.searchParams.set('q', input.value);
      else url.searchParams.delete('q');
      window.history.replaceState(null, '', url);
    });
  }
}
