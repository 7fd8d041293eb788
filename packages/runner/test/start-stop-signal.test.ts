import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts `./kairos start` and resolves once its banner lines are out (the replay is then pacing). */
async function startBot(args: string[]): Promise<{ child: ChildProcess; stdout: () => string; stderr: () => string }> {
  const env = { ...process.env };
  delete env.REDIS_URL; // the memory store: nothing outside the process
  const child = spawn(`${root}kairos`, ['start', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!/\[store\]/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(out, `the bot started (stderr: ${err})`).toMatch(/\[store\]/);
  // Let the first candle through, so the feed sits in its wait for the next one.
  await new Promise((r) => setTimeout(r, 300));
  return { child, stdout: () => out, stderr: () => err };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));
}

describe('kairos start stops promptly at a slow replay speed', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 0 within 1.5 s of ${signal} at --speed 1 (the wait for the next candle is cancelled)`, async () => {
      const { child, stdout, stderr } = await startBot(['--speed', '1']);
      try {
        const exited = exitOf(child);
        const sentAt = performance.now();
        child.kill(signal);
        let limit: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([exited, new Promise<undefined>((r) => (limit = setTimeout(() => r(undefined), 5_000)))]);
        clearTimeout(limit);
        expect(outcome, `still running 5 s after ${signal}`).toBeDefined();
        expect(outcome!.at - sentAt, 'seconds from the signal to the exit').toBeLessThan(1_500);
        expect(outcome!.code, stderr()).toBe(0);
        expect(stdout()).toMatch(new RegExp(`\\[stop\\] ${signal}`));
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 40_000);
  }
});
