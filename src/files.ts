import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** The file every Gazette output folder holds (see write/output.ts, which cannot be imported here). */
const SITE_MARKER = '.gazette-output';

/**
 * Every file under `folder`, as sorted paths relative to it with forward slashes; none when
 * the folder does not exist. Symbolic links are followed (a `public/` file linked from
 * elsewhere is published like any other), each real folder walked once. A linked folder that
 * holds `folder` itself (a link to the project or to `/`) and any folder that is a built site
 * (a link to the output folder) are left out: the site would copy itself, growing on every
 * build. So is a dangling link. An explicit stack: archives nest deep, recursion gains
 * nothing.
 */
export function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const root = realpathSync(folder);
  const files: string[] = [];
  const walked = new Set<string>([root]);
  const pending = [''];
  while (pending.length > 0) {
    const relative = pending.pop()!;
    for (const entry of readdirSync(path.join(folder, relative), { withFileTypes: true })) {
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = path.join(folder, child);
        try {
          const stats = statSync(target);
          isFile = stats.isFile();
          isFolder = stats.isDirectory();
          if (isFolder) {
            const real = realpathSync(target);
            if (walked.has(real) || isInside(root, real)) continue;
            walked.add(real);
          }
        } catch {
          continue;
        }
      }
      if (isFolder && !existsSync(path.join(folder, child, SITE_MARKER))) pending.push(child);
      else if (isFile) files.push(child);
    }
  }
  return files.sort();
}

/** Whether `inner` is the folder `outer` or inside it. */
function isInside(inner: string, outer: string): boolean {
  const relative = path.relative(outer, inner);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
