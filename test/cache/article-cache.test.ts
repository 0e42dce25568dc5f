import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleCache, type CachedArticle } from '../../src/cache/article-cache.ts';

function entry(cache: ArticleCache, html: string): CachedArticle {
  return {
    contentHash: html,
    loaded: {} as CachedArticle['loaded'],
    body: {} as CachedArticle['body'],
    html: cache.bodies.put(html),
    diagnostics: [],
  };
}

describe('the article cache', () => {
  it('keeps bodies right when a build with another config is interrupted', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gazette-cache-'));
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
