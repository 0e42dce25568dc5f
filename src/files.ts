import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every file under `folder`, as sorted paths relative to it with forward slashes; none when
 * the folder does not exist. Symbolic links are followed (a `public/` file linked from
 * elsewhere is published like any other), each real folder walked once, so a link to a
 * parent makes no loop; a dangling link is left out. An explicit stack: archives nest deep,
 * recursion gains nothing.
 */
export function listFiles(folder: string): string[] {
  if (!existsSync(folder)) return [];
  const files: string[] = [];
  const walked = new Set<string>([realpathSync(folder)]);
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
          isFile = statSync(target).isFile();
          isFolder = !isFile && statSync(target).isDirectory();
          if (isFolder) {
            const real = realpathSync(target);
            if (walked.has(real)) continue;
            walked.add(real);
          }
        } catch {
          continue;
        }
      }
      if (isFolder) pending.push(child);
      else if (isFile) files.push(child);
    }
  }
  return files.sort();
}
