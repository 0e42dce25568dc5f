import { describe, expect, it } from 'vitest';
import { assignSlugs, MAX_SLUG_BYTES, MAX_SLUG_LENGTH, slugify } from '../../src/collect/slug.ts';

describe('slugify', () => {
  it.each([
    ['Hello, World!', 'hello-world'],
    ['乌方：正与中国进行安全保障问题谈判，但…', '乌方-正与中国进行安全保障问题谈判-但'],
    ['../../etc/passwd', 'etc-passwd'],
    ['/abs/path', 'abs-path'],
    ['a/b', 'a-b'],
    ['..', undefined],
    ['___', undefined],
    ['_config', 'config'],
    ['snake_case_', 'snake_case'],
    ['( ¨̮ )_≡①', '①'],
    ['con', 'con-'],
    ['AUX.html', 'aux-html'],
    ['AUX', 'aux-'],
    ['index.html', 'index-html'],
    ['feed.xml', 'feed-xml'],
    ['  ', undefined],
    ['\u202Eevil\u202C', 'evil'],
    ['Cafe\u0301', 'café'],
  ])('%j → %j', (input, expected) => {
    const slug = slugify(input);
    if (expected) expect(slug).toBe(expected);
    expect(slug).not.toMatch(/[/\\]|^\.\.?$/);
    expect(slug.length).toBeGreaterThan(0);
  });

  it('bounds the length without splitting characters', () => {
    const slug = slugify('长'.repeat(300));
    expect(Array.from(slug).length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug).toBe('长'.repeat(Array.from(slug).length));
    expect(Buffer.byteLength(slug)).toBeLessThanOrEqual(MAX_SLUG_BYTES);
    // Four-byte letters are cut by bytes, never in the middle of a letter.
    const astral = slugify('𠀀'.repeat(100));
    expect(Buffer.byteLength(astral)).toBeLessThanOrEqual(MAX_SLUG_BYTES);
    expect(astral).toBe('𠀀'.repeat(Array.from(astral).length));
  });

  it('transliterates to pinyin or hashes on request', () => {
    expect(slugify('观察者网', 'pinyin')).toBe('guan-cha-zhe-wang');
    expect(slugify('观察者网', 'hash')).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('assignSlugs', () => {
  it('gives names equal up to case distinct slugs, deterministically', () => {
    const first = assignSlugs(['AI', 'ai', 'Ai'], 'unicode');
    const second = assignSlugs(['ai', 'Ai', 'AI'], 'unicode');
    expect(new Set(first.values()).size).toBe(3);
    expect(first).toEqual(second);
  });

  it('separates NFC and NFD twins', () => {
    const slugs = assignSlugs(['Cafe\u0301', 'Café'], 'unicode');
    expect(slugs.size).toBe(2);
    expect(new Set(slugs.values()).size).toBe(2);
  });
});

describe('reserved slugs', () => {
  it('never gives a name the slug "page", where pagination lives', () => {
    expect(assignSlugs(['page', 'Page'], 'unicode').get('page')).not.toBe('page');
  });
});
