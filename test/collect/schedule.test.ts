import { cpSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scheduleState, scheduleWindow } from '../../src/collect/schedule.ts';
import { defaultConfig } from '../../src/config/schema.ts';
import { loadArticle } from '../../src/load/article.ts';
import { buildProject, listFiles, makeProject } from '../helpers.ts';
import { makeTempFolder } from '../temp-folders.ts';

const at = (iso: string) => new Date(iso).getTime();

describe('scheduled and expiring articles', () => {
  it('are out from their publishDate until their expiryDate', () => {
    const article = {
      publishDate: new Date('2030-01-01T00:00:00Z'),
      expiryDate: new Date('2030-06-01T00:00:00Z'),
    };
    expect(scheduleState(article, at('2029-12-31T23:59:59Z'))).toBe('scheduled');
    expect(scheduleState(article, at('2030-01-01T00:00:00Z'))).toBe('published');
    expect(scheduleState(article, at('2030-06-01T00:00:00Z'))).toBe('expired');
    expect(scheduleState({}, 0)).toBe('published');
    expect(scheduleWindow([article, {}], at('2029-01-01T00:00:00Z'))).toEqual({
      until: at('2030-01-01T00:00:00Z'),
    });
    expect(scheduleWindow([article], at('2030-02-01T00:00:00Z'))).toEqual({
      from: at('2030-01-01T00:00:00Z'),
      until: at('2030-06-01T00:00:00Z'),
    });
    expect(scheduleWindow([article], at('2031-01-01T00:00:00Z'))).toEqual({
      from: at('2030-06-01T00:00:00Z'),
    });
  });

  it("are read from Hugo's front matter, dated by publishDate when they have no date", () => {
    const folder = makeTempFolder('gazette-schedule-');
    const load = (text: string) => {
      writeFileSync(path.join(folder, 'a.md'), text);
      return loadArticle(
        { absolutePath: path.join(folder, 'a.md'), relativePath: 'a.md' },
        defaultConfig(),
      );
    };
    const scheduled = load(
      '---\ntitle: A\npublishDate: 2099-01-01T08:00:00Z\nexpirydate: 2099-02-01\n---\n<p>x</p>\n',
    );
    expect(scheduled.article?.publishDate?.toISOString()).toBe('2099-01-01T08:00:00.000Z');
    expect(scheduled.article?.expiryDate).toBeInstanceOf(Date);
    // Its date is its publishDate, in the future as scheduled: no warning says so.
    expect(scheduled.article?.date.toISOString()).toBe('2099-01-01T08:00:00.000Z');
    expect(scheduled.diagnostics).toEqual([]);
    const unreadable = load('---\ntitle: A\ndate: 2024-01-01\nexpiryDate: soon\n---\n<p>x</p>\n');
    expect(unreadable.article?.expiryDate).toBeUndefined();
    expect(unreadable.diagnostics).toMatchObject([
      { severity: 'warning', line: 4, message: 'unreadable expiryDate "soon", ignored' },
    ]);
  });

  it('come and go as time passes, a recorded build replayed only until the next one does', async () => {
    const root = makeProject(
      {
        'old.md': '---\ntitle: Old\ndate: 2030-01-01T08:00:00Z\n---\n<p>Old.</p>\n',
        'later.md':
          '---\ntitle: Later\ndate: 2030-01-02T08:00:00Z\npublishDate: 2030-03-01T00:00:00Z\n---\n<p>Later.</p>\n',
        'gone.md':
          '---\ntitle: Gone\ndate: 2030-01-03T08:00:00Z\nexpiryDate: 2030-04-01T00:00:00Z\n---\n<p>Gone.</p>\n',
      },
      'search:\n  enabled: false\n',
    );
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const file of [
      ...listFiles(path.join(root, 'content')).map((f) => `content/${f}`),
      'gazette.config.yml',
    ])
      utimesSync(path.join(root, file), anHourAgo, anHourAgo);
    const pages = (outDir: string) =>
      listFiles(outDir)
        .filter((file) => /^2030\/01\/\d\d\/[a-z]+\/index\.html$/.test(file))
        .sort();
    const snapshot = (outDir: string) =>
      new Map(
        listFiles(outDir).map((file) => [file, readFileSync(path.join(outDir, file), 'utf8')]),
      );

    const february = await buildProject(root, { now: at('2030-02-01T00:00:00Z') });
    expect(pages(february.outDir)).toEqual([
      '2030/01/01/old/index.html',
      '2030/01/03/gone/index.html',
    ]);
    expect(february.report.scheduled).toEqual(['later.md']);
    // Still February: nothing changed, replayed.
    const again = await buildProject(root, { now: at('2030-02-15T00:00:00Z') });
    expect(again.timings.render).toBe(0);
    expect(again.report.scheduled).toEqual(['later.md']);

    // March: the scheduled article is out, as a cold build would have it.
    const march = await buildProject(root, { now: at('2030-03-01T00:00:00Z') });
    expect(march.timings.render).toBeGreaterThan(0);
    expect(march.report.scheduled).toEqual([]);
    expect(pages(march.outDir)).toEqual([
      '2030/01/01/old/index.html',
      '2030/01/02/later/index.html',
      '2030/01/03/gone/index.html',
    ]);
    const cold = makeProject({}, 'search:\n  enabled: false\n');
    rmSync(path.join(cold, 'content'), { recursive: true });
    cpSync(path.join(root, 'content'), path.join(cold, 'content'), { recursive: true });
    const coldMarch = await buildProject(cold, { now: at('2030-03-01T00:00:00Z') });
    expect(snapshot(march.outDir)).toEqual(snapshot(coldMarch.outDir));

    // April: the expiring one has gone.
    const april = await buildProject(root, { now: at('2030-04-01T00:00:00Z') });
    expect(april.report.expired).toEqual(['gone.md']);
    expect(pages(april.outDir)).toEqual([
      '2030/01/01/old/index.html',
      '2030/01/02/later/index.html',
    ]);
    expect(readFileSync(path.join(april.outDir, 'feed.xml'), 'utf8')).not.toContain('Gone');

    // A clock set back to February is not served April's site.
    const back = await buildProject(root, { now: at('2030-02-01T00:00:00Z') });
    expect(back.report.scheduled).toEqual(['later.md']);
    expect(pages(back.outDir)).toEqual(['2030/01/01/old/index.html', '2030/01/03/gone/index.html']);
  });
});
