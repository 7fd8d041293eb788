import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executionOf } from '@kairos/core';
import { FileTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../src/cli/start-command';
import { captureIo } from './capture-io';

/** Runs `start` in-process until `until` holds for its output lines, then stops it as Ctrl-C would. */
async function paperRun(args: string[], until: (lines: readonly string[]) => boolean) {
  const io = captureIo();
  let stop: ((reason: string) => void) | undefined;
  const run = startCommand(['--speed', '3600000', '--summary-every', '10', '--symbols', 'BTC/USDT', ...args], io, {
    env: {},
    onStopSignal: (s) => {
      stop = s;
      return () => {};
    },
  });
  const deadline = Date.now() + 20_000;
  while (!until(io.stdout) && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  stop?.('SIGINT');
  return { code: await run, io };
}

const lastLine = (lines: readonly string[]) => lines[lines.length - 1] ?? '';

describe('kairos start: a stopped session resumes with its venue', () => {
  it('keeps the position bought before the stop and sells it without a rejection (seen: 111 INSUFFICIENT_FUNDS over 4 restarts)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-resume-'));
    const args = ['--store', `file:${dir}`, '--session', 'resume-1'];
    // Stop right after a BUY filled: the position is open.
    const first = await paperRun(args, (l) => /^\[fill\] .* BUY /.test(lastLine(l)));
    expect(first.code, first.io.stderr.join('\n')).toBe(0);
    const bought = first.io.stdout.filter((l) => /^\[fill\] .* BUY /.test(l)).length;
    expect(bought).toBeGreaterThan(0);

    // The second run goes on from the saved venue, and sells what the first one bought.
    const second = await paperRun(args, (l) => l.filter((x) => x.startsWith('[trade]')).length >= 2);
    const out = second.io.stdout.join('\n');
    expect(second.code, second.io.stderr.join('\n')).toBe(0);
    expect(out).toMatch(/reconciliation passed/);
    expect(out).toMatch(/\[store\] resumed session resume-1: venue as of /);
    expect(out).not.toMatch(/rejected INSUFFICIENT_FUNDS/);
    expect(second.io.stdout.find((l) => l.startsWith('[order]')), 'the first order after the restart exits the held position').toMatch(/SELL .* \(exit\)/);

    const store = await FileTradeStore.open({ dir });
    try {
      const orders = await store.listOrders({ userId: 'resume-1' });
      const ids = orders.map((o) => o.clientOrderId);
      expect(new Set(ids).size, 'no client order id twice').toBe(ids.length);
      expect(orders.filter((o) => o.status === 'rejected')).toEqual([]);
      // Every order's fills add up to what it filled: nothing applied twice across the restart.
      for (const o of orders) expect(executionOf(await store.listFills('resume-1', o.clientOrderId)).filled).toBeCloseTo(o.filled, 9);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('never starts a resumed session with fresh funds: equity goes on from where it stopped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-resume-'));
    const args = ['--store', `file:${dir}`, '--session', 'resume-2'];
    const first = await paperRun(args, (l) => l.filter((x) => x.startsWith('[trade]')).length >= 3);
    const end = /equity\s+[\d.]+ → ([\d.]+) USDT/.exec(first.io.stdout.join('\n'))?.[1];
    expect(end).toBeDefined();
    const second = await paperRun(args, (l) => l.some((x) => x.startsWith('[order]')));
    const start = /equity\s+([\d.]+) →/.exec(second.io.stdout.join('\n'))?.[1];
    expect(Number(start)).toBeCloseTo(Number(end), 2);
    expect(Number(start)).not.toBe(10_000);
  }, 60_000);
});
