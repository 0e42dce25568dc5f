import { readFileSync } from 'node:fs';

/** Whether a process of this machine is running (to tell a stale lock or temporary file). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clock ticks per second of /proc's times: 100 on every Linux userland. */
const CLOCK_TICKS = 100;

/**
 * When a process of this machine started, in ms since the epoch, as Linux's /proc tells it;
 * undefined elsewhere, or when the process is gone.
 */
export function processStartTime(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces: fields are counted after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticksAfterBoot = Number(fields[19]);
    const bootLine = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'));
    if (!bootLine || !Number.isFinite(ticksAfterBoot)) return undefined;
    return Number(bootLine[1]) * 1000 + (ticksAfterBoot * 1000) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
