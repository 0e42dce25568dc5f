import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.ts';
import { createBodyTransformer } from '../../src/transform/index.ts';
import { rehypeCaptionFromAlt } from '../../src/transform/rehype-caption-from-alt.ts';
import { rehypeDemoteHeadings } from '../../src/transform/rehype-demote-headings.ts';
import { rehypeDropEmptyFigures } from '../../src/transform/rehype-drop-empty-figures.ts';
import { rehypeSpaceAdjacentLinks } from '../../src/transform/rehype-space-adjacent-links.ts';
import { rehypeStripSourceHeading } from '../../src/transform/rehype-strip-source-heading.ts';
import { rehypeTidyBlankLines } from '../../src/transform/rehype-tidy-blank-lines.ts';
import { rehypeUniqueIds } from '../../src/transform/rehype-unique-ids.ts';
import { htmlArticle } from './corpus-article.ts';
import { context, runPlugins, transformHtml } from './helpers.ts';

describe('rehypeTidyBlankLines', () => {
  it.each([
    ['<p>&nbsp;</p><p>Text</p>', '<p>Text</p>'],
    ['<p><br></p><p>Text</p><p>\u3000 </p>', '<p>Text</p>'],
    ['<div>A</div><br><div>B</div>', '<div>A</div><div>B</div>'],
    ['<p>one<br><br></p>', '<p>one</p>'],
    ['<div><br>text</div>', '<div>text</div>'],
    ['<p>line one<br>line two</p>', '<p>line one<br>line two</p>'],
    ['<p>line one<br><br>line two</p>', '<p>line one<br><br>line two</p>'],
    ['text<br><br><div>block</div>', 'text<div>block</div>'],
    ['<p><img src="a.png"></p>', '<p><img src="a.png"></p>'],
  ])('%s → %s', (input, expected) => {
    expect(runPlugins(input, [rehypeTidyBlankLines])).toBe(expected);
  });
});

describe('rehypeStripSourceHeading with repeated headlines', () => {
  it.each([
    ['<div><h1>The Title</h1><p>Body</p></div>', '<div><p>Body</p></div>'],
    ['<h2> the  title </h2><p>Body</p>', '<p>Body</p>'],
    ['<div><p>Intro</p><h1>The Title</h1></div>', '<div><p>Intro</p><h1>The Title</h1></div>'],
    ['<h1>Another heading</h1>', '<h1>Another heading</h1>'],
    // The scraper's linked title, then the page's own headline (BBC pages): both go.
    [
      '<h2><a href="https://example.com/a">The Title</a></h2><div><div><h1>The Title</h1></div><p>Body</p></div>',
      '<div><div></div><p>Body</p></div>',
    ],
    // Only two: a third repeat is the article's own text.
    ['<h2>The Title</h2><h2>The Title</h2><h2>The Title</h2>', '<h2>The Title</h2>'],
  ])('%s → %s', (input, expected) => {
    expect(runPlugins(input, [rehypeStripSourceHeading], context({ title: 'The Title' }))).toBe(
      expected,
    );
  });
});
describe('rehypeStripSourceHeading in a whole saved page', () => {
  it("finds the headline after what the page's <head> leaves", () => {
    const transform = createBodyTransformer(defaultConfig());
    const { body } = transform(
      htmlArticle(
        '<!DOCTYPE html><html><head><title>Doc With Head</title><meta charset="utf-8"></head><body><h1>Doc With Head</h1><p>P.</p></body></html>',
        { title: 'Doc With Head' },
      ),
    );
    expect(body.html).toBe('<p>P.</p>');
    expect(body.excerpt).toBe('P.');
  });
});

describe('sanitizing twice', () => {
  it.each([
    ['<A#<p>'],
    ['<p id="user-content-notes">x</p><a href="#notes">n</a>'],
    ['<a name="x">a</a>'],
  ])('is a fixed point for %s', (html) => {
    const once = transformHtml(html).body.html;
    expect(transformHtml(once).body.html).toBe(once);
  });
});

describe('buttons', () => {
  it('keep their text as a table heading, and go with it elsewhere', () => {
    const html = transformHtml(
      '<table><thead><tr><th><button aria-label="分類">死亡個案</button></th></tr></thead></table>' +
        '<p>Text<button>Share</button></p>',
    ).body.html;
    expect(html).toContain('<th>死亡個案</th>');
    expect(html).not.toContain('Share');
    expect(html).not.toContain('button');
  });
});

