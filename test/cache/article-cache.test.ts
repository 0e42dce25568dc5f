import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleCache, type CachedArticle } from '../../src/cache/article-cache.ts';
import { makeTempFolder } from '../temp-folders.ts';

function entry(cache: ArticleCache, html: string): CachedArticle {
  return {
    contentHash: html,
    loaded: {} as CachedArticle['loaded'],
    body: {} as CachedArticle['body'],
    html: cache.bodies.put(html),
    diagnostics: [],
  };
}

const indexLines = (dir: string) =>
  readFileSync(path.join(dir, 'articles.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('the article cache', () => {
  it('keeps bodies right when a build with another config is interrupted', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'config A');
    first.store('a.md', entry(first, '<p>body of a</p>'));
    first.store('b.md', entry(first, '<p>body of b</p>'));
    first.save();

    // Another config starts over, writes bodies, and is killed before saving.
    const interrupted = new ArticleCache(dir, 'config B');
    expect(interrupted.invalidated).toBe(true);
    interrupted.store(
      'a.md',
      entry(interrupted, '<p>EVIL BODY, much longer than the first one</p>'),
    );
    interrupted.close();

    const again = new ArticleCache(dir, 'config A');
    expect(again.invalidated).toBe(false);
    const a = again.lookup('a.md', '<p>body of a</p>', 0)!;
    const b = again.lookup('b.md', '<p>body of b</p>', 0)!;
    expect(again.bodies.get(a.html)).toBe('<p>body of a</p>');
    expect(again.bodies.get(b.html)).toBe('<p>body of b</p>');
    again.save();
    // Packs the index no longer names are removed once it is saved.
    expect(readdirSync(dir).filter((name) => name.endsWith('.pack'))).toHaveLength(1);
  });
});

describe('an entry carried over from a cache made with another config', () => {
  it('is not carried when its body is damaged, and nothing throws', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'config A');
    first.store('a.md', entry(first, '<p>body of a</p>'));
    first.store('b.md', entry(first, '<p>body of b</p>'));
    first.save();
    const pack = readdirSync(dir).find((name) => name.endsWith('.pack'))!;
    const bytes = readFileSync(path.join(dir, pack));
    bytes[3] = bytes[3]! ^ 0x20; // In a.md's body, the first one.
    writeFileSync(path.join(dir, pack), bytes);

    const next = new ArticleCache(dir, 'config B');
    expect(next.invalidated).toBe(true);
    expect(next.lastEntry('a.md')).toBeUndefined();
    const b = next.lastEntry('b.md')!;
    expect(next.bodies.get(b.html)).toBe('<p>body of b</p>');
    next.close();
  });
});

