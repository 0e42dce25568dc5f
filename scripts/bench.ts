/**
 * Build benchmark: generates seed-shaped corpora on tmpfs, then times a cold build (no cache,
 * no previous site), a rebuild with nothing changed, a rebuild with one article changed and
 * one with an article added (as a scraper adds them), each in its own `gazette build`
 * process so that peak memory can be measured.
 *
 *   npm run bench -- [--sizes 1000,10000,100000] [--dir /dev/shm/gazette-bench] [--no-search]
 *                    [--page-numbering newest-first|stable]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RACY_SECONDS } from '../src/cache/last-build.ts';
import { generateCorpus } from './generate-corpus.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `npm run bench -- [options]
  --sizes N,N,…           archive sizes to generate and build (default 1000,10000)
  --dir DIR               where corpora and sites go (default /dev/shm/gazette-bench: tmpfs)
  --no-search             leave out the search index
  --skip-dev              leave out the dev server's start and one-edit timings
  --page-numbering MODE   newest-first (default) or stable
  --help                  this text`;

let parsed: ReturnType<typeof parseOptions>;
try {
  parsed = parseOptions();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (parsed.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const { values } = parsed;

function parseOptions() {
  return parseArgs({
    options: {
      help: { type: 'boolean', default: false },
      sizes: { type: 'string', default: '1000,10000' },
      dir: {
        type: 'string',
        default: existsSync('/dev/shm') ? '/dev/shm/gazette-bench' : '.tmp/bench',
      },
      'no-search': { type: 'boolean', default: false },
      'skip-dev': { type: 'boolean', default: false },
      'page-numbering': { type: 'string', default: 'newest-first' },
    },
  });
}
if (!['newest-first', 'stable'].includes(values['page-numbering'])) {
  console.error(`--page-numbering must be newest-first or stable, not ${values['page-numbering']}`);
  process.exit(2);
}

interface Run {
  n: number;
  kind: 'cold' | 'unchanged' | 'one change' | 'one added' | 'new title';
  seconds: number;
  pages: number;
  rssMb: number;
  /** Peak of the Pagefind processes' summed memory (they run beside the build's own). */
  searchRssMb: number;
  timings: Record<string, number>;
  written: number;
  /** Articles loaded and sanitized again (not taken from the build cache). */
  transformed: number;
}

/** The issue's targets; a new title has none (it re-renders every page, as a new theme does). */
const TARGETS: Record<number, Record<Exclude<Run['kind'], 'new title'>, string> & { rss: string }> =
  {
    10000: {
      cold: '2.7 s',
      unchanged: '0.5 s',
      'one change': '0.5 s',
      'one added': '0.5 s',
      rss: '400 MB',
    },
    100000: {
      cold: '40 s',
      unchanged: '4 s',
      'one change': '4 s',
      'one added': '4 s',
      rss: '1 GB',
    },
  };

const hasTime = existsSync('/usr/bin/time');

/**
 * Summed resident memory (KB) of the Pagefind processes below a process, read from Linux's
 * /proc (undefined elsewhere): Pagefind indexes in processes of its own, which `time`'s
 * peak RSS of the build does not include.
 */
function pagefindMemoryBelow(ancestor: number): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const parentOf = new Map<number, number>();
  const pagefind: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: the name may hold spaces or parentheses.
      const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(entry), Number(afterName[1]));
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).startsWith('pagefind'))
        pagefind.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  let kb = 0;
  for (const pid of pagefind) {
    let up = parentOf.get(pid);
    while (up !== undefined && up > 1 && up !== ancestor) up = parentOf.get(up);
    if (up !== ancestor) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kb;
}

async function runBuild(root: string, n: number, kind: Run['kind']): Promise<Run> {
  const report = path.join(root, 'report.json');
  const args = [
    path.join(repo, 'bin/gazette.js'),
    'build',
    '--root',
    root,
    '--timings',
    '--quiet',
    '--report',
    report,
  ];
  if (values['no-search']) args.push('--no-search');
  const started = performance.now();
  const child = hasTime
    ? spawn('/usr/bin/time', ['-f', '%M', process.execPath, ...args])
    : spawn(process.execPath, args);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdout.resume();
  let searchPeakKb: number | undefined;
  const poll = setInterval(() => {
    const kb = child.pid === undefined ? undefined : pagefindMemoryBelow(child.pid);
    if (kb !== undefined) searchPeakKb = Math.max(searchPeakKb ?? 0, kb);
  }, 250);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(poll);
  const seconds = (performance.now() - started) / 1000;
  if (status !== 0 && !existsSync(report)) {
    throw new Error(`build failed (${kind}, ${n}):\n${stderr}`);
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  const rssKb = hasTime ? Number(stderr.trim().split('\n').at(-1)) : Number.NaN;
  const pages = Object.entries(result.pages as Record<string, number>)
    .filter(([kind]) => kind !== 'static')
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    n,
    kind,
    seconds,
    pages,
    rssMb: rssKb / 1024,
    searchRssMb: (searchPeakKb ?? Number.NaN) / 1024,
    timings: result.timings,
    written: result.filesWritten,
    transformed: result.cache.articlesTransformed,
  };
}

const search = !values['no-search'];

