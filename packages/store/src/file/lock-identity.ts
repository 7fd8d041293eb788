import { readFile, readlink } from 'node:fs/promises';
import { hostname, uptime } from 'node:os';

/** This process as a lock holder describes itself. */
export interface Me {
  readonly pid: number;
  readonly host: string;
  readonly bootId: string | undefined;
  readonly pidNs: string | undefined;
  readonly procStart: number | undefined;
  /** When this kernel booted, ms since the epoch. */
  readonly bootTime: number;
}

/** Tokens of locks and breakers held (or being taken) by this process: how it recognises its own files. */
export const held = new Set<string>();

let identity: Promise<Omit<Me, 'host'>> | undefined;

/** This process's identity; everything but the host name is fixed for its life, so it is read once. */
export async function whoAmI(): Promise<Me> {
  identity ??= (async () => {
    const [bootId, pidNs, procStart] = await Promise.all([
      readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim() || undefined, () => undefined),
      readlink('/proc/self/ns/pid').catch(() => undefined),
      procStartOf(process.pid).then((s) => (typeof s === 'number' ? s : undefined)),
    ]);
    return { pid: process.pid, bootId, pidNs, procStart, bootTime: Date.now() - uptime() * 1000 };
  })();
  return { ...(await identity), host: hostname() };
}

/** Start of process `pid` in clock ticks since boot, 'gone' when no such process, undefined when /proc can't say. */
export async function procStartOf(pid: number): Promise<number | 'gone' | undefined> {
  let text: string;
  try {
    text = await readFile(`/proc/${pid}/stat`, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ESRCH' ? 'gone' : undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const start = Number(fields[19]); // field 22 (starttime); fields[0] is field 3
  return Number.isFinite(start) ? start : undefined;
}

/** Whether a process with `pid` exists (one we may not signal counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