describe('the article cache index', () => {
  it('appends the entries a build changed and drops deleted files with a line', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'k');
    for (const name of ['a.md', 'b.md', 'c.md']) first.store(name, entry(first, `<p>${name}</p>`));
    first.save();
    expect(indexLines(dir)).toHaveLength(4);

    const second = new ArticleCache(dir, 'k');
    second.lookup('a.md', '<p>a.md</p>', 0);
    second.store('b.md', entry(second, '<p>b, edited</p>'));
    second.save();
    // a.md unchanged, b.md replaced, c.md deleted: two lines more, none rewritten.
    const lines = indexLines(dir);
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[5]!)).toEqual(['c.md', null]);

    const third = new ArticleCache(dir, 'k');
    expect(third.lookup('a.md', '<p>a.md</p>', 0)).toBeDefined();
    const b = third.lookup('b.md', '<p>b, edited</p>', 0)!;
    expect(third.bodies.get(b.html)).toBe('<p>b, edited</p>');
    expect(third.lookup('b.md', '<p>b.md</p>', 0)).toBeUndefined();
    expect(third.lookup('c.md', '<p>c.md</p>', 0)).toBeUndefined();
    // Only a file with an entry is worth hashing before it is loaded.
    expect(third.hasEntry('b.md')).toBe(true);
    expect(third.hasEntry('c.md')).toBe(false);
    third.close();
  });

  it('rewrites the index when a build changes most entries, instead of appending them', () => {
    const dir = makeTempFolder('gazette-cache-');
    const names = Array.from({ length: 2400 }, (_, i) => `${i}.md`);
    const first = new ArticleCache(dir, 'k');
    for (const name of names) first.store(name, entry(first, `<p>${name}</p>`));
    first.save();
    expect(indexLines(dir)).toHaveLength(2401);

    // A few changed: appended.
    const second = new ArticleCache(dir, 'k');
    for (const name of names.slice(10)) second.lookup(name, `<p>${name}</p>`, 0);
    for (const name of names.slice(0, 10)) second.store(name, entry(second, `<p>${name}!</p>`));
    second.save();
    expect(indexLines(dir)).toHaveLength(2411);

    // Every entry stored again (files of a cold build that were racy, now with signatures):
    // rewritten, so that later builds do not read each entry twice.
    const third = new ArticleCache(dir, 'k');
    for (const name of names) {
      const known = third.lookup(name, third.contentHashBefore(name)!, 0)!;
      third.store(name, { ...known, signature: `1:2:${name}` });
    }
    third.save();
    expect(indexLines(dir)).toHaveLength(2401);
    const fourth = new ArticleCache(dir, 'k');
    expect(fourth.lookupUnchanged('5.md', '1:2:5.md')).toBeDefined();
    expect(fourth.bodies.get(fourth.lookupUnchanged('5.md', '1:2:5.md')!.html)).toBe(
      '<p>5.md!</p>',
    );
    fourth.close();
  });

  it('drops a deleted file when another one was added in its place (as many entries as before)', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'k');
    for (const name of ['a.md', 'b.md']) first.store(name, entry(first, `<p>${name}</p>`));
    first.save();
    const second = new ArticleCache(dir, 'k');
    second.lookup('a.md', '<p>a.md</p>', 0);
    second.store('c.md', entry(second, '<p>c.md</p>'));
    second.save();
    expect(JSON.parse(indexLines(dir).at(-1)!)).toEqual(['b.md', null]);
    const third = new ArticleCache(dir, 'k');
    expect(third.hasEntry('b.md')).toBe(false);
    expect(third.hasEntry('c.md')).toBe(true);
    third.close();
  });

  it.each([['null'], ['42'], ['"text"'], ['[1]']])(
    'starts afresh from an index whose first line is %s',
    (header) => {
      const dir = makeTempFolder('gazette-cache-');
      writeFileSync(path.join(dir, 'articles.jsonl'), `${header}\n["a.md",{}]\n`);
      const cache = new ArticleCache(dir, 'k');
      expect(cache.invalidated).toBe(true);
      expect(cache.hasEntry('a.md')).toBe(false);
      cache.close();
    },
  );

  it('skips a line cut short by a crash, keeping the other entries', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'k');
    first.store('a.md', entry(first, '<p>a</p>'));
    first.store('b.md', entry(first, '<p>b</p>'));
    first.save();
    const second = new ArticleCache(dir, 'k');
    second.lookup('a.md', '<p>a</p>', 0);
    second.store('b.md', entry(second, '<p>b, edited</p>'));
    second.save();
    const file = path.join(dir, 'articles.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, text.length - 20));

    const third = new ArticleCache(dir, 'k');
    expect(third.invalidated).toBe(false);
    expect(third.lookup('a.md', '<p>a</p>', 0)).toBeDefined();
    // b.md's new line is lost: its older entry does not match the edited file.
    expect(third.lookup('b.md', '<p>b, edited</p>', 0)).toBeUndefined();
    // The next line appended is not glued to the cut one.
    third.store('b.md', entry(third, '<p>b, edited again</p>'));
    third.save();
    const fourth = new ArticleCache(dir, 'k');
    expect(fourth.lookup('a.md', '<p>a</p>', 0)).toBeDefined();
    expect(fourth.lookup('b.md', '<p>b, edited again</p>', 0)).toBeDefined();
    fourth.close();
  });

  it('reads every entry of an index of several megabytes of Chinese text', () => {
    const dir = makeTempFolder('gazette-cache-');
    // Lines of uneven length, so that the megabytes read at a time end at all kinds of places.
    const names = Array.from({ length: 3000 }, (_, index) => `新闻/${index}.md`);
    // One line longer than what is read at a time, too.
    const contentHash = (index: number) =>
      `${'乌克兰局势'.repeat(index === 1500 ? 300_000 : index % 101)}${index}`;
    const first = new ArticleCache(dir, 'k');
    for (const [index, name] of names.entries())
      first.store(name, { ...entry(first, name), contentHash: contentHash(index) });
    first.save();
    expect(readFileSync(path.join(dir, 'articles.jsonl')).length).toBeGreaterThan(6 << 20);
    const again = new ArticleCache(dir, 'k');
    for (const [index, name] of names.entries())
      expect(again.lookup(name, contentHash(index), 0)).toBeDefined();
    again.close();
  });

  it('is rewritten whole once dead lines outnumber live ones', () => {
    const dir = makeTempFolder('gazette-cache-');
    const names = Array.from({ length: 600 }, (_, index) => `${index}.md`);
    const first = new ArticleCache(dir, 'k');
    for (const name of names) first.store(name, entry(first, name));
    first.save();
    // Every file edited, three times: the third build would leave 1,800 dead lines.
    for (let round = 1; round <= 3; round++) {
      const cache = new ArticleCache(dir, 'k');
      for (const name of names) cache.store(name, entry(cache, `${name} ${round}`));
      cache.save();
    }
    expect(indexLines(dir).length).toBeLessThanOrEqual(1 + 2 * names.length + 1000);
    const last = new ArticleCache(dir, 'k');
    for (const name of names) expect(last.lookup(name, `${name} 3`, 0)).toBeDefined();
    last.close();
  });
});

