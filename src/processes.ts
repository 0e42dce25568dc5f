import { readFileSync } from 'node:fs';

/**
 * Whether a process of this machine is running (to tell a stale lock or temporary file). A
 * zombie (exited, not yet reaped: for ever in a container whose first process reaps none)
 * is not.
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it runs, as another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return processState(pid) !== 'Z';
}

/** The state letter Linux's /proc gives a process (`R`, `S`, `Z`…); undefined elsewhere. */
function processState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
  } catch {
    return undefined;
  }
}

/**
 * What tells a process from a later one given the same number, as Linux's /proc says: the
 * boot it runs in and its start time in clock ticks since that boot. Wall-clock times will
 * not do: a clock set forward (a first NTP sync, a VM resumed) would make a running process
 * look younger than a lock it wrote. Undefined elsewhere, or when the process is gone.
 */
export function processStamp(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces: fields are counted after it.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return startTicks && /^\d+$/.test(startTicks) && boot ? `${boot}:${startTicks}` : undefined;
  } catch {
    return undefined;
  }
}