function table(runs: Run[]): string {
  const rows = [
    `| N articles | build | wall time | build time (in process) | pages/s | peak RSS |${search ? ' Pagefind peak |' : ''} files written | target time / RSS |`,
    `|---:|---|---:|---:|---:|---:|${search ? '---:|' : ''}---:|---|`,
  ];
  for (const run of runs) {
    const target = TARGETS[run.n];
    rows.push(
      `| ${run.n.toLocaleString('en-US')} | ${run.kind} | ${run.seconds.toFixed(2)} s | ${(run.timings.total! / 1000).toFixed(2)} s | ${Math.round(run.pages / run.seconds).toLocaleString('en-US')} | ${run.rssMb.toFixed(0)} MB |${search ? ` ${Number.isNaN(run.searchRssMb) ? '—' : `${run.searchRssMb.toFixed(0)} MB`} |` : ''} ${run.written.toLocaleString('en-US')} | ${target && run.kind !== 'new title' ? `≤ ${target[run.kind]} / ≤ ${target.rss}` : '—'} |`,
    );
  }
  return rows.join('\n');
}

function phases(runs: Run[]): string {
  const names = ['load', 'transform', 'collect', 'render', 'write', 'total'];
  const rows = [
    `| N | build | ${names.join(' | ')} |`,
    `|---:|---|${names.map(() => '---:').join('|')}|`,
  ];
  for (const run of runs)
    rows.push(
      `| ${run.n.toLocaleString('en-US')} | ${run.kind} | ${names.map((name) => `${Math.round(run.timings[name] ?? 0)} ms`).join(' | ')} |`,
    );
  return rows.join('\n');
}

// Taken before the builds load the machine themselves.
const loadBefore = os.loadavg();
const runs: Run[] = [];
for (const n of values.sizes.split(',').map(Number)) {
  const root = path.join(values.dir, `n${n}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  writeFileSync(
    path.join(root, 'gazette.config.yml'),
    `title: Gazette benchmark\npageNumbering: ${values['page-numbering']}\n`,
  );
  const generated = performance.now();
  const { files, bytes, newest } = generateCorpus({
    dir: path.join(root, 'content'),
    count: n,
    seed: 1,
  });
  console.error(
    `${n} articles, ${(bytes / 1048576).toFixed(0)} MB generated in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
  );
  // Files modified in the last seconds are not trusted by size and time (RACY_SECONDS): an
  // archive's files are older than that when it is rebuilt.
  await new Promise((resolve) => setTimeout(resolve, (RACY_SECONDS + 0.5) * 1000));
  runs.push(await runBuild(root, n, 'cold'));
  runs.push(await runBuild(root, n, 'unchanged'));
  // One article edited: a sentence added to its body.
  const edited = path.join(root, 'content', files[Math.floor(files.length / 2)]!);
  writeFileSync(
    edited,
    readFileSync(edited, 'utf8').replace('</div>', '<p>Correction: edited.</p>\n</div>'),
  );
  runs.push(await runBuild(root, n, 'one change'));
  // One article added, as a scraper adds them: the newest, a second after the newest one (in
  // its month, so the month's search bundle is made again, not the archive's).
  mkdirSync(path.join(root, 'content', 'added'), { recursive: true });
  writeFileSync(
    path.join(root, 'content', 'added', 'zz-added.md'),
    readFileSync(edited, 'utf8')
      .replace(/^title: .*$/m, "title: 'An article added by the scraper'")
      .replace(/^date: .*$/m, `date: ${new Date(newest.getTime() + 1000).toISOString()}`),
  );
  runs.push(await runBuild(root, n, 'one added'));
  // The site's title changed: every page is made again, no article is sanitized again.
  writeFileSync(
    path.join(root, 'gazette.config.yml'),
    `title: Gazette benchmark, renamed\npageNumbering: ${values['page-numbering']}\n`,
  );
  const retitled = await runBuild(root, n, 'new title');
  // A regression here would only show as a slower time: say it.
  if (retitled.transformed > 0)
    console.error(`new title: ${retitled.transformed} articles sanitized again (expected none)`);
  runs.push(retitled);
  console.error(table(runs.filter((run) => run.n === n)));
  rmSync(root, { recursive: true, force: true });
}

const cpus = os.cpus();
console.log(
  `\nMachine: ${cpus.length}× ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.platform()}; load average before the runs ${loadBefore
    .map((load) => load.toFixed(2))
    .join(' ')}; corpora in ${values.dir}`,
);
console.log(
  `\n## Builds (${values['no-search'] ? 'search off' : 'search on'}; pages numbered ${values['page-numbering']})\n`,
);
console.log(table(runs));
console.log('\n## Phases\n');
console.log(phases(runs));

if (!values['skip-dev']) {
  const devBench = path.join(repo, 'scripts/bench-dev.ts');
  if (existsSync(devBench)) {
    const { benchDev, formatDevBench } = await import(devBench);
    console.log('\n## Dev server (save to reload)\n');
    console.log(
      formatDevBench(await benchDev({ articles: 1000, dir: path.join(values.dir, 'dev') })),
    );
  } else {
    console.log('\n(dev-server latency benchmark scripts/bench-dev.ts not found: skipped)');
  }
}
