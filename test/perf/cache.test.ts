import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { articleCacheKey, LOCATION_KEYS, PRESENTATION_KEYS } from '../../src/cache/fingerprint.ts';
import { listedFilesPresent, startCheckingOutput } from '../../src/cache/last-build.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { DEFAULT_TEMPLATES_DIR } from '../../src/render/environment.ts';
import { buildProject, generatedProject, listFiles, makeProject } from '../helpers.ts';

const CONFIG = 'title: Cache test\nsearch:\n  enabled: false\n';

function corpusProject(count = 24, config = CONFIG): { root: string; files: string[] } {
  return generatedProject({ count, seed: 7, config });
}

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** Gives the project an article template of its own: every article page is rendered again. */
function customArticleTemplate(root: string): void {
  const templates = path.join(root, 'templates');
  mkdirSync(templates, { recursive: true });
  const article = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'article.njk'), 'utf8');
  writeFileSync(
    path.join(templates, 'article.njk'),
    article.replace('{% block main %}', '{% block main %}<!-- custom article template -->'),
  );
}

describe('the build cache', () => {
  it('gives a cached rebuild byte-identical output to a cold build', async () => {
    const { root } = corpusProject();
    const cold = await buildProject(root);
    expect(cold.ok).toBe(true);
    expect(cold.cache.articlesReused).toBe(0);
    const coldFiles = snapshot(cold.outDir);

    const cached = await buildProject(root);
    expect(cached.cache.articlesTransformed).toBe(0);
    expect(cached.cache.pagesRendered).toBe(0);
    expect(cached.filesWritten).toBe(0);
    expect(snapshot(cached.outDir)).toEqual(coldFiles);

    // A cold build elsewhere of the same content gives the same bytes too.
    const { root: other } = corpusProject();
    const again = await buildProject(other);
    expect(snapshot(again.outDir)).toEqual(coldFiles);
  });

  it('gives the same page keys wherever the project is', async () => {
    // A checkout at another path (a CI runner's) must keep the site's pages and its search
    // bundles, whose keys start from the page keys, also with templates of its own.
    const manifests = await Promise.all(
      [corpusProject(), corpusProject()].map(async ({ root }) => {
        mkdirSync(path.join(root, 'templates'));
        writeFileSync(
          path.join(root, 'templates', 'article.njk'),
          '{% extends "base.njk" %}{% block main %}{{ article.html | safe }}{% endblock %}',
        );
        const result = await buildProject(root);
        return readFileSync(path.join(result.outDir, '.gazette-output'), 'utf8');
      }),
    );
    expect(manifests[1]).toBe(manifests[0]);
  });

  it('makes articles and feeds again when a public/ file a body image names appears or goes', async () => {
    const files = {
      'pic.md':
        '---\ntitle: Picture\ndate: 2024-05-01 10:00\ncategories: [Business]\n---\n<p>Text <img src="/images/new-pic.png"></p>\n',
    };
    const config = 'baseUrl: https://example.org/\nsearch:\n  enabled: false\n';
    const root = makeProject(files, config);
    const picture = path.join(root, 'public', 'images', 'new-pic.png');
    const withPicture = async (present: boolean) => {
      if (present) {
        mkdirSync(path.dirname(picture), { recursive: true });
        writeFileSync(picture, 'png');
      } else rmSync(picture);
      const rebuilt = await buildProject(root);
      const fresh = makeProject(files, config);
      if (present) {
        mkdirSync(path.join(fresh, 'public', 'images'), { recursive: true });
        writeFileSync(path.join(fresh, 'public', 'images', 'new-pic.png'), 'png');
      }
      const cold = await buildProject(fresh);
      expect(snapshot(rebuilt.outDir)).toEqual(snapshot(cold.outDir));
      return readFileSync(path.join(rebuilt.outDir, 'feed.xml'), 'utf8');
    };
    await buildProject(root);
    expect(await withPicture(true)).toContain('/images/new-pic.png');
    expect(await withPicture(false)).not.toContain('/images/new-pic.png');
  });

  it('re-renders every page after a template changes', async () => {
    const { root, files } = corpusProject();
    await buildProject(root);
    customArticleTemplate(root);
    const result = await buildProject(root);
    expect(result.cache.articlesTransformed).toBe(0);
    expect(result.cache.pagesReused).toBe(0);
    const page = listFiles(result.outDir).find((file) => /^\d{4}\/\d\d\/\d\d\//.test(file))!;
    expect(readFileSync(path.join(result.outDir, page), 'utf8')).toContain(
      'custom article template',
    );
    expect(files.length).toBeGreaterThan(0);
  });

  it('builds again without the cache when a body in it was damaged', async () => {
    const { root, files } = corpusProject();
    await buildProject(root);
    const cacheDir = path.join(root, '.gazette-cache');
    const pack = readdirSync(cacheDir).find((name) => name.endsWith('.pack'))!;
    // One byte in the middle of the pack changed, as a disk error would (a body's text).
    const packFile = path.join(cacheDir, pack);
    const bytes = readFileSync(packFile);
    let offset = bytes.length >> 1;
    while (bytes[offset]! < 0x61 || bytes[offset]! > 0x7a) offset++;
    bytes[offset] = bytes[offset]! ^ 0x20;
    writeFileSync(packFile, bytes);
    // A template change has every page, so every body, rendered again.
    customArticleTemplate(root);

    const recovered = await buildProject(root);
    expect(recovered.ok).toBe(true);
    expect(recovered.cache.articlesTransformed).toBe(files.length);
    expect(
      recovered.diagnostics.filter((diagnostic) => diagnostic.message.includes('checksum')),
    ).toEqual([expect.objectContaining({ severity: 'warning', file: packFile })]);
    const site = snapshot(recovered.outDir);
    rmSync(recovered.outDir, { recursive: true });
    rmSync(cacheDir, { recursive: true });
    const cold = await buildProject(root);
    expect(snapshot(cold.outDir)).toEqual(site);
  });

  it('re-transforms every article after a config value changes', async () => {
    const { root, files } = corpusProject();
    await buildProject(root);
    writeFileSync(path.join(root, 'gazette.config.yml'), `${CONFIG}excerptLength: 40\n`);
    const result = await buildProject(root);
    expect(result.cache.articlesReused).toBe(0);
    expect(result.cache.articlesTransformed).toBe(files.length);
  });

  it('keeps every article when only presentation settings change, with the pages made anew', async () => {
    const { root, files } = corpusProject();
    await buildProject(root);
    const presentation = `${CONFIG.replace('Cache test', 'Renamed paper')}pageSize: 7\nfeeds:\n  items: 5\nsitemap:\n  maxUrls: 10\n`;
    writeFileSync(path.join(root, 'gazette.config.yml'), presentation);
    const result = await buildProject(root);
    expect(result.cache.articlesTransformed).toBe(0);
    expect(result.cache.articlesReused).toBe(files.length);
    expect(result.cache.pagesReused).toBe(0);
    // The same bytes as a cold build with the new settings.
    const { root: cold } = corpusProject(24, presentation);
    const fresh = await buildProject(cold);
    expect(fresh.cache.articlesTransformed).toBe(files.length);
    expect(snapshot(result.outDir)).toEqual(snapshot(fresh.outDir));
    expect(readFileSync(path.join(result.outDir, 'index.html'), 'utf8')).toContain('Renamed paper');
  });

  it('keys articles by what load and transform read of the config', () => {
    const config = defaultConfig();
    // Every setting is classed: a new one keys articles until it is known not to matter.
    const read = ['timezone', 'permalink', 'slugStyle', 'bodyFormat', 'excerptLength', 'drafts'];
    const unclassed = Object.keys(config).filter(
      (name) =>
        !LOCATION_KEYS.has(name) &&
        !PRESENTATION_KEYS.has(name) &&
        !read.includes(name) &&
        !['images', 'embeds'].includes(name),
    );
    expect(unclassed).toEqual([]);
    const key = articleCacheKey('0.1.0', config);
    for (const presentation of [
      { title: 'Other' },
      { pageSize: 3 },
      { baseUrl: 'https://example.org/news/' },
      { search: { ...config.search, enabled: false } },
      { feeds: { ...config.feeds, items: 3 } },
      { language: 'zh-SG' },
      { dateFormat: 'yyyy' },
      { pageNumbering: 'stable' as const },
      { sitemap: { ...config.sitemap, maxUrls: 10 } },
      { images: { ...config.images, mirror: !config.images.mirror } },
    ])
      expect(articleCacheKey('0.1.0', { ...config, ...presentation })).toBe(key);
    for (const transform of [
      { timezone: 'Asia/Tokyo' },
      { excerptLength: 33 },
      { permalink: '/:slug/' },
      { slugStyle: 'hash' as const },
      { images: { ...config.images, upgradeHttp: !config.images.upgradeHttp } },
      { embeds: { ...config.embeds, allowHosts: ['example.org'] } },
      { drafts: !config.drafts },
      { bodyFormat: 'markdown' as const },
      // Titles of untitled articles and embed links are written in it.
      { language: 'en' },
    ])
      expect(articleCacheKey('0.1.0', { ...config, ...transform })).not.toBe(key);
  });

  it('is keyed by the Gazette version', async () => {
    const config = defaultConfig();
    expect(articleCacheKey('0.1.0', config)).not.toBe(articleCacheKey('0.2.0', config));
    // A cache left by another version is not used.
    const { root, files } = corpusProject();
    await buildProject(root);
    const index = path.join(root, '.gazette-cache', 'articles.jsonl');
    const [header, ...entries] = readFileSync(index, 'utf8').split('\n');
    const stored = JSON.parse(header!);
    stored.key = articleCacheKey('0.0.1-older', config);
    writeFileSync(index, [JSON.stringify(stored), ...entries].join('\n'));
    // Another version also has another inputs fingerprint, so it never replays the last build.
    rmSync(path.join(root, '.gazette-cache', 'last-build.json'), { force: true });
    const result = await buildProject(root);
    expect(result.cache.articlesTransformed).toBe(files.length);
  });

  it('replays an unchanged build without reading articles, and notices a touched file', async () => {
    const { root, files } = corpusProject(30);
    const first = await buildProject(root);
    const replayed = await buildProject(root);
    expect(replayed.filesWritten).toBe(0);
    expect(replayed.cache.articlesTransformed).toBe(0);
    expect(replayed.report).toEqual(first.report);
    expect(replayed.diagnostics).toEqual(first.diagnostics);
    expect(replayed.timings.collect, 'replayed, not collected').toBe(0);
    // A page deleted by hand is noticed, and made again.
    const page = path.join(root, 'site', 'index.html');
    rmSync(page);
    const restored = await buildProject(root);
    expect(restored.timings.collect).toBeGreaterThan(0);
    expect(existsSync(page)).toBe(true);
    expect((await buildProject(root)).timings.collect, 'replayed again').toBe(0);
    // A file put there by hand is no reason to build again.
    writeFileSync(path.join(root, 'site', 'CNAME'), 'news.example.org\n');
    expect((await buildProject(root)).timings.collect, 'replayed with a stray file').toBe(0);
    // But a page deleted beside it is still noticed (as many files as before, one missing).
    rmSync(page);
    writeFileSync(path.join(root, 'site', 'stray.txt'), 'put there by hand\n');
    const restoredBesideStray = await buildProject(root);
    expect(restoredBesideStray.timings.collect).toBeGreaterThan(0);
    expect(existsSync(page)).toBe(true);
    const file = path.join(root, 'content', files[0]!);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n<p>An added paragraph.</p>\n`);
    const rebuilt = await buildProject(root);
    expect(rebuilt.cache.articlesTransformed).toBe(1);
    expect(rebuilt.filesWritten).toBeGreaterThan(0);
  });

  it("remakes the feeds when an undated article's file time moves, its bytes unchanged", async () => {
    const root = makeProject({
      'undated.md': '---\ntitle: Undated\ncategories: [World]\n---\n<p>Body.</p>\n',
    });
    const file = path.join(root, 'content', 'undated.md');
    const publishedWith = async (time: Date) => {
      utimesSync(file, time, time);
      await buildProject(root, { overrides: { search: { enabled: false } } });
      const feed = JSON.parse(readFileSync(path.join(root, 'site', 'feed.json'), 'utf8'));
      return new Date(feed.items[0].date_published).getTime();
    };
    const first = new Date('2024-03-01T08:00:00Z');
    const second = new Date('2024-03-01T09:30:00Z');
    expect(await publishedWith(first)).toBe(first.getTime());
    // Same day, so the same URL: only the date tells the feed apart.
    expect(await publishedWith(second)).toBe(second.getTime());
  });

  it('looks for the listed output files on another thread or on this one alike', async () => {
    const { root } = corpusProject(5);
    await buildProject(root);
    const site = path.join(root, 'site');
    expect(listedFilesPresent(site)).toBe(true);
    expect(await startCheckingOutput(site, false).listedFilesPresent()).toBe(true);
    expect(await startCheckingOutput(site, true).listedFilesPresent()).toBe(true);
    const stopped = startCheckingOutput(site, false);
    stopped.stop();
    expect(await stopped.listedFilesPresent(), 'stopped before it answered').toBe(false);
    rmSync(path.join(site, 'feed.xml'));
    expect(listedFilesPresent(site)).toBe(false);
    expect(await startCheckingOutput(site, false).listedFilesPresent()).toBe(false);
    expect(listedFilesPresent(path.join(root, 'nowhere'))).toBe(false);
  });

  it('remembers drafts: an unchanged one is not read again, a published one is built', async () => {
    const draft = (flag: string) =>
      `---\ntitle: Not yet\ndate: 2024-01-02\ndraft: ${flag}\n---\n<p>Draft text.</p>\n`;
    const root = makeProject(
      {
        'story.md': '---\ntitle: Story\ndate: 2024-01-01\n---\n<p>Story text.</p>\n',
        'draft.md': draft('true'),
        '_drafts/hexo.md': '---\ntitle: Hexo draft\n---\n<p>Hexo draft text.</p>\n',
      },
      CONFIG,
    );
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const file of ['story.md', 'draft.md', '_drafts/hexo.md'])
      utimesSync(path.join(root, 'content', file), anHourAgo, anHourAgo);
    const first = await buildProject(root);
    expect(first.report.drafts.sort()).toEqual(['_drafts/hexo.md', 'draft.md']);
    expect(first.cache.articlesTransformed).toBe(3);
    // A build that cannot be replayed (a new file) reads only that file.
    writeFileSync(
      path.join(root, 'content', 'other.md'),
      '---\ntitle: Other\ndate: 2024-01-03\n---\n<p>O.</p>\n',
    );
    const second = await buildProject(root);
    expect(second.cache.articlesTransformed).toBe(1);
    expect(second.report.drafts.sort()).toEqual(['_drafts/hexo.md', 'draft.md']);
    // Published: built, with its page.
    writeFileSync(path.join(root, 'content', 'draft.md'), draft('false'));
    const third = await buildProject(root);
    expect(third.report.drafts).toEqual(['_drafts/hexo.md']);
    expect(readFileSync(path.join(third.outDir, '2024/01/02/draft/index.html'), 'utf8')).toContain(
      'Draft text.',
    );
    // And with `drafts: true`, every draft is built.
    const all = await buildProject(root, { overrides: { drafts: true } });
    expect(all.report.drafts).toEqual([]);
    expect(all.report.built).toBe(4);
  });

  it('reads a file again only when its size, time or inode changed', async () => {
    const { root, files } = corpusProject(12);
    await buildProject(root);
    // Touched: read and hashed again, found unchanged, not transformed again.
    const touched = path.join(root, 'content', files[0]!);
    utimesSync(touched, new Date(), new Date(Date.now() + 5000));
    const afterTouch = await buildProject(root);
    expect(afterTouch.cache.articlesTransformed).toBe(0);
    expect(afterTouch.filesWritten).toBe(0);
    // Same size, new bytes, new time: transformed again.
    const edited = path.join(root, 'content', files[1]!);
    const text = readFileSync(edited, 'utf8');
    const index = text.lastIndexOf('</p>') - 1;
    writeFileSync(
      edited,
      `${text.slice(0, index)}${text[index] === 'X' ? 'Y' : 'X'}${text.slice(index + 1)}`,
    );
    utimesSync(edited, new Date(), new Date(Date.now() + 10_000));
    const afterEdit = await buildProject(root);
    expect(afterEdit.cache.articlesTransformed).toBe(1);
    // The next build finds every file as the cache remembers it.
    const again = await buildProject(root);
    expect(again.cache.articlesTransformed).toBe(0);
  });

  it('does not replay or trust a file modified in the last seconds, which may change unseen', async () => {
    const { root, files } = corpusProject(6);
    const file = path.join(root, 'content', files[0]!);
    utimesSync(file, new Date(), new Date());
    await buildProject(root);
    // Same size and time, other bytes: as a second save within the file system's tick.
    const { mtime } = statSync(file);
    const text = readFileSync(file, 'utf8');
    const index = text.lastIndexOf('</p>') - 1;
    writeFileSync(
      file,
      `${text.slice(0, index)}${text[index] === 'Q' ? 'R' : 'Q'}${text.slice(index + 1)}`,
    );
    utimesSync(file, mtime, mtime);
    const again = await buildProject(root);
    expect(again.cache.articlesTransformed).toBe(1);
    expect(again.filesWritten).toBeGreaterThan(0);
  });

  it('does not replay a build whose template or public/ file was modified in the last seconds', async () => {
    const { root } = corpusProject(6);
    mkdirSync(path.join(root, 'public'));
    const file = path.join(root, 'public', 'notice.txt');
    writeFileSync(file, 'AAAA');
    const edited = new Date(Math.floor(Date.now() / 1000) * 1000);
    utimesSync(file, edited, edited);
    await buildProject(root);
    // Same size and time, other bytes: as a second save within the file system's tick.
    writeFileSync(file, 'BBBB');
    utimesSync(file, edited, edited);
    const again = await buildProject(root);
    expect(again.timings.collect, 'not replayed').toBeGreaterThan(0);
    expect(readFileSync(path.join(again.outDir, 'notice.txt'), 'utf8')).toBe('BBBB');
  });

  it('sees a file changed in a folder linked into public/ or templates/', async () => {
    const { root } = corpusProject(6);
    const elsewhere = path.join(root, 'elsewhere');
    mkdirSync(path.join(elsewhere, 'assets'), { recursive: true });
    mkdirSync(path.join(elsewhere, 'partials'), { recursive: true });
    mkdirSync(path.join(root, 'public'));
    mkdirSync(path.join(root, 'templates'));
    writeFileSync(path.join(elsewhere, 'assets', 'a.txt'), 'one');
    const footer = readFileSync(path.join(DEFAULT_TEMPLATES_DIR, 'partials', 'footer.njk'), 'utf8');
    writeFileSync(path.join(elsewhere, 'partials', 'footer.njk'), footer);
    symlinkSync(path.join(elsewhere, 'assets'), path.join(root, 'public', 'assets'));
    symlinkSync(path.join(elsewhere, 'partials'), path.join(root, 'templates', 'partials'));
    const anHourAgo = new Date(Date.now() - 3_600_000);
    const backdate = (file: string) => utimesSync(file, anHourAgo, anHourAgo);
    for (const file of ['assets/a.txt', 'partials/footer.njk', 'assets', 'partials'])
      backdate(path.join(elsewhere, file));
    const first = await buildProject(root);
    expect((await buildProject(root)).timings.collect, 'replayed').toBe(0);

    writeFileSync(path.join(elsewhere, 'assets', 'a.txt'), 'two, longer');
    writeFileSync(path.join(elsewhere, 'partials', 'footer.njk'), `${footer}<!--MARK-->`);
    for (const file of ['assets/a.txt', 'partials/footer.njk'])
      backdate(path.join(elsewhere, file));
    const second = await buildProject(root);
    expect(second.timings.collect, 'not replayed').toBeGreaterThan(0);
    expect(readFileSync(path.join(first.outDir, 'assets', 'a.txt'), 'utf8')).toBe('two, longer');
    expect(readFileSync(path.join(first.outDir, 'index.html'), 'utf8')).toContain('<!--MARK-->');
  });

  it('makes a page again when its file was deleted from the output by hand', async () => {
    const { root, files } = corpusProject(20);
    const first = await buildProject(root);
    const page = listFiles(first.outDir).find((name) =>
      /^\d{4}\/\d\d\/\d\d\/.*index\.html$/.test(name),
    )!;
    rmSync(path.join(first.outDir, page));
    // Any edit, so that the build runs rather than replaying the last one.
    const file = path.join(root, 'content', files[3]!);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n<p>More.</p>\n`);
    const second = await buildProject(root);
    expect(existsSync(path.join(second.outDir, page))).toBe(true);
  });

  it('makes pages again that were truncated or replaced by a link in the output', async () => {
    const { root } = corpusProject(20);
    const first = await buildProject(root);
    const pages = listFiles(first.outDir).filter((name) => name.endsWith('index.html'));
    const [truncated, linked] = [pages[3]!, pages[7]!];
    const original = (page: string) => readFileSync(path.join(first.outDir, page), 'utf8');
    const [truncatedText, linkedText] = [original(truncated), original(linked)];
    expect((await buildProject(root)).timings.collect, 'replayed').toBe(0);

    truncateSync(path.join(first.outDir, truncated), 100);
    const restored = await buildProject(root);
    expect(restored.timings.collect, 'not replayed').toBeGreaterThan(0);
    expect(original(truncated)).toBe(truncatedText);
    expect((await buildProject(root)).timings.collect, 'replayed again').toBe(0);

    // A link in a page's place, even to a copy of the page, is not the page Gazette wrote.
    const copy = path.join(root, 'copy.html');
    writeFileSync(copy, linkedText);
    rmSync(path.join(first.outDir, linked));
    symlinkSync(copy, path.join(first.outDir, linked));
    expect((await buildProject(root)).timings.collect, 'not replayed').toBeGreaterThan(0);
    expect(lstatSync(path.join(first.outDir, linked)).isFile()).toBe(true);
    expect(original(linked)).toBe(linkedText);
  });

  it('makes a folder of pages again where a file was put in its place', async () => {
    const { root } = corpusProject(20);
    const first = await buildProject(root);
    const page = listFiles(first.outDir).find((name) =>
      /^\d{4}\/\d\d\/\d\d\/.*index\.html$/.test(name),
    )!;
    const month = page.split('/').slice(0, 2).join('/');
    rmSync(path.join(first.outDir, month), { recursive: true });
    writeFileSync(path.join(first.outDir, month), 'in the way\n');
    const second = await buildProject(root);
    expect(second.ok).toBe(true);
    expect(existsSync(path.join(second.outDir, page))).toBe(true);
    // And no journal is left for the next build to trip over.
    expect((await buildProject(root)).ok).toBe(true);
  });

  it('updates every index an edited article appears on', async () => {
    const { root, files } = corpusProject(60);
    const first = await buildProject(root);
    const file = path.join(root, 'content', files[5]!);
    const text = readFileSync(file, 'utf8');
    const oldTitle = /^title: '(.*)'$/m.exec(text)![1]!;
    const listing = (outDir: string, title: string) =>
      listFiles(outDir).filter(
        (name) =>
          name.endsWith('.html') &&
          !/^\d{4}\/\d\d\/\d\d\//.test(name) &&
          readFileSync(path.join(outDir, name), 'utf8').includes(title),
      );
    const indexes = listing(first.outDir, oldTitle);
    expect(indexes.length).toBeGreaterThanOrEqual(4); // home, categories, author, archives

    const newTitle = 'Edited headline for the cache test';
    writeFileSync(file, text.replace(/^title: '.*'$/m, `title: '${newTitle}'`));
    const second = await buildProject(root);
    expect(second.cache.articlesTransformed).toBe(1);
    expect(listing(second.outDir, oldTitle)).toEqual([]);
    expect(listing(second.outDir, newTitle)).toEqual(indexes);
    expect(second.filesWritten).toBeLessThan(second.filesUnchanged);
  });

  it('keeps the sitemap when no URL or date changed, and makes it again when one does', async () => {
    const { root, files } = corpusProject(30);
    const first = await buildProject(root);
    const sitemap = path.join(first.outDir, 'sitemap.xml');
    const before = readFileSync(sitemap, 'utf8');
    const written = statSync(sitemap).mtimeMs;

    const file = path.join(root, 'content', files[4]!);
    writeFileSync(file, readFileSync(file, 'utf8').replace('</div>', '<p>Corrected.</p></div>'));
    const second = await buildProject(root);
    expect(second.cache.articlesTransformed).toBe(1);
    expect(statSync(sitemap).mtimeMs).toBe(written);

    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^date: .*$/m, 'date: 2031-05-06T07:08:09Z'),
    );
    await buildProject(root);
    const after = readFileSync(sitemap, 'utf8');
    expect(after).not.toBe(before);
    expect(after).toContain('<lastmod>2031-05-06T');
    // The same bytes as a build without the cache and the previous site.
    rmSync(path.join(root, '.gazette-cache'), { recursive: true });
    rmSync(first.outDir, { recursive: true });
    await buildProject(root);
    expect(readFileSync(sitemap, 'utf8')).toBe(after);
  });

  it('keeps where each article asks to be, made again when its file changes', async () => {
    const { root, files } = corpusProject(12);
    await buildProject(root);
    const index = path.join(root, '.gazette-cache', 'articles.jsonl');
    const wishOf = (file: string) => {
      let wish: { id: string; wanted: string } | undefined;
      for (const line of readFileSync(index, 'utf8').split('\n').slice(1)) {
        if (!line) continue;
        const [relativePath, entry] = JSON.parse(line);
        if (relativePath === file) wish = entry?.wish;
      }
      return wish;
    };
    const before = wishOf(files[2]!);
    expect(before?.wanted).toMatch(/^\/\d{4}\/\d\d\/\d\d\//);

    const file = path.join(root, 'content', files[2]!);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^date: .*$/m, 'date: 2031-05-06T07:08:09Z'),
    );
    const second = await buildProject(root);
    const after = wishOf(files[2]!);
    expect(after?.id).toBe(before?.id);
    expect(after?.wanted).toMatch(/^\/2031\/05\/06\//);
    expect(existsSync(path.join(second.outDir, after!.wanted, 'index.html'))).toBe(true);
  });
});
