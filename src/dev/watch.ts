import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';

export interface WatchOptions {
  /** Files and folders to watch (missing ones are watched for their creation). */
  paths: string[];
  /** Folders whose changes are never reported (the output folder). */
  ignoredFolders: string[];
  /** Quiet time after the last event before a batch is reported. */
  debounceMs?: number;
  /** A stream of events (a scraper dropping files) is reported at least this often. */
  maxWaitMs?: number;
  /** Changed paths, absolute, each once per batch; whether a file was added, changed or
   * removed is for the receiver to find out, since editors save by rename and events lie. */
  onBatch: (files: string[]) => void;
  onError?: (error: Error) => void;
}

export interface ProjectWatcher {
  ready: Promise<void>;
  close: () => Promise<void>;
}

const ALWAYS_IGNORED = /(^|[\\/])(node_modules|\.git|\.hg|\.svn)([\\/]|$)/;

/**
 * Watches the project and reports changed files in batches: a save that is a write, a
 * rename over the file, or a delete and re-create is one change; hundreds of files dropped
 * at once are one batch.
 */
export function watchProject(options: WatchOptions): ProjectWatcher {
  const debounceMs = options.debounceMs ?? 15;
  const maxWaitMs = options.maxWaitMs ?? 250;
  const ignoredFolders = options.ignoredFolders.map((folder) => path.resolve(folder));
  const isIgnored = (file: string) =>
    ALWAYS_IGNORED.test(file) ||
    /\.gazette-(tmp|staging|previous)\b/.test(file) ||
    ignoredFolders.some((folder) => file === folder || file.startsWith(folder + path.sep));

  const watcher = watch(options.paths, {
    ignoreInitial: true,
    ignored: (file: string) => isIgnored(path.resolve(file)),
  });

  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let firstEventAt = 0;
  const flush = () => {
    timer = undefined;
    const files = [...pending];
    pending = new Set();
    if (files.length > 0) options.onBatch(files);
  };
  const onEvent = (file: string) => {
    const absolute = path.resolve(file);
    if (isIgnored(absolute)) return;
    if (pending.size === 0) firstEventAt = performance.now();
    pending.add(absolute);
    if (timer) clearTimeout(timer);
    const waited = performance.now() - firstEventAt;
    timer = setTimeout(flush, Math.max(0, Math.min(debounceMs, maxWaitMs - waited)));
  };
  for (const event of ['add', 'change', 'unlink'] as const) watcher.on(event, onEvent);
  const roots = new Set(options.paths.map((file) => path.resolve(file)));
  watcher.on('unlinkDir', (folder) => {
    onEvent(folder);
    const absolute = path.resolve(folder);
    if (!roots.has(absolute)) return;
    // chokidar stops watching a watched folder that is deleted, and never sees it come back
    // (`rm -rf content && cp -r backup content`, a branch switch): watch it again, which
    // watches its parent for its creation.
    watcher.unwatch(absolute);
    watcher.add(absolute);
    // Recreated before chokidar looked again (a fast checkout): its files were never announced.
    for (const file of filesUnder(absolute)) onEvent(file);
  });
  watcher.on('error', (error) => options.onError?.(error as Error));

  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve())).then(() =>
    watchingAll(watcher, options.paths, isIgnored),
  );
  return {
    ready,
    async close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending.clear();
      await watcher.close();
    },
  };
}

/** Every file under a folder, absolute; none when it does not exist. */
function filesUnder(folder: string): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}

/**
 * chokidar 5 reports `ready` before it watches anything when one of the paths is missing
 * (a project without `public/`, or the config names that do not exist), and before it
 * watches every subfolder of a large tree (a file deleted from one of 300 folders just after
 * `ready` went unseen): files saved in the next few hundred milliseconds were never seen.
 * Waits until each existing folder, and each folder in them, is watched.
 */
async function watchingAll(
  watcher: ReturnType<typeof watch>,
  paths: string[],
  isIgnored: (file: string) => boolean,
): Promise<void> {
  const folders = paths
    .map((file) => path.resolve(file))
    .filter((file) => {
      try {
        return statSync(file).isDirectory();
      } catch {
        return false;
      }
    })
    .flatMap((folder) => [folder, ...foldersUnder(folder, isIgnored)]);
  const deadline = performance.now() + 5_000;
  while (performance.now() < deadline) {
    const watched = watcher.getWatched();
    if (folders.every((folder) => Object.hasOwn(watched, folder))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function foldersUnder(folder: string, isIgnored: (file: string) => boolean): string[] {
  try {
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(entry.parentPath, entry.name))
      .filter((child) => !isIgnored(child));
  } catch {
    return [];
  }
}
