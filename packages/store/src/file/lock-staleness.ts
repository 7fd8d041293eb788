import { dirname, join } from 'node:path';
import { type Me, held, isAlive, procStartOf } from './lock-identity';
import { probe } from './lock-holder-socket';
import { isOurLitter } from './lock-litter';
import type { Seen } from './lock-record';

/** Whether a recorded lock's holder is gone, and why; `self` when this process holds it, `retryAfterMs` when waiting may make it stale. */
export type Verdict = { stale: true; why: string } | { stale: false; why: string; self?: true; retryAfterMs?: number };

/** Decides whether the holder of `seen` is gone. Rules in order; the first that applies decides. */
export async function judge(path: string, seen: Seen, me: Me, o: { readonly staleAfterMs: number }): Promise<Verdict> {
  const rec = seen.rec;
  const now = Date.now();
  if (!rec) {
    // A lock file is written right after it is created; one that stays unreadable was cut short by a crash.
    const age = now - seen.mtimeMs;
    return age > o.staleAfterMs ? { stale: true, why: 'the lock file is unreadable' } : { stale: false, why: 'the lock file is unreadable (being written?)', retryAfterMs: o.staleAfterMs - age };
  }
  if (rec.legacy) {
    // Written by an older version: no heartbeat, start time or token, so only the old rule applies.
    if (rec.host !== me.host) return { stale: false, why: 'it was written by an older version without a heartbeat; remove the lock file if that host is gone' };
    if (rec.pid === me.pid) return { stale: true, why: 'its pid is this process, which does not hold it' };
    return isAlive(rec.pid) ? { stale: false, why: 'that process is running' } : { stale: true, why: `no process has pid ${rec.pid}` };
  }
  const updatedAt = typeof rec.updatedAt === 'number' ? rec.updatedAt : 0;
  const age = now - updatedAt;
  const byHeartbeat = (why: string): Verdict =>
    age > o.staleAfterMs
      ? { stale: true, why: `${why}, and its heartbeat is ${secs(age)} old` }
      : { stale: false, why: `${why}; it refreshed the lock ${secs(Math.max(0, age))} ago and is taken over once ${secs(o.staleAfterMs)} pass without a refresh`, retryAfterMs: o.staleAfterMs - age };
  if (rec.host !== me.host) return byHeartbeat('it runs on another host, where its process cannot be checked');
  if (rec.bootId && me.bootId && rec.bootId !== me.bootId) {
    // Same name, other kernel boot: this machine rebooted, unless the heartbeat went on after
    // this boot, which only another machine with the same host name can do.
    if (updatedAt < me.bootTime) return { stale: true, why: 'this host rebooted after its last heartbeat' };
    return byHeartbeat('it has another boot id, so it is another machine with the same host name');
  }
  if (rec.pidNs && me.pidNs && rec.pidNs !== me.pidNs) {
    // Another container on this kernel: its pid means nothing here. Its lock socket does:
    // the kernel refuses connections once the listening process is gone.
    const answer = rec.socket && isOurLitter(path, rec.socket) ? await probe(join(dirname(path), rec.socket)) : 'unknown';
    if (answer === 'alive') return { stale: false, why: 'it runs in another PID namespace (container) and answers on its lock socket' };
    if (answer === 'gone') return { stale: true, why: 'it ran in another PID namespace (container) and its lock socket no longer answers' };
    return byHeartbeat('it runs in another PID namespace (container), where its pid cannot be checked');
  }
  if (rec.pid === me.pid) {
    if (rec.token && held.has(rec.token)) return { stale: false, self: true, why: 'this process already holds it' };
    // This process owns that pid and does not hold the lock, so the writer was an earlier
    // process with the same pid: typically PID 1 of a container that was restarted.
    return { stale: true, why: 'its pid is this process, which does not hold it (an earlier process had the same pid)' };
  }
  // /proc is asked only where it works for ourselves. Its "no such pid" is confirmed with
  // kill(pid, 0) below, since /proc mounted with hidepid hides other users' processes.
  const start = me.procStart !== undefined ? await procStartOf(rec.pid) : undefined;
  if (typeof start === 'number' && typeof rec.procStart === 'number') {
    return start === rec.procStart ? { stale: false, why: 'that process is running' } : { stale: true, why: `pid ${rec.pid} now belongs to another process (it started at tick ${start}, the holder at tick ${rec.procStart})` };
  }
  if (!isAlive(rec.pid)) return { stale: true, why: `no process has pid ${rec.pid}` };
  return byHeartbeat(`a process with pid ${rec.pid} is running, but whether it is the holder cannot be checked`);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
