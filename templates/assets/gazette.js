// Gazette default theme: small progressive enhancements. Pages work fully without this file.

// Scraped articles hot-link images that often vanish or refuse foreign visitors; a broken
// picture is hidden (its figure caption too) rather than shown as an empty frame.
function markBroken(image) {
  image.classList.add('is-broken');
  const figure = image.closest('figure, p.align-center');
  if (figure && !figure.querySelector('img:not(.is-broken)')) figure.classList.add('is-broken');
}

document.addEventListener(
  'error',
  (event) => {
    if (event.target instanceof HTMLImageElement) markBroken(event.target);
  },
  true,
);

// Eager images may have failed before this deferred script ran. Lazy ones are skipped: Chrome
// reports a lazy image that has not started loading as complete with no size.
for (const image of document.querySelectorAll('img:not([loading="lazy"])')) {
  if (image.complete && image.naturalWidth === 0 && image.currentSrc) markBroken(image);
}

// The search form sends ?q=…; keep the words in the box when the results page opens.
const searchInput = document.getElementById('search-query');
const query = new URLSearchParams(window.location.search).get('q');
if (searchInput instanceof HTMLInputElement && query && !searchInput.value)
  searchInput.value = query;

// On narrow screens the section bar scrolls sideways; bring the current section into view.
const currentSection = document.querySelector('.site-nav__list [aria-current]');
const sectionBar = currentSection?.closest('.site-nav__list');
if (currentSection instanceof HTMLElement && sectionBar instanceof HTMLElement) {
  const overflow = currentSection.offsetLeft + currentSection.offsetWidth - sectionBar.clientWidth;
  if (overflow > 0) sectionBar.scrollLeft = overflow + 40;
}