describe('an index written ahead', () => {
  it('is put in place by save, and a build stopped before it leaves the old index', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'config A');
    first.store('a.md', entry(first, '<p>a, as config A made it</p>'));
    first.save();

    // Another config: the new index is written before the site renders, then the build stops.
    const stopped = new ArticleCache(dir, 'config B');
    stopped.store('a.md', entry(stopped, '<p>a, as config B made it</p>'));
    stopped.settle();
    expect(() => stopped.store('b.md', entry(stopped, '<p>b</p>'))).toThrow(/after its index/);
    stopped.close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const old = new ArticleCache(dir, 'config A');
    expect(old.invalidated).toBe(false);
    expect(old.bodies.get(old.lookup('a.md', '<p>a, as config A made it</p>', 0)!.html)).toBe(
      '<p>a, as config A made it</p>',
    );
    old.close();

    const finished = new ArticleCache(dir, 'config B');
    finished.store('a.md', entry(finished, '<p>a, as config B made it</p>'));
    finished.store('b.md', entry(finished, '<p>b, as config B made it</p>'));
    finished.settle();
    finished.save();
    const again = new ArticleCache(dir, 'config B');
    expect(again.invalidated).toBe(false);
    for (const name of ['a', 'b']) {
      const html = `<p>${name}, as config B made it</p>`;
      expect(again.bodies.get(again.lookup(`${name}.md`, html, 0)!.html)).toBe(html);
    }
    again.close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.pack'))).toHaveLength(1);
  });

  it('left by a killed build is removed when a later build saves, one being written is not', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'k');
    first.store('a.md', entry(first, '<p>a</p>'));
    first.save();
    // No process has this number (Linux allows at most 2^22); this process is running.
    const killed = 'articles.jsonl.999999999-0a1b2c3d.tmp';
    const running = `articles.jsonl.${process.pid}-0a1b2c3d.tmp`;
    for (const name of [killed, running, 'articles.jsonl.tmp'])
      writeFileSync(path.join(dir, name), '');
    const second = new ArticleCache(dir, 'other key');
    second.store('a.md', entry(second, '<p>a, again</p>'));
    second.settle();
    second.save();
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([running]);
  });

  it('is not written for a cache read from disk: its entries go once settled, the lines to append stay', () => {
    const dir = makeTempFolder('gazette-cache-');
    const first = new ArticleCache(dir, 'k');
    for (const name of ['a.md', 'b.md', 'c.md']) first.store(name, entry(first, `<p>${name}</p>`));
    first.save();
    const second = new ArticleCache(dir, 'k');
    second.lookup('a.md', '<p>a.md</p>', 0);
    second.store('b.md', entry(second, '<p>b, edited</p>'));
    second.store('d.md', entry(second, '<p>d</p>'));
    second.settle();
    expect(() => second.store('e.md', entry(second, '<p>e</p>'))).toThrow(/after its index/);
    expect(second.hasEntry('a.md')).toBe(false);
    // What the site's page keys ask of the files this build stored.
    expect(second.contentHashBefore('b.md')).toBe('<p>b.md</p>');
    expect(second.contentHashBefore('d.md')).toBeUndefined();
    second.save();
    // b and d appended, c dropped with a line: nothing rewritten.
    expect(indexLines(dir)).toHaveLength(7);
    const third = new ArticleCache(dir, 'k');
    expect(third.lookup('a.md', '<p>a.md</p>', 0)).toBeDefined();
    expect(third.lookup('b.md', '<p>b, edited</p>', 0)).toBeDefined();
    expect(third.lookup('d.md', '<p>d</p>', 0)).toBeDefined();
    expect(third.hasEntry('c.md')).toBe(false);
    third.close();
  });

  it('keeps its entries when settled if the index is to be rewritten', () => {
    const dir = makeTempFolder('gazette-cache-');
    const names = Array.from({ length: 2400 }, (_, i) => `${i}.md`);
    const first = new ArticleCache(dir, 'k');
    for (const name of names) first.store(name, entry(first, `<p>${name}</p>`));
    first.save();
    const second = new ArticleCache(dir, 'k');
    for (const name of names) second.store(name, entry(second, `<p>${name}!</p>`));
    second.settle();
    expect(second.contentHashBefore('0.md')).toBe('<p>0.md</p>');
    second.save();
    expect(indexLines(dir)).toHaveLength(2401);
    const third = new ArticleCache(dir, 'k');
    expect(third.lookup('5.md', '<p>5.md!</p>', 0)).toBeDefined();
    third.close();
  });
});
