import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildExtension } from '../../src/build.ts';
import { type Pagefind, pagefindServices, searchExtension } from '../../src/search/extension.ts';
import { buildProject, makeProject } from '../helpers.ts';

/**
 * Pagefind's service works through its requests one at a time, in the order they are sent,
 * and holds every index it was given until it is deleted: counting, per service, the pages
 * of its live indexes in the order requests are sent gives what it holds at most.
 */
function counted(service: Pagefind, peaks: number[], at: number, closed: number[] = []): Pagefind {
  let held = 0;
  peaks[at] = 0;
  return {
    ...service,
    close: () => {
      closed.push(at);
      return service.close();
    },
    createIndex: async (config) => {
      const response = await service.createIndex(config);
      const index = response.index;
      if (!index) return response;
      let pages = 0;
      return {
        ...response,
        index: {
          ...index,
          addHTMLFile: (file) => {
            pages++;
            held++;
            peaks[at] = Math.max(peaks[at]!, held);
            return index.addHTMLFile(file);
          },
          getFiles: () => index.getFiles(),
          deleteIndex: () => {
            held -= pages;
            return index.deleteIndex();
          },
        },
      };
    },
  };
}

const article = (title: string, date: string) =>
  `---\ntitle: ${title}\ndate: ${date}\ncategories: [Economy]\n---\n\n<p>${title} harbour.</p>\n`;

describe('search bundles in memory', () => {
  // Three bundles of six articles: 2022, 2023 and the newest month.
  const files: Record<string, string> = {};
  for (let day = 1; day <= 6; day++) {
    files[`2022-${day}.md`] = article(`Canal report ${day}`, `2022-03-0${day} 09:00`);
    files[`2023-${day}.md`] = article(`Ferry report ${day}`, `2023-04-0${day} 09:00`);
    files[`2024-${day}.md`] = article(`Tram report ${day}`, `2024-05-0${day} 09:00`);
  }
  const root = makeProject(files, 'title: Held\nbaseUrl: https://example.org/\n');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('makes bundles in two services, each freeing a bundle once written', async () => {
    const peaks: number[] = [];
    const services = await pagefindServices();
    // Two instances of the module, each with a service (a process) of its own.
    expect(services).toHaveLength(2);
    expect(services[0]).not.toBe(services[1]);
    const result = await buildProject(root, {
      extensions: [
        searchExtension({
          pagesInFlight: 2,
          services: async () => services.map((service, at) => counted(service, peaks, at)),
        }),
      ],
    });
    expect(result.ok, JSON.stringify(result.diagnostics)).toBe(true);
    // Three bundles of six pages between two services: one service holding two bundles
    // at once would be 12 pages. One bundle, the pages in flight and the few handed over
    // between Pagefind's reply to a write and the freeing of its index are at most 10.
    expect(peaks).toHaveLength(2);
    expect(Math.max(...peaks)).toBeGreaterThanOrEqual(6);
    for (const peak of peaks) expect(peak).toBeLessThanOrEqual(6 + 2 + 2);
  });

  it('stops writing and closes both services when the build fails meanwhile', async () => {
    const closed: number[] = [];
    const services = await pagefindServices();
    let articles = 0;
    const failing = {
      name: 'failing',
      pageRendered(spec: { kind: string }) {
        // Once the newest month's bundle is complete and being written.
        if (spec.kind === 'article' && ++articles === 8) throw new Error('disk full');
      },
    } as BuildExtension;
    rmSync(path.join(root, 'site'), { recursive: true, force: true });
    rmSync(path.join(root, '.gazette-cache'), { recursive: true, force: true });
    await expect(
      buildProject(root, {
        extensions: [
          searchExtension({
            services: async () => services.map((service, at) => counted(service, [], at, closed)),
          }),
          failing,
        ],
      }),
    ).rejects.toThrow('disk full');
    expect(closed.sort()).toEqual([0, 1]);
    // Nothing was written after the staged site was dropped.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(path.join(root, '.site.gazette-staging'))).toBe(false);
    expect(existsSync(path.join(root, 'site'))).toBe(false);
  });
});
