import { mkdtempSync, readFileSync, truncateSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LiveOutput } from '../../src/dev/live-output.ts';
import { OUTPUT_MARKER, StagedOutput } from '../../src/write/output.ts';
import { readPreviousSite } from '../../src/write/previous-files.ts';

describe('the dev server’s writes to a built site', () => {
  it('drop the entries of the files it rewrote, keeping the others’ sizes in their places', async () => {
    const outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'gazette-live-')), 'site');
    const built = new StagedOutput(outDir);
    for (let i = 0; i < 5; i++) built.write(`/p${i}/`, `page ${'x'.repeat(i)}`, `key ${i}`);
    built.commit();

    const live = new LiveOutput(outDir);
    live.write('/p1/', 'page rewritten by the dev server');
    live.write('/p3/', 'another');
    live.flushManifest();
    const manifest = JSON.parse(readFileSync(path.join(outDir, OUTPUT_MARKER), 'utf8'));
    expect(Object.keys(manifest.files)).toEqual([
      'p0/index.html',
      'p2/index.html',
      'p4/index.html',
    ]);
    expect(manifest.sizes).toEqual([5, 7, 9]);

    // So a page truncated after the dev server ran is still found out by the next build.
    truncateSync(path.join(outDir, 'p4/index.html'), 2);
    const previous = await readPreviousSite(outDir, OUTPUT_MARKER, 0);
    expect(previous?.missing).toEqual(new Set(['p4/index.html']));
  });
});
