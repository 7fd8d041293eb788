import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../src/cli/start-command';
import { main } from '../src/cli/main';
import { captureIo } from './capture-io';

async function paperRun(args: string[], io = captureIo()) {
  let stop: ((reason: string) => void) | undefined;
  const run = startCommand(['--speed', '3600000', '--summary-every', '10', ...args], io, {
    env: {},
    onStopSignal: (s) => {
      stop = s;
      return () => {};
    },
  });
  const deadline = Date.now() + 20_000;
  while (io.stdout.filter((l) => l.startsWith('[trade]')).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  stop?.('SIGINT');
  return { code: await run, io };
}

describe('kairos start --store', () => {
  it('records a paper session in a file store that survives the process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-start-store-'));
    const { code, io } = await paperRun(['--store', `file:${dir}`, '--session', 'sess-1']);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/\[store\] file .*session sess-1; reconciliation passed/);
    const placed = io.stdout.filter((l) => l.startsWith('[order]')).length;
    const store = await FileTradeStore.open({ dir });
    try {
      const orders = await store.listOrders({ userId: 'sess-1' });
      expect(orders.length, 'every order placed is in the store').toBe(placed);
      expect((await store.listTrades({ userId: 'sess-1' })).length).toBeGreaterThanOrEqual(2);
      expect(orders.every((o) => o.status !== 'pending_submit'), 'no intent left unresolved').toBe(true);
    } finally {
      await store.close();
    }
  });

  it('names the URL when Redis cannot be reached, and the flag for a bad store', async () => {
    const io = captureIo();
    expect(await main(['start', '--store', 'redis://127.0.0.1:1'], io)).not.toBe(0);
    expect(io.stderr.join('\n')).toMatch(/redis:\/\/127\.0\.0\.1:1/);
    const bad = captureIo();
    expect(await main(['start', '--store', 'postgres://x'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--store.*allowed: memory, file:<dir>, redis:/);
  });
});
