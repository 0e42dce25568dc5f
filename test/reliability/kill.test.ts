/**
 * A build killed at any moment (SIGKILL, or SIGINT from Ctrl+C) leaves the previous site as it
 * was, and the next build produces exactly the site a clean build would.
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGeneratedProject, runGazette, snapshot, writeArticles } from './helpers.ts';

const COUNT = 300;
let root: string;
let outDir: string;
let fullBuildMs = 0;
const children: { kill: () => void }[] = [];

const args = () => ['build', '--root', root, '--no-search', '--quiet'];
const journal = () => path.join(path.dirname(outDir), '.site.gazette-staging', '.gazette-update');

/** The output manifest's files and keys, in a stable order. */
function manifestOf(folder: string): [string, string][] {
  const manifest = JSON.parse(readFileSync(path.join(folder, '.gazette-output'), 'utf8')) as {
    files: Record<string, string>;
  };
  return Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Files missing, added or different between two snapshots. */
function differences(actual: Record<string, string>, expected: Record<string, string>): string[] {
  const files = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...files]
    .filter((file) => actual[file] !== expected[file])
    .map((file) =>
      file in actual ? (file in expected ? `changed ${file}` : `added ${file}`) : `missing ${file}`,
    )
    .sort();
}

async function completeBuild(): Promise<number> {
  const started = performance.now();
  const run = runGazette(args());
  children.push(run.child);
  const result = await run.done;
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return performance.now() - started;
}

beforeAll(async () => {
  root = makeGeneratedProject(COUNT, 0);
  outDir = path.join(root, 'site');
  await completeBuild();
  // A build that rewrites half of the articles: what the killed builds below will be doing.
  writeArticles(root, COUNT, 1);
  fullBuildMs = await completeBuild();
}, 120_000);

afterAll(() => {
  for (const child of children) child.kill();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('a build killed part-way', () => {
  // Fractions of an uninterrupted build's time: start-up, load, render, write and commit.
  const moments = [0.1, 0.3, 0.45, 0.6, 0.7, 0.8, 0.88, 0.95];

  it.each(
    moments.map((fraction, index) => [
      fraction,
      index % 3 === 2 ? 'SIGINT' : 'SIGKILL',
      index + 2,
    ]) as [number, NodeJS.Signals, number][],
  )(
    'at %f of the build (%s) leaves the previous site, and the next build is correct',
    async (fraction, signal, version) => {
      const before = snapshot(outDir);
      // Every other article changes, one article comes and one goes.
      for (let index = version % 2; index < COUNT; index += 2)
        writeArticles(root, index + 1, version, index);
      writeArticles(root, COUNT + version, version, COUNT + version - 1);
      rmSync(path.join(root, 'content', `article-${COUNT + version - 2}.md`), { force: true });

      const run = runGazette(args());
      children.push(run.child);
      await new Promise((resolve) => setTimeout(resolve, fullBuildMs * fraction));
      run.child.kill(signal);
      const result = await run.done;

      // Killed between the two renames of the swap, the previous site waits beside the output
      // folder, and the next build puts it back before anything else.
      const previousSide = path.join(path.dirname(outDir), '.site.gazette-previous');
      const killedState = existsSync(outDir) ? snapshot(outDir) : snapshot(previousSide);
      const fresh = path.join(root, `fresh-${version}`);
      try {
        cpSync(path.join(root, 'content'), path.join(fresh, 'content'), { recursive: true });
        const clean = runGazette(['build', '--root', fresh, '--no-search', '--quiet']);
        children.push(clean.child);
        expect((await clean.done).code).toBe(0);
        const { '.gazette-output': __, ...cleanSite } = snapshot(path.join(fresh, 'site'));

        if (result.code !== 0 && !existsSync(journal())) {
          // Killed: the site is the previous one, or, if the signal came after the swap, the
          // whole new one; never a mix of the two.
          const { '.gazette-output': _, ...killedSite } = killedState;
          const unchanged = differences(killedState, before).length === 0;
          const replaced = differences(killedSite, cleanSite).length === 0;
          expect(unchanged || replaced, 'the previous site changed').toBe(true);
        }
        // (A journal left by an older, in-place update is finished by the next build.)

        await completeBuild();
        const { '.gazette-output': _, ...site } = snapshot(outDir);
        expect(differences(site, cleanSite), 'the next build differs from a clean one').toEqual([]);
        expect(manifestOf(outDir)).toEqual(manifestOf(path.join(fresh, 'site')));
      } finally {
        rmSync(fresh, { recursive: true, force: true });
      }
      expect(readdirSync(root).sort()).toEqual(['.gazette-cache', 'content', 'site']);
    },
    120_000,
  );
});
