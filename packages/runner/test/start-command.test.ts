import { describe, expect, it } from 'vitest';
import { startCommand } from '../src/cli/start-command';
import { captureIo } from './capture-io';

describe('kairos start (paper)', () => {
  it('places orders, then on a stop signal places no more, prints a summary and returns 0', async () => {
    const io = captureIo();
    let stop: ((reason: string) => void) | undefined;
    const run = startCommand(['--speed', '3600000', '--summary-every', '0.05'], io, {
      onStopSignal: (s) => {
        stop = s;
        return () => {};
      },
    });
    const deadline = Date.now() + 20_000;
    while (!io.stdout.some((l) => l.startsWith('[order]')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(io.stdout.some((l) => l.startsWith('[order]')), 'orders appear quickly').toBe(true);
    stop?.('SIGINT');
    const stopAt = io.stdout.length;
    expect(await run).toBe(0);
    const after = io.stdout.slice(stopAt);
    expect(after.filter((l) => l.startsWith('[order]')), 'no new orders once stopping').toEqual([]);
    expect(after.join('\n')).toMatch(/\[stop\] SIGINT/);
    expect(after.join('\n')).toMatch(/net profit .* USDT/);
    expect(io.stdout.some((l) => l.startsWith('[summary]')), 'periodic summary line').toBe(true);
  });

  it('refuses modes this build cannot run, naming the flag', async () => {
    const io = captureIo();
    expect(await startCommand(['--mode', 'live'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--mode.*allowed: paper/);
  });
});