describe('rehypeDropEmptyFigures', () => {
  it.each([
    ['<figure></figure><p>Text</p>', '<p>Text</p>'],
    ['<figure><div> </div><figcaption><span>RFI Studio</span> © RFI</figcaption></figure>', ''],
    ['<figure><img src="a.png"><figcaption>A</figcaption></figure>', null],
    ['<figure><picture><source srcset="a.webp"></picture></figure>', null],
    [
      '<figure><blockquote><p>Quoted words</p></blockquote><figcaption>— A</figcaption></figure>',
      null,
    ],
    ['<figure><a href="https://v.example/1">embedded content: v.example</a></figure>', null],
    ['<figure><table><tbody><tr><td>1</td></tr></tbody></table></figure>', null],
    ['<figure><figure></figure><img src="b.png"></figure>', '<figure><img src="b.png"></figure>'],
  ])('%s', (input, expected) => {
    expect(runPlugins(input, [rehypeDropEmptyFigures])).toBe(expected ?? input);
  });

  it('drop the caption of a picture that was dropped, in a whole transform', () => {
    // A picture with a script for its address is dropped.
    const { html } = transformHtml(
      '<p>Before.</p><figure><img src="javascript:alert(1)"><figcaption>© Photographer</figcaption></figure><p>After.</p>',
    ).body;
    expect(html).toContain('<p>After.</p>');
    expect(html).not.toContain('Photographer');
    expect(html).not.toContain('<figure');
  });
});

describe('rehypeCaptionFromAlt', () => {
  it.each([
    [
      '<figure><img src="a.jpg" alt="Protesters in the square"><figcaption></figcaption></figure>',
      '<figure><img src="a.jpg" alt=""><figcaption>Protesters in the square</figcaption></figure>',
    ],
    [
      '<figure><img src="a.jpg" alt="示威者聚集在广场上"><figcaption></figcaption></figure>',
      '<figure><img src="a.jpg" alt=""><figcaption>示威者聚集在广场上</figcaption></figure>',
    ],
    ['<figure><img src="a.jpg" alt="bbc"><figcaption></figcaption></figure>', null],
    [
      '<figure><img src="a.jpg" alt="Presentational grey line"><figcaption></figcaption></figure>',
      null,
    ],
    ['<figure><img src="a.jpg" alt="."><figcaption></figcaption></figure>', null],
    ['<figure><img src="a.jpg" alt="Alt"><figcaption>Own caption</figcaption></figure>', null],
    ['<figure><img src="a.jpg" alt=""><figcaption> </figcaption></figure>', null],
    [
      '<figure><img src="a.jpg" alt="One"><img src="b.jpg" alt="Two"><figcaption></figcaption></figure>',
      null,
    ],
    ['<figure><img src="a.jpg" alt="No caption"></figure>', null],
  ])('%s', (input, expected) => {
    expect(runPlugins(input, [rehypeCaptionFromAlt])).toBe(expected ?? input);
  });
});

describe('rehypeUniqueIds', () => {
  it.each([
    [
      '<p id="zoom">a</p><p id="zoom">b</p><p id="zoom-2">c</p><p id="zoom">d</p>',
      '<p id="zoom">a</p><p id="zoom-3">b</p><p id="zoom-2">c</p><p id="zoom-4">d</p>',
    ],
    ['<p id="a">a</p><p id="b">b</p>', null],
  ])('%s', (input, expected) => {
    expect(runPlugins(input, [rehypeUniqueIds])).toBe(expected ?? input);
  });

  it('leave the first of a repeated id where in-page links find it', () => {
    const { html } = transformHtml(
      '<p><a href="#zoom">to the picture</a></p><p id="zoom">one</p><p id="zoom">two</p>',
    ).body;
    expect(html).toContain('href="#user-content-zoom"');
    expect(html).toContain('<p id="user-content-zoom">one</p>');
    expect(html).toContain('<p id="user-content-zoom-2">two</p>');
  });
});

describe('rehypeDemoteHeadings', () => {
  it.each([
    ['<h1>Masthead</h1><h2>Part</h2><h6>Note</h6>', '<h2>Masthead</h2><h3>Part</h3><h6>Note</h6>'],
    ['<h2>Part</h2><h3>Sub</h3>', null],
  ])('%s', (input, expected) => {
    expect(runPlugins(input, [rehypeDemoteHeadings])).toBe(expected ?? input);
  });
});

describe('rehypeSpaceAdjacentLinks', () => {
  it.each([
    ['<p><a href="/a">A</a><a href="/b">B</a></p>', '<p><a href="/a">A</a> <a href="/b">B</a></p>'],
    ['<a href="/a">A</a><a href="/b">B</a>', '<a href="/a">A</a> <a href="/b">B</a>'],
    ['<p><a href="/a">A</a>、<a href="/b">B</a></p>', null],
    ['<p><a href="/a">A</a> <a href="/b">B</a></p>', null],
  ])('%s', (input, expected) => {
    expect(runPlugins(input, [rehypeSpaceAdjacentLinks])).toBe(expected ?? input);
  });
});
