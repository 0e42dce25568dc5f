/**
 * One build at a time uses a cache folder: builds into two output folders of one project
 * take turns instead of writing one body pack at once (each index then pointing at the
 * other's bytes) and deleting each other's packs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CACHE_LOCK_FILE, lockCacheFolder } from '../../src/cache/cache-lock.ts';
import { processStamp } from '../../src/processes.ts';
import { buildProject, generatedProject, listFiles, makeProject, repoRoot } from '../helpers.ts';

const CONFIG = 'title: Cache lock\nsearch:\n  enabled: false\n';

let sleeper: ChildProcess | undefined;
const roots: string[] = [];
afterEach(() => {
  sleeper?.kill();
  sleeper = undefined;
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A process that runs until killed, standing for another build holding the lock. */
function otherProcess(): ChildProcess {
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return sleeper;
}

function snapshot(outDir: string): Map<string, string> {
  return new Map(
    listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
  );
}

/** Resolves to whether the promise settled within `ms` (as soon as it does). */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

describe('the cache folder lock', () => {
  it('waits while another process holds it, saying which, and takes over once it is gone', async () => {
    const root = makeProject({});
    roots.push(root);
    const cacheDir = path.join(root, '.gazette-cache');
    const holder = otherProcess();
    await lockCacheFolder(cacheDir).then((release) => release());
    writeFileSync(path.join(cacheDir, CACHE_LOCK_FILE), JSON.stringify({ pid: holder.pid }));

    const told: (number | undefined)[] = [];
    const locking = lockCacheFolder(cacheDir, (pid) => told.push(pid));
    expect(await settlesWithin(locking, 600), 'waits for the holder').toBe(false);
    expect(told).toEqual([holder.pid]);

    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
    const release = await locking;
    expect(JSON.parse(readFileSync(path.join(cacheDir, CACHE_LOCK_FILE), 'utf8')).pid).toBe(
      process.pid,
    );
    release();
    release();
    expect(existsSync(path.join(cacheDir, CACHE_LOCK_FILE)), 'released').toBe(false);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose process number now belongs to another process',
    async () => {
      const root = makeProject({});
      roots.push(root);
      const cacheDir = path.join(root, '.gazette-cache');
      const release = await lockCacheFolder(cacheDir);
      const ours = JSON.parse(readFileSync(path.join(cacheDir, CACHE_LOCK_FILE), 'utf8'));
      expect(ours.stamp, 'the lock says which process wrote it').toBe(processStamp(process.pid));
      release();
      // Written by a process that is gone, whose number the sleeper now has: another stamp.
      const other = otherProcess();
      await new Promise((resolve) => other.once('spawn', resolve));
      const stamp = processStamp(other.pid!)!;
      const gone = `${stamp.split(':')[0]}:1`;
      writeFileSync(
        path.join(cacheDir, CACHE_LOCK_FILE),
        JSON.stringify({ pid: other.pid, stamp: gone }),
      );
      const told: (number | undefined)[] = [];
      const locking = lockCacheFolder(cacheDir, (pid) => told.push(pid));
      expect(await settlesWithin(locking, 300), 'taken over at once').toBe(true);
      expect(told).toEqual([]);
      (await locking)();
      // Written by the sleeper itself: held, whatever the clocks say.
      writeFileSync(
        path.join(cacheDir, CACHE_LOCK_FILE),
        JSON.stringify({ pid: other.pid, since: '2000-01-01T00:00:00Z', stamp }),
      );
      const waiting = lockCacheFolder(cacheDir, (pid) => told.push(pid));
      expect(await settlesWithin(waiting, 300)).toBe(false);
      expect(told).toEqual([other.pid]);
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
      (await waiting)();
    },
  );

  it('is one lock for one folder reached by two paths', async () => {
    const root = makeProject({});
    roots.push(root);
    const cacheDir = path.join(root, '.gazette-cache');
    mkdirSync(cacheDir);
    symlinkSync(cacheDir, path.join(root, 'cache-link'));
    const first = await lockCacheFolder(cacheDir);
    const second = lockCacheFolder(path.join(root, 'cache-link'));
    expect(await settlesWithin(second, 300)).toBe(false);
    first();
    (await second)();
  });

  it('is let go by a build whose cache could not be saved, so that the next one goes on', async () => {
    const root = makeProject(
      { 'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n' },
      CONFIG,
    );
    roots.push(root);
    expect((await buildProject(root)).ok).toBe(true);
    // In the way of the save's clean-up of old packs.
    const inTheWay = path.join(root, '.gazette-cache', 'bodies-in-the-way.pack');
    mkdirSync(inTheWay);
    writeFileSync(path.join(inTheWay, 'x'), '');
    writeFileSync(
      path.join(root, 'content', 'b.md'),
      '---\ntitle: B\ndate: 2021-05-02\n---\n<p>b</p>\n',
    );
    await expect(buildProject(root)).rejects.toThrow(/bodies-in-the-way/);
    rmSync(inTheWay, { recursive: true });
    const next = buildProject(root);
    expect(await settlesWithin(next, 20_000), 'not waiting for itself').toBe(true);
    expect((await next).report.built).toBe(2);
  }, 60_000);

  it('has builds of one process take turns', async () => {
    const root = makeProject({});
    roots.push(root);
    const cacheDir = path.join(root, '.gazette-cache');
    const first = await lockCacheFolder(cacheDir);
    const told: (number | undefined)[] = [];
    const second = lockCacheFolder(cacheDir, (pid) => told.push(pid));
    expect(await settlesWithin(second, 300)).toBe(false);
    expect(told).toEqual([process.pid]);
    first();
    const releaseSecond = await second;
    expect(existsSync(path.join(cacheDir, CACHE_LOCK_FILE))).toBe(true);
    releaseSecond();
    expect(existsSync(path.join(cacheDir, CACHE_LOCK_FILE))).toBe(false);
  });

  it('keeps the cache right when two builds of one project into two folders run at once', async () => {
    const { root, files } = generatedProject({ count: 120, seed: 11, config: CONFIG });
    roots.push(root);
    expect((await buildProject(root)).ok).toBe(true);
    // Many articles edited: both builds transform them and store their new bodies at once.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const [index, file] of files.entries()) {
      if (index % 2 === 1) continue;
      const absolute = path.join(root, 'content', file);
      writeFileSync(
        absolute,
        readFileSync(absolute, 'utf8').replace('</p>', ` (edition ${index})</p>`),
      );
      utimesSync(absolute, anHourAgo, anHourAgo);
    }
    const [main, preview] = await Promise.all([
      buildProject(root),
      buildProject(root, { overrides: { outDir: path.join(root, 'preview') } }),
    ]);
    expect(main.ok && preview.ok).toBe(true);
    expect(snapshot(preview.outDir)).toEqual(snapshot(main.outDir));

    // The next build takes every article from the cache: it must give what a cold build gives.
    const cached = await buildProject(root, { overrides: { outDir: path.join(root, 'again') } });
    expect(cached.cache.articlesTransformed).toBe(0);
    const cold = path.join(root, 'cold');
    cpSync(path.join(root, 'content'), path.join(cold, 'content'), { recursive: true });
    cpSync(path.join(root, 'gazette.config.yml'), path.join(cold, 'gazette.config.yml'));
    const coldBuild = await buildProject(cold);
    expect(snapshot(cached.outDir)).toEqual(snapshot(coldBuild.outDir));
  }, 120_000);

  it('makes a command-line build say what it waits for', async () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n' });
    roots.push(root);
    const cacheDir = path.join(root, '.gazette-cache');
    const holder = otherProcess();
    await lockCacheFolder(cacheDir).then((release) => release());
    writeFileSync(path.join(cacheDir, CACHE_LOCK_FILE), JSON.stringify({ pid: holder.pid }));
    const child = spawn(
      process.execPath,
      [path.join(repoRoot, 'bin/gazette.js'), 'build', '--root', root, '--no-search'],
      { env: { ...process.env, GAZETTE_FROM_SOURCE: '1' } },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes('waiting for')) holder.kill();
    });
    const status = await new Promise((resolve) => child.on('close', resolve));
    const result = { status, stderr };
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `waiting for another build (process ${holder.pid}) using the build cache ${cacheDir}`,
    );
  }, 60_000);

  it('keeps `gazette clean` from emptying a cache a build is using', async () => {
    const root = makeProject({ 'a.md': '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n' });
    roots.push(root);
    expect((await buildProject(root)).ok).toBe(true);
    const cacheDir = path.join(root, '.gazette-cache');
    // Left by a killed build: clean removes it with the rest.
    writeFileSync(path.join(cacheDir, 'articles.jsonl.4194999-abcd1234.tmp'), '');
    const holder = otherProcess();
    writeFileSync(path.join(cacheDir, CACHE_LOCK_FILE), JSON.stringify({ pid: holder.pid }));
    const clean = (cwd: string) =>
      new Promise<{ status: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [path.join(repoRoot, 'bin/gazette.js'), 'clean'], {
          cwd,
          env: { ...process.env, GAZETTE_FROM_SOURCE: '1' },
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('close', (status) => resolve({ status, stderr }));
      });
    const refused = await clean(root);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`in use by another build (process ${holder.pid})`);
    expect(existsSync(path.join(cacheDir, 'articles.jsonl'))).toBe(true);
    expect(existsSync(path.join(root, 'site', 'index.html')), 'nothing deleted').toBe(true);

    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
    expect((await clean(root)).status).toBe(0);
    expect(existsSync(cacheDir), 'emptied and removed').toBe(false);
    expect(existsSync(path.join(root, 'site'))).toBe(false);
  }, 60_000);
});
