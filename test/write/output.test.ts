import * as fs from 'node:fs';
import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  checkOutputFolder,
  IN_PLACE_UPDATE_LIMIT,
  OUTPUT_MARKER,
  StagedOutput,
} from '../../src/write/output.ts';
import { type PreviousSite, readPreviousSite } from '../../src/write/previous-files.ts';
import { makeTempFolder } from '../temp-folders.ts';

// Lets a test make a rename fail part-way through a commit, as a kill would stop it.
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return { ...actual, renameSync: vi.fn(actual.renameSync) };
});

const folders: string[] = [];
afterEach(() => {
  vi.mocked(fs.renameSync).mockRestore?.();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function outFolder(): string {
  const parent = makeTempFolder('gazette-output-');
  folders.push(parent);
  return path.join(parent, 'site');
}

/** A first site of `count` pages, committed. */
function firstSite(outDir: string, count: number): void {
  const output = new StagedOutput(outDir);
  for (let i = 0; i < count; i++) output.write(`/p${i}/`, `page ${i}`, `key ${i}`);
  output.write('/assets/site.css', 'body{}');
  output.commit();
}

const read = (outDir: string, relative: string) =>
  readFileSync(path.join(outDir, relative), 'utf8');

describe('the staged output', () => {
  it('applies a small change in place, leaving unchanged files as they were', () => {
    const outDir = outFolder();
    firstSite(outDir, 20);
    const unchangedInode = statSync(path.join(outDir, 'p1/index.html')).ino;

    const output = new StagedOutput(outDir, 5);
    for (let i = 0; i < 20; i++) {
      if (i === 3) output.write('/p3/', 'page 3, corrected', 'key 3b');
      else if (i !== 7 && !output.keep(`/p${i}/`, `key ${i}`)) throw new Error(`p${i} not kept`);
    }
    output.write('/p20/', 'page 20', 'key 20');
    output.write('/assets/site.css', 'body{}');
    output.commit();

    expect(output.committedAs).toBe('update');
    expect(output.written).toBe(2);
    expect(read(outDir, 'p3/index.html')).toBe('page 3, corrected');
    expect(read(outDir, 'p20/index.html')).toBe('page 20');
    expect(fs.existsSync(path.join(outDir, 'p7'))).toBe(false);
    expect(statSync(path.join(outDir, 'p1/index.html')).ino).toBe(unchangedInode);
    expect(fs.existsSync(`${path.dirname(outDir)}/.site.gazette-staging`)).toBe(false);
  });

  it('swaps in a whole staged site when many files change', () => {
    const outDir = outFolder();
    firstSite(outDir, 20);
    const output = new StagedOutput(outDir, 5);
    for (let i = 0; i < 20; i++) output.write(`/p${i}/`, `page ${i} v2`, `key ${i} v2`);
    output.write('/assets/site.css', 'body{}');
    output.commit();
    expect(output.committedAs).toBe('swap');
    expect(read(outDir, 'p19/index.html')).toBe('page 19 v2');
    expect(read(outDir, 'assets/site.css')).toBe('body{}');
  });

  it('finishes an update interrupted part-way before the next build starts', () => {
    const outDir = outFolder();
    firstSite(outDir, 10);
    const output = new StagedOutput(outDir, 5);
    for (let i = 0; i < 10; i++)
      if (i < 3) output.write(`/p${i}/`, `page ${i} v2`, `key ${i} v2`);
      else output.keep(`/p${i}/`, `key ${i}`);
    output.write('/assets/site.css', 'body{}');

    // The second file's move fails, as if the process were killed there.
    const actualRename = vi.mocked(fs.renameSync).getMockImplementation()!;
    let renames = 0;
    vi.mocked(fs.renameSync).mockImplementation((from, to) => {
      if (++renames === 2) throw new Error('killed');
      actualRename(from, to);
    });
    expect(() => output.commit()).toThrow('killed');
    vi.mocked(fs.renameSync).mockImplementation(actualRename);
    expect(read(outDir, 'p0/index.html')).toBe('page 0 v2');
    expect(read(outDir, 'p1/index.html')).toBe('page 1');

    // Any next build checks the output folder first, which finishes the journal.
    checkOutputFolder(outDir, []);
    for (let i = 0; i < 3; i++) expect(read(outDir, `p${i}/index.html`)).toBe(`page ${i} v2`);
    expect(read(outDir, 'p5/index.html')).toBe('page 5');
    const manifest = JSON.parse(read(outDir, '.gazette-output'));
    expect(manifest.files['p1/index.html']).toBe('key 1 v2');
  });

  it('refuses a file whose place is a folder of the site, or inside a file', () => {
    const outDir = outFolder();
    const output = new StagedOutput(outDir);
    expect(output.write('/news/index.html/', 'a page in a folder')).toBe(true);
    expect(output.write('/news/index.html', 'a file where that folder is')).toBe(false);
    expect(output.write('/a.txt', 'a file')).toBe(true);
    expect(output.write('/a.txt/b.txt', 'inside a file')).toBe(false);
    expect(output.clashes).toEqual(['/news/index.html', '/a.txt/b.txt']);
    output.commit();
    expect(read(outDir, 'news/index.html/index.html')).toBe('a page in a folder');
  });

  it('lets the last write of a path win, in an update and in a swap', () => {
    for (const limit of [1000, 0]) {
      const outDir = outFolder();
      // A theme asset, then the project's public/ file of the same path, as every build does.
      const writeBoth = () => {
        const output = new StagedOutput(outDir, limit);
        output.write('/assets/site.css', 'theme');
        output.write('/assets/site.css', 'mine');
        return output;
      };
      writeBoth().commit();
      expect(read(outDir, 'assets/site.css')).toBe('mine');
      const output = writeBoth();
      output.write('/new/', 'a new page', 'new');
      output.commit();
      expect(output.committedAs).toBe(limit === 0 ? 'swap' : 'update');
      expect(read(outDir, 'assets/site.css')).toBe('mine');
      expect([output.written, output.unchanged]).toEqual([1, 1]);
    }
  });

  it('updates in place a path that was a file and is now a folder, and back', () => {
    const outDir = outFolder();
    const first = new StagedOutput(outDir);
    first.write('/about', 'a file');
    first.write('/other/', 'other', 'other');
    first.commit();
    const second = new StagedOutput(outDir);
    second.write('/about/', 'now a page in a folder');
    second.keep('/other/', 'other');
    second.commit();
    expect(second.committedAs).toBe('update');
    expect(read(outDir, 'about/index.html')).toBe('now a page in a folder');
    const third = new StagedOutput(outDir);
    third.write('/about', 'a file again');
    third.keep('/other/', 'other');
    third.commit();
    expect(read(outDir, 'about')).toBe('a file again');
  });

  it('leaves the journal of an update that failed part-way, for the next build to finish', () => {
    const outDir = outFolder();
    firstSite(outDir, 4);
    const output = new StagedOutput(outDir, 10);
    output.write('/p0/', 'page 0 v2', 'key 0 v2');
    output.write('/p1/', 'page 1 v2', 'key 1 v2');
    const actualRename = vi.mocked(fs.renameSync).getMockImplementation()!;
    let renames = 0;
    vi.mocked(fs.renameSync).mockImplementation((from, to) => {
      if (++renames === 2) throw Object.assign(new Error('no space'), { code: 'ENOSPC' });
      actualRename(from, to);
    });
    expect(() => output.commit()).toThrow('no space');
    output.abort();
    vi.mocked(fs.renameSync).mockImplementation(actualRename);
    checkOutputFolder(outDir, []);
    expect(read(outDir, 'p1/index.html')).toBe('page 1 v2');
  });
});

describe('files of the previous site deleted by hand', () => {
  it('are found by a worker thread and made again', async () => {
    const outDir = outFolder();
    firstSite(outDir, 6);
    fs.unlinkSync(path.join(outDir, 'p2/index.html'));
    const previous = await readPreviousSite(outDir, OUTPUT_MARKER, 0);
    expect(previous?.missing).toEqual(new Set(['p2/index.html']));
    // The manifest read by the worker is the one the output would have read itself.
    const manifest = JSON.parse(read(outDir, OUTPUT_MARKER));
    expect(previous?.manifest.keys).toEqual(new Map(Object.entries(manifest.files)));

    const output = new StagedOutput(outDir, IN_PLACE_UPDATE_LIMIT, previous);
    for (let i = 0; i < 6; i++) {
      // Only the deleted page is not kept: the build renders it again.
      expect(output.keep(`/p${i}/`, `key ${i}`)).toBe(i !== 2);
    }
    output.write('/p2/', 'page 2', 'key 2');
    output.write('/assets/site.css', 'body{}');
    output.commit();
    expect(read(outDir, 'p2/index.html')).toBe('page 2');
  });

  it('come with the pages record and keys of any file name', async () => {
    const outDir = outFolder();
    const output = new StagedOutput(outDir);
    output.write('/a\nb/', 'a page whose name holds a line break', 'key\n1');
    output.write('/p/', 'page', 'key 2');
    const pages = { base: 'b', terms: 't', structure: 's', content: 'c', articles: 2 };
    output.pages = pages;
    output.commit();
    const previous = await readPreviousSite(outDir, OUTPUT_MARKER, 0);
    expect(previous?.manifest).toEqual({
      keys: new Map([
        ['a\nb/index.html', 'key\n1'],
        ['p/index.html', 'key 2'],
      ]),
      sizes: new Map([
        ['a\nb/index.html', 36],
        ['p/index.html', 4],
      ]),
      pages,
    });
  });

  it('are looked for one by one when the site is small or there is no site yet', async () => {
    const outDir = outFolder();
    expect(await readPreviousSite(outDir, OUTPUT_MARKER, 0)).toBeUndefined();
    firstSite(outDir, 3);
    expect(await readPreviousSite(outDir, OUTPUT_MARKER)).toBeUndefined();
  });
});

describe('files of the previous site changed by hand', () => {
  /** Truncates, appends to, replaces by a link and by a folder four of the first site's pages. */
  function spoil(outDir: string): string[] {
    truncateSync(path.join(outDir, 'p1/index.html'), 2);
    appendFileSync(path.join(outDir, 'p2/index.html'), '<script>added</script>');
    unlinkSync(path.join(outDir, 'p3/index.html'));
    writeFileSync(path.join(outDir, 'elsewhere.html'), 'page 3');
    symlinkSync(path.join(outDir, 'elsewhere.html'), path.join(outDir, 'p3/index.html'));
    unlinkSync(path.join(outDir, 'p4/index.html'));
    mkdirSync(path.join(outDir, 'p4/index.html'));
    return ['p1/index.html', 'p2/index.html', 'p3/index.html', 'p4/index.html'];
  }

  /** A build keeping what it can of the first site and making the rest again. */
  function rebuild(outDir: string, previous?: PreviousSite): boolean[] {
    const output = new StagedOutput(outDir, IN_PLACE_UPDATE_LIMIT, previous);
    const kept: boolean[] = [];
    for (let i = 0; i < 6; i++) {
      kept.push(output.keep(`/p${i}/`, `key ${i}`));
      if (!kept[i]) output.write(`/p${i}/`, `page ${i}`, `key ${i}`);
    }
    output.write('/assets/site.css', 'body{}');
    output.commit();
    return kept;
  }

  it('are found by a worker thread and made again', async () => {
    const outDir = outFolder();
    firstSite(outDir, 6);
    const spoiled = spoil(outDir);
    const previous = await readPreviousSite(outDir, OUTPUT_MARKER, 0);
    expect(previous?.missing).toEqual(new Set(spoiled));
    expect(rebuild(outDir, previous)).toEqual([true, false, false, false, false, true]);
    for (let i = 0; i < 6; i++) expect(read(outDir, `p${i}/index.html`)).toBe(`page ${i}`);
    expect(fs.lstatSync(path.join(outDir, 'p3/index.html')).isSymbolicLink()).toBe(false);
  });

  it('are found one by one on a small site, and once kept are still checked', () => {
    const outDir = outFolder();
    firstSite(outDir, 6);
    // A build that keeps every page records their sizes again, for the build after it.
    expect(rebuild(outDir)).toEqual([true, true, true, true, true, true]);
    spoil(outDir);
    expect(rebuild(outDir)).toEqual([true, false, false, false, false, true]);
    for (let i = 0; i < 6; i++) expect(read(outDir, `p${i}/index.html`)).toBe(`page ${i}`);
  });

  it('are only looked for when the manifest has no sizes, which the next build records', async () => {
    const outDir = outFolder();
    firstSite(outDir, 6);
    const manifestFile = path.join(outDir, OUTPUT_MARKER);
    const { sizes, ...older } = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(sizes).toHaveLength(7);
    writeFileSync(manifestFile, JSON.stringify(older));
    truncateSync(path.join(outDir, 'p1/index.html'), 2);
    expect((await readPreviousSite(outDir, OUTPUT_MARKER, 0))?.missing).toEqual(new Set());
    expect(rebuild(outDir)).toEqual([true, true, true, true, true, true]);
    // The truncated page was kept, as it is: its size now is what the manifest records.
    expect(JSON.parse(readFileSync(manifestFile, 'utf8')).sizes).toHaveLength(7);
    truncateSync(path.join(outDir, 'p2/index.html'), 1);
    expect((await readPreviousSite(outDir, OUTPUT_MARKER, 0))?.missing).toEqual(
      new Set(['p2/index.html']),
    );
  });

  it('records the size of a page another thread wrote', () => {
    const outDir = outFolder();
    const output = new StagedOutput(outDir);
    expect(output.reserve('/p/', 'key')).toBe(true);
    const target = output.freshTarget('/p/')!;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, 'written on another thread');
    output.writtenElsewhere('/p/');
    output.commit();
    const manifest = JSON.parse(read(outDir, OUTPUT_MARKER));
    expect(manifest.sizes).toEqual(['written on another thread'.length]);
  });
});

describe('a manifest or journal edited by hand', () => {
  /** Adds entries to the first site's manifest, as anyone who can write the site could. */
  function addEntries(outDir: string, entries: Record<string, number>): void {
    const file = path.join(outDir, OUTPUT_MARKER);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    for (const [relative, size] of Object.entries(entries)) {
      manifest.files[relative] = 'key';
      manifest.sizes.push(size);
    }
    writeFileSync(file, JSON.stringify(manifest));
  }

  it('never has a file outside the output folder deleted, nor loops on an absolute path', async () => {
    const outDir = outFolder();
    firstSite(outDir, 6);
    const outside = path.join(path.dirname(outDir), 'notes.txt');
    writeFileSync(outside, 'keep me');
    addEntries(outDir, { '../notes.txt': 7, '/x/y.html': 1, 'a/../../notes.txt': 7, '': 0 });
    for (const previous of [undefined, await readPreviousSite(outDir, OUTPUT_MARKER, 0)]) {
      const output = new StagedOutput(outDir, IN_PLACE_UPDATE_LIMIT, previous);
      for (let i = 0; i < 6; i++) output.keep(`/p${i}/`, `key ${i}`);
      output.write('/assets/site.css', 'body{}');
      output.commit();
      expect(output.committedAs).toBe('update');
      expect(read(path.dirname(outDir), 'notes.txt')).toBe('keep me');
    }
    expect(Object.keys(JSON.parse(read(outDir, OUTPUT_MARKER)).files)).toHaveLength(7);
  });

  it('never has a journal move or delete a file outside the output folder', () => {
    const outDir = outFolder();
    firstSite(outDir, 2);
    const outside = path.join(path.dirname(outDir), 'notes.txt');
    writeFileSync(outside, 'keep me');
    const staging = path.join(path.dirname(outDir), '.site.gazette-staging');
    mkdirSync(staging, { recursive: true });
    writeFileSync(
      path.join(staging, '.gazette-update'),
      JSON.stringify({
        changed: [],
        removed: ['../notes.txt', '/etc/hostname-not-really'],
        manifest: { generator: 'gazette', files: {} },
      }),
    );
    checkOutputFolder(outDir, []);
    expect(read(path.dirname(outDir), 'notes.txt')).toBe('keep me');
  });

  it('is finished from a journal whose manifest is staged beside it, also a second time', () => {
    const outDir = outFolder();
    firstSite(outDir, 2);
    const staging = path.join(path.dirname(outDir), '.site.gazette-staging');
    mkdirSync(path.join(staging, 'p1'), { recursive: true });
    writeFileSync(path.join(staging, 'p1/index.html'), 'page 1, corrected');
    const manifest = { generator: 'gazette', files: { 'p1/index.html': 'key 1b' } };
    writeFileSync(path.join(staging, '.gazette-output.next'), JSON.stringify(manifest));
    const journal = { changed: ['p1/index.html'], removed: ['p0/index.html'] };
    writeFileSync(path.join(staging, '.gazette-update'), JSON.stringify(journal));
    checkOutputFolder(outDir, []);
    expect(read(outDir, 'p1/index.html')).toBe('page 1, corrected');
    expect(fs.existsSync(path.join(outDir, 'p0/index.html'))).toBe(false);
    expect(JSON.parse(read(outDir, OUTPUT_MARKER))).toEqual(manifest);
    // Killed after the manifest was moved in, before the staging folder went: applied again.
    mkdirSync(staging, { recursive: true });
    writeFileSync(path.join(staging, '.gazette-update'), JSON.stringify(journal));
    checkOutputFolder(outDir, []);
    expect(JSON.parse(read(outDir, OUTPUT_MARKER))).toEqual(manifest);
    expect(fs.existsSync(staging)).toBe(false);
  });

  it('has wrong sizes written over, not carried from build to build', () => {
    const outDir = outFolder();
    firstSite(outDir, 3);
    const file = path.join(outDir, OUTPUT_MARKER);
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifest.sizes = manifest.sizes.map(() => 0);
    writeFileSync(file, JSON.stringify(manifest));
    // Not as listed: made again, with their real sizes recorded.
    const output = new StagedOutput(outDir);
    for (let i = 0; i < 3; i++) expect(output.keep(`/p${i}/`, `key ${i}`)).toBe(false);
    for (let i = 0; i < 3; i++) output.write(`/p${i}/`, `page ${i}`, `key ${i}`);
    output.write('/assets/site.css', 'body{}');
    output.commit();
    expect(JSON.parse(readFileSync(file, 'utf8')).sizes).toEqual([6, 6, 6, 6]);
    const next = new StagedOutput(outDir);
    for (let i = 0; i < 3; i++) expect(next.keep(`/p${i}/`, `key ${i}`)).toBe(true);
    next.abort();
  });
});

describe('a folder of the previous site replaced by a link to a copy', () => {
  /** The first site, with p2/ and p3/ moved elsewhere and linked back in their places. */
  function linkedSite(): { outDir: string; copies: string } {
    const outDir = outFolder();
    firstSite(outDir, 6);
    const copies = path.join(path.dirname(outDir), 'copies');
    for (const folder of ['p2', 'p3']) {
      fs.cpSync(path.join(outDir, folder), path.join(copies, folder), { recursive: true });
      rmSync(path.join(outDir, folder), { recursive: true });
      symlinkSync(path.join(copies, folder), path.join(outDir, folder));
    }
    return { outDir, copies };
  }

  it('is never written or deleted through: a change under it swaps in real folders', () => {
    const { outDir, copies } = linkedSite();
    const output = new StagedOutput(outDir);
    for (let i = 0; i < 6; i++) {
      if (i === 2) output.write('/p2/', 'page 2, corrected', 'key 2b');
      else if (i !== 3) expect(output.keep(`/p${i}/`, `key ${i}`)).toBe(true);
    }
    output.write('/assets/site.css', 'body{}');
    output.commit();
    expect(output.committedAs).toBe('swap');
    expect(fs.lstatSync(path.join(outDir, 'p2')).isDirectory()).toBe(true);
    expect(read(outDir, 'p2/index.html')).toBe('page 2, corrected');
    expect(fs.existsSync(path.join(outDir, 'p3'))).toBe(false);
    // The copies the links led to are as they were.
    expect(readFileSync(path.join(copies, 'p2/index.html'), 'utf8')).toBe('page 2');
    expect(readFileSync(path.join(copies, 'p3/index.html'), 'utf8')).toBe('page 3');
  });

  it('is replaced by a real folder when a journal is finished, not written through', () => {
    const { outDir, copies } = linkedSite();
    const staging = path.join(path.dirname(outDir), '.site.gazette-staging');
    mkdirSync(path.join(staging, 'p2'), { recursive: true });
    writeFileSync(path.join(staging, 'p2/index.html'), 'page 2, corrected');
    writeFileSync(
      path.join(staging, '.gazette-update'),
      JSON.stringify({
        changed: ['p2/index.html'],
        removed: ['p3/index.html'],
        manifest: { generator: 'gazette', files: {} },
      }),
    );
    checkOutputFolder(outDir, []);
    expect(fs.lstatSync(path.join(outDir, 'p2')).isDirectory()).toBe(true);
    expect(read(outDir, 'p2/index.html')).toBe('page 2, corrected');
    expect(readFileSync(path.join(copies, 'p2/index.html'), 'utf8')).toBe('page 2');
    expect(readFileSync(path.join(copies, 'p3/index.html'), 'utf8')).toBe('page 3');
  });
});
