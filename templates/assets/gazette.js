// Gazette default theme: small progressive enhancements. Pages work fully without this file.

// Scraped articles hot-link images that often vanish or refuse foreign visitors; a broken
// picture is hidden (its figure caption too) rather than shown as an empty frame.
function markBroken(image) {
  image.classList.add('is-broken');
  // The box around it goes too once nothing is left to show: a figure (with its caption) or a
  // centred picture paragraph, and any other paragraph or centring box that holds no text.
  const box = image.closest('figure, .prose p, .prose .align-center');
  if (!box || box.querySelector('img:not(.is-broken), iframe, video, audio')) return;
  if (box.matches('figure, p.align-center') || !box.textContent.trim())
    box.classList.add('is-broken');
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

// Scraped bodies space paragraphs out with blank ones (<p>&nbsp;</p>), and put <br> next to
// blocks, where each one only adds an empty line. Neither can be matched by CSS alone.
for (const paragraph of document.querySelectorAll('.prose p')) {
  if (!paragraph.textContent.trim() && !paragraph.querySelector('img, iframe, video, audio, svg'))
    paragraph.classList.add('is-blank');
}

const BLOCK = /^(P|DIV|FIGURE|TABLE|UL|OL|BLOCKQUOTE|H[1-6]|PRE|HR|SECTION|IFRAME|VIDEO)$/;
function neighbour(node, direction) {
  let sibling = node[direction];
  // Skip white space and comments: they put nothing on the line.
  while (
    sibling &&
    (sibling.nodeType === Node.COMMENT_NODE ||
      (sibling.nodeType === Node.TEXT_NODE && !sibling.textContent.trim()))
  )
    sibling = sibling[direction];
  return sibling;
}
for (const br of document.querySelectorAll('.prose br')) {
  const before = neighbour(br, 'previousSibling');
  const after = neighbour(br, 'nextSibling');
  // A break is idle when no text precedes it on its line: right after a block, or first in one.
  const idleBefore =
    !before || BLOCK.test(before.nodeName) || before.classList?.contains('is-blank');
  if (idleBefore || (after && BLOCK.test(after.nodeName))) br.classList.add('is-blank');
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
