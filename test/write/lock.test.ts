/**
 * One Gazette at a time writes an output folder: a second one is refused with a message
 * naming the first, and a lock left by a process that is gone is taken over.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processStamp } from '../../src/processes.ts';
import { lockOutputFolder } from '../../src/write/lock.ts';
import { buildProject, makeProject, repoRoot } from '../helpers.ts';

const article = '---\ntitle: A\ndate: 2021-05-01\n---\n<p>a</p>\n';
const lockOf = (root: string) => path.join(root, '.site.gazette-lock');

let sleeper: ChildProcess | undefined;
let root: string | undefined;
afterEach(() => {
  sleeper?.kill();
  sleeper = undefined;
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A process that runs until killed, standing for another Gazette holding the lock. */
function otherProcess(): number {
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  return sleeper.pid!;
}

describe('the output folder lock', () => {
  it('refuses a build while another process holds it, and takes over a dead one', async () => {
    root = makeProject({ 'a.md': article }, 'search:\n  enabled: false\n');
    const pid = otherProcess();
    writeFileSync(lockOf(root), JSON.stringify({ pid }));
    await expect(buildProject(root)).rejects.toThrow(
      new RegExp(`being written by another Gazette \\(process ${pid}\\)`),
    );
    expect(existsSync(path.join(root, 'site')), 'nothing written').toBe(false);

    // The holder is gone (killed, crashed): its lock is taken over.
    sleeper!.kill();
    await new Promise((resolve) => sleeper!.once('exit', resolve));
    expect((await buildProject(root)).report.built).toBe(1);
    expect(existsSync(lockOf(root)), 'released after the build').toBe(false);
  });

  it('takes over a dead lock at once when the process taking it over was killed too', async () => {
    root = makeProject({ 'a.md': article }, 'search:\n  enabled: false\n');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lockOf(root), JSON.stringify({ pid: dead }));
    // Left by a second build killed while it took the first one's lock over, just now.
    writeFileSync(`${lockOf(root)}.takeover`, JSON.stringify({ pid: dead }));
    expect((await buildProject(root)).report.built).toBe(1);
    expect(existsSync(`${lockOf(root)}.takeover`)).toBe(false);
  });

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock naming a process that is not its writer (a reused pid)',
    async () => {
      root = makeProject({ 'a.md': article }, 'search:\n  enabled: false\n');
      const pid = otherProcess();
      await new Promise((resolve) => sleeper!.once('spawn', resolve));
      // The stamp of a process that started in this boot's first tick: not the sleeper.
      const stamp = `${processStamp(pid)!.split(':')[0]}:1`;
      writeFileSync(lockOf(root), JSON.stringify({ pid, stamp }));
      expect((await buildProject(root)).report.built).toBe(1);
      expect(existsSync(lockOf(root)), 'released after the build').toBe(false);
    },
  );

  it.skipIf(!existsSync('/proc/self/stat'))(
    'takes over a lock whose process exited but was not reaped (a zombie)',
    async () => {
      root = makeProject({ 'a.md': article }, 'search:\n  enabled: false\n');
      // The shell's child exits; the shell, become `sleep`, never reaps it.
      sleeper = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const zombie = Number(
        await new Promise<string>((resolve) =>
          sleeper!.stdout!.once('data', (d) => resolve(String(d))),
        ),
      );
      const state = () =>
        readFileSync(`/proc/${zombie}/stat`, 'utf8').split(') ')[1]!.split(' ')[0];
      const deadline = Date.now() + 5000;
      while (state() !== 'Z' && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(state()).toBe('Z');
      writeFileSync(lockOf(root), JSON.stringify({ pid: zombie }));
      expect((await buildProject(root)).report.built).toBe(1);
    },
  );

  it('is counted within a process, and released when the last holder lets go', () => {
    root = makeProject({});
    const outDir = path.join(root, 'site');
    const first = lockOutputFolder(outDir);
    const second = lockOutputFolder(outDir);
    expect(JSON.parse(readFileSync(lockOf(root), 'utf8')).pid).toBe(process.pid);
    first();
    first();
    expect(existsSync(lockOf(root))).toBe(true);
    second();
    expect(existsSync(lockOf(root))).toBe(false);
  });

  it('is taken over by one process only when several start together after a crash', async () => {
    root = makeProject({});
    const outDir = path.join(root, 'site');
    const lockModule = path.join(repoRoot, 'src/write/lock.ts');
    const contender = `
      const { lockOutputFolder } = await import(${JSON.stringify(lockModule)});
      while (Date.now() < Number(process.env.START_AT)) {}
      try {
        const release = lockOutputFolder(${JSON.stringify(outDir)});
        console.log('held');
        await new Promise((resolve) => setTimeout(resolve, 800));
        release();
      } catch (error) {
        console.log(error.name === 'OutputError' ? 'refused' : String(error));
      }`;
    for (let round = 0; round < 3; round++) {
      // Left by a process that is gone.
      writeFileSync(lockOf(root), JSON.stringify({ pid: 2 ** 22 + 12345 }));
      const startAt = String(Date.now() + 1500);
      const answers = await Promise.all(
        Array.from(
          { length: 6 },
          () =>
            new Promise<string>((resolve) => {
              const child = spawn(
                process.execPath,
                ['--import', 'tsx', '--input-type=module', '-e', contender],
                { cwd: repoRoot, env: { ...process.env, START_AT: startAt } },
              );
              let output = '';
              child.stdout.on('data', (chunk) => {
                output += chunk;
              });
              child.on('close', () => resolve(output.trim()));
            }),
        ),
      );
      expect(
        answers.filter((answer) => answer === 'held'),
        answers.join(', '),
      ).toHaveLength(1);
      expect(answers.filter((answer) => answer !== 'held').every((a) => a === 'refused')).toBe(
        true,
      );
      expect(existsSync(lockOf(root)), 'released by its holder').toBe(false);
    }
  }, 60_000);

  it('makes the folders the output goes in, and names what is in the lock file’s way', () => {
    root = makeProject({});
    const release = lockOutputFolder(path.join(root, 'new', 'deep', 'site'));
    expect(existsSync(path.join(root, 'new', 'deep', '.site.gazette-lock'))).toBe(true);
    release();
    mkdirSync(lockOf(root));
    expect(() => lockOutputFolder(path.join(root!, 'site'))).toThrow(/is in the way/);
  });

  it('makes a second command-line build exit 2 with one line naming the first', () => {
    root = makeProject({ 'a.md': article });
    const pid = otherProcess();
    writeFileSync(lockOf(root), JSON.stringify({ pid }));
    const result = spawnSync(
      process.execPath,
      [path.join(repoRoot, 'bin/gazette.js'), 'build', '--root', root, '--no-search'],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^gazette: .* is being written by another Gazette/m);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('tells a build or clean that a dev server is serving the folder, not to wait for it', () => {
    root = makeProject({ 'a.md': article });
    const pid = otherProcess();
    writeFileSync(lockOf(root), JSON.stringify({ pid, purpose: 'dev' }));
    for (const command of ['build', 'clean']) {
      const result = spawnSync(
        process.execPath,
        [path.join(repoRoot, 'bin/gazette.js'), command, '--root', root],
        { encoding: 'utf8' },
      );
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(
        new RegExp(
          `is served by gazette dev \\(process ${pid}\\).*stop the dev server first, or use --out`,
        ),
      );
      expect(result.stderr).not.toMatch(/wait for it to finish|delete/);
    }
  });

  it('is written by the dev server with its purpose', () => {
    root = makeProject({ 'a.md': article });
    const release = lockOutputFolder(path.join(root, 'site'), 'dev');
    try {
      expect(JSON.parse(readFileSync(lockOf(root), 'utf8'))).toMatchObject({
        pid: process.pid,
        purpose: 'dev',
      });
    } finally {
      release();
    }
  });
});
