import { existsSync, readFileSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveOutput } from '../../src/dev/live-output.ts';
import { NOT_BUILT_KEY, OUTPUT_MARKER, StagedOutput } from '../../src/write/output.ts';
import { readPreviousSite } from '../../src/write/previous-files.ts';
import { makeTempFolder } from '../temp-folders.ts';

function builtSite(): string {
  const outDir = path.join(makeTempFolder('gazette-live-'), 'site');
  const built = new StagedOutput(outDir);
  for (let i = 0; i < 5; i++) built.write(`/p${i}/`, `page ${'x'.repeat(i)}`, `key ${i}`);
  built.commit();
  return outDir;
}

const manifestOf = (outDir: string) =>
  JSON.parse(readFileSync(path.join(outDir, OUTPUT_MARKER), 'utf8'));

describe('the dev server’s writes to a built site', () => {
  it('list the files it wrote as not built, drop those it deleted, keep the others’ sizes', async () => {
    const outDir = builtSite();
    const live = new LiveOutput(outDir);
    live.write('/p1/', 'page rewritten by the dev server');
    live.write('/p3/', 'another');
    live.write('/new/', 'a page only the dev server made');
    live.remove('/p2/');
    live.flushManifest();
    const manifest = manifestOf(outDir);
    expect(manifest.files).toEqual({
      'p0/index.html': 'key 0',
      'p1/index.html': NOT_BUILT_KEY,
      'p3/index.html': NOT_BUILT_KEY,
      'p4/index.html': 'key 4',
      'new/index.html': NOT_BUILT_KEY,
    });
    expect(manifest.sizes).toEqual([5, -1, -1, 9, -1]);

    // So a page truncated after the dev server ran is still found out by the next build.
    truncateSync(path.join(outDir, 'p4/index.html'), 2);
    const previous = await readPreviousSite(outDir, OUTPUT_MARKER, 0);
    expect(previous?.missing).toContain('p4/index.html');
  });

  it('are made again by the next build, never kept, and deleted when the site no longer has them', () => {
    const outDir = builtSite();
    const live = new LiveOutput(outDir);
    live.write('/p1/', 'page rewritten by the dev server');
    live.write('/p4/', 'a page the next build does not make');
    live.write('/extra/', 'a page only the dev server made');
    live.flushManifest();

    const next = new StagedOutput(outDir);
    expect(next.previousKey('/p0/')).toBe('key 0');
    expect(next.previousKey('/p1/')).toBeUndefined();
    expect(next.keep('/p1/', NOT_BUILT_KEY)).toBe(false);
    for (const i of [0, 2, 3]) expect(next.keep(`/p${i}/`, `key ${i}`)).toBe(true);
    next.write('/p1/', 'page 1 as built', 'key 1');
    next.commit();
    expect(readFileSync(path.join(outDir, 'p1/index.html'), 'utf8')).toBe('page 1 as built');
    expect(existsSync(path.join(outDir, 'p4/index.html'))).toBe(false);
    expect(existsSync(path.join(outDir, 'extra/index.html'))).toBe(false);
    expect(Object.keys(manifestOf(outDir).files).sort()).toEqual([
      'p0/index.html',
      'p1/index.html',
      'p2/index.html',
      'p3/index.html',
    ]);
  });

  it('are listed in a manifest of their own when no build wrote one', () => {
    const outDir = path.join(makeTempFolder('gazette-live-'), 'site');
    const live = new LiveOutput(outDir);
    live.write('/p0/', 'made while the first build failed');
    live.flushManifest();
    expect(manifestOf(outDir)).toEqual({
      generator: 'gazette',
      files: { 'p0/index.html': NOT_BUILT_KEY },
    });
  });
});
