import { describe, expect, it } from 'vitest';
import { rehypeDropFormWidgets } from '../../src/transform/rehype-drop-form-widgets.ts';
import { runPlugins, transformHtml } from './helpers.ts';

const drop = (html: string) => runPlugins(html, [rehypeDropFormWidgets]);

// CNA's newsletter sign-up, as scraped between two paragraphs of 138 corpus articles.
const CNA_SIGN_UP =
  "<div class='SubscriptionInner'><div class='subscriInnTitle'>訂閱《早安世界》電子報 每天3分鐘掌握10件天下事</div>" +
  "<div class='subsinput'><input type='text' placeholder='請輸入電子信箱'><div class='errorMsg'>" +
  "<img src='https://imgcdn.cna.com.tw/www/website/img/error.svg' alt=''> 請輸入正確的電子信箱格式</div></div>" +
  "<a class='subslink' href='javascript:'>訂閱</a><div class='endMsg'><div>感謝您的訂閱！</div></div></div>";

describe('rehypeDropFormWidgets', () => {
  it("drops a newsletter sign-up with its words, the story's paragraphs around it kept", () => {
    const { body } = transformHtml(`<p>第一段。</p>${CNA_SIGN_UP}<p>第二段。</p>`);
    expect(body.html).toBe('<p>第一段。</p><p>第二段。</p>');
  });

  it('drops a short form and a search box, not the paragraph a field sits in', () => {
    expect(
      drop('<p>Before.</p><form><label>Email <input name="e"></label></form><p>After.</p>'),
    ).toBe('<p>Before.</p><p>After.</p>');
    const story = 'The council met on Tuesday and agreed the budget after a long debate. '.repeat(
      4,
    );
    expect(drop(`<div><p>${story}</p><span><input type="search"> Search</span></div>`)).toBe(
      `<div><p>${story}</p></div>`,
    );
  });

  it('keeps an article kept inside a page-wide form, and task-list checkboxes', () => {
    const story = '<p>市政府周二宣布新的交通计划，涉及全市十二条公交线路的调整。</p>'.repeat(5);
    expect(drop(`<form id="aspnetForm">${story}<input type="hidden" name="x"></form>`)).toBe(
      `<form id="aspnetForm">${story}<input type="hidden" name="x"></form>`,
    );
    const tasks = '<ul><li><input type="checkbox" disabled> Done</li><li>Open</li></ul>';
    expect(drop(tasks)).toBe(tasks);
  });

  it('keeps a short item or gallery that a form sits in: only the field goes', () => {
    const gallery =
      '<div class="gallery"><img src="https://example.com/a.jpg" alt="Flooded street"><img src="https://example.com/b.jpg" alt="Rescue boat"><span>Photos: Reuters</span><input type="search" placeholder="Search photos"></div>';
    expect(drop(gallery)).toBe(gallery.replace(/<input[^>]*>/, ''));
    const flash =
      '<div><p>央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。</p><form><input type="email" placeholder="订阅"></form></div>';
    expect(drop(flash)).toBe(
      '<div><p>央行宣布下调存款准备金率0.5个百分点，释放长期资金约1万亿元。</p></div>',
    );
    const formAroundStory = '<form><p>Short story.</p><input type="text"></form>';
    expect(drop(formAroundStory)).toBe('<form><p>Short story.</p></form>');
  });

  it("removes a table's filter menu but not the heading it sits in", () => {
    expect(
      drop(
        '<table><thead><tr><th>Country <select><option>All</option></select></th><th>Cases</th></tr></thead></table>',
      ),
    ).toBe('<table><thead><tr><th>Country </th><th>Cases</th></tr></thead></table>');
  });

  it('measures each element once: thousands of fields deep in a page stay a quick widget', () => {
    // Measuring every ancestor again for each field took 18 s for 2,000 fields at this depth
    // (20,000 did not finish in two minutes); within the test's time limit only if linear.
    const fields = '<input>'.repeat(20_000);
    const html = `<p>Story.</p>${'<div>'.repeat(150)}${fields}${'</div>'.repeat(150)}`;
    expect(drop(html)).toBe('<p>Story.</p>');
  });
});
