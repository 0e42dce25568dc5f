/**
 * The hostile fixture (test/fixtures/hostile): every odd input a scraper can leave behind is
 * built or refused with a diagnostic that names it, every input file is accounted for, and
 * nothing is written outside the output folder.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildResult, build } from '../../src/build.ts';
import { formatDiagnostic } from '../../src/cli/report.ts';
import { EXPECTED, EXPECTED_SKIPS, type Fate } from '../fixtures/hostile/expected.ts';
import { type HostileProject, makeHostileProject } from '../fixtures/hostile/generate.ts';
import { listFiles } from '../helpers.ts';

let project: HostileProject;
let first: BuildResult;
let builtFiles: string[] = [];
let sandboxBefore: string[];

/** Every file under the sandbox but the content folder, the output, the cache and the decoy. */
function strayFiles(): string[] {
  return listFiles(project.sandbox).filter(
    (file) =>
      !file.startsWith('project/content/') &&
      !file.startsWith('project/site/') &&
      !file.startsWith('project/.gazette-cache/') &&
      !file.startsWith('outside/'),
  );
}

function fates(result: BuildResult, built: string[]): Map<string, Fate[]> {
  const byFile = new Map<string, Fate[]>();
  const add = (file: string, fate: Fate) => byFile.set(file, [...(byFile.get(file) ?? []), fate]);
  for (const file of built) add(file, 'built');
  for (const file of result.report.drafts) add(file, 'draft');
  for (const duplicate of result.report.duplicates) add(duplicate.file, 'duplicate');
  for (const failure of result.report.failed) add(failure.file, 'failed');
  return byFile;
}

async function buildHostile(options: { strict?: boolean } = {}) {
  let built: string[] = [];
  const result = await build({
    root: project.root,
    overrides: { outDir: project.outDir },
    ...options,
    onCollected: ({ site }) => {
      built = site.articles.map((article) => article.relativePath);
    },
  });
  return { result, built };
}

beforeAll(async () => {
  project = makeHostileProject();
  sandboxBefore = listFiles(project.sandbox);
  const { result, built } = await buildHostile();
  first = result;
  builtFiles = built;
}, 120_000);

afterAll(() => project?.cleanup());

describe('building a folder of hostile inputs', () => {
  it('finishes and writes the site', () => {
    expect(first.ok).toBe(true);
    expect(existsSync(path.join(project.outDir, 'index.html'))).toBe(true);
  });

  it('accounts for every input file exactly once, with the fate expected', () => {
    const byFile = fates(first, builtFiles);
    const actual = Object.fromEntries([...byFile].map(([file, list]) => [file, list.join(',')]));
    const expected = Object.fromEntries(
      Object.entries(EXPECTED).map(([file, expectation]) => [file, expectation.fate]),
    );
    expect(actual).toEqual(expected);
    expect(first.report.inputFiles).toBe(Object.keys(EXPECTED).length);
    expect(first.report.built).toBe(builtFiles.length);
  });

  it('gives every failed file a reason', () => {
    for (const failure of first.report.failed) expect(failure.reason.length).toBeGreaterThan(5);
  });

  it.each(
    Object.entries(EXPECTED).flatMap(([file, expectation]) =>
      (expectation.diagnostics ?? []).map((diagnostic) => [file, diagnostic] as const),
    ),
  )('reports %j: %o', (file, expected) => {
    const found = first.diagnostics.filter(
      (diagnostic) =>
        diagnostic.file === file &&
        diagnostic.severity === expected.severity &&
        expected.message.test(diagnostic.message),
    );
    expect(found, JSON.stringify(first.diagnostics.filter((d) => d.file === file))).not.toEqual([]);
    if (expected.line !== undefined) expect(found.map((d) => d.line)).toContain(expected.line);
  });

  it.each(Object.entries(EXPECTED_SKIPS))('reports the skipped path %j', (file, expected) => {
    expect(
      first.diagnostics.some(
        (diagnostic) =>
          diagnostic.file === file &&
          diagnostic.severity === expected.severity &&
          expected.message.test(diagnostic.message),
      ),
    ).toBe(true);
  });

  it('names a known file in every diagnostic about content', () => {
    const known = new Set([...Object.keys(EXPECTED), ...Object.keys(EXPECTED_SKIPS)]);
    const unknown = first.diagnostics.filter(
      (diagnostic) =>
        !known.has(diagnostic.file) &&
        !/^(config|search|templates?|public)\b/.test(diagnostic.file),
    );
    expect(unknown).toEqual([]);
  });

  it('prints a file name with a line break on one line', () => {
    const line = formatDiagnostic({
      severity: 'warning',
      file: 'names/line\nbreak.md',
      message: 'm',
    });
    expect(line).toBe('"names/line\\nbreak.md": warning: m');
  });

  it('writes nothing outside the output folder and the cache', () => {
    expect(sandboxBefore.filter((file) => !file.startsWith('project/content/'))).toEqual([
      'outside/folder/inside.md',
      'outside/secret.md',
    ]);
    expect(strayFiles()).toEqual([]);
    expect(listFiles(project.outsideDir)).toEqual(['folder/inside.md', 'secret.md']);
    for (const name of ['gazette-pwned', 'gazette-escape-permalink', 'gazette-escape-encoded']) {
      expect(existsSync(path.join(os.tmpdir(), name))).toBe(false);
      expect(existsSync(path.join(project.sandbox, name))).toBe(false);
    }
  });

  it('never reads a file through a link out of the content folder', () => {
    for (const file of listFiles(project.outDir)) {
      if (!/\.(html|xml|json)$/.test(file)) continue;
      expect(readFileSync(path.join(project.outDir, file), 'utf8')).not.toContain('SECRET-OUTSIDE');
    }
  });

  it('keeps every output path short enough for any file system', () => {
    for (const file of listFiles(project.outDir)) {
      for (const segment of file.split('/')) expect(Buffer.byteLength(segment)).toBeLessThan(256);
      expect(file).not.toMatch(/(^|\/)\.\.?(\/|$)/);
    }
  });

  it('lets no front-matter key reach Object.prototype', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('builds the same site again from the cache', async () => {
    const { result, built } = await buildHostile();
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(fates(result, built))).toEqual(
      Object.fromEntries(fates(first, builtFiles)),
    );
    expect(result.filesWritten).toBe(0);
  });

  it('fails under --strict and keeps the previous site', async () => {
    const manifest = path.join(project.outDir, '.gazette-output');
    const before = readFileSync(manifest, 'utf8');
    const mtime = statSync(manifest).mtimeMs;
    const { result } = await buildHostile({ strict: true });
    expect(result.ok).toBe(false);
    expect(readFileSync(manifest, 'utf8')).toBe(before);
    expect(statSync(manifest).mtimeMs).toBe(mtime);
    expect(readdirSync(project.root).sort()).toEqual(['.gazette-cache', 'content', 'site']);
  });
});
