import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type PoolEntry, entryFromTrade } from './pool-entry';
import { exportPoolCsv, exportPoolJson, poolEntriesToCsv } from './trade-export';

const closed = entryFromTrade({
  id: 't1',
  userId: 'alice',
  symbol: 'BTC/USDT',
  side: 'long',
  strategyId: 'ma-cross',
  entryTime: Date.UTC(2024, 0, 1),
  entryPrice: 42_000.5,
  exitTime: Date.UTC(2024, 0, 2),
  exitPrice: 41_000,
  amount: 0.01,
  pnl: -10.5,
  pnlPct: -2.5,
  fees: 0.84,
  entryReason: 'cross up, "fast" > slow',
  exitReason: '=HYPERLINK("x")',
});
const open: PoolEntry = { ...closed, id: 'open:bob:ETH/USDT', userId: 'bob', status: 'open', exitTime: undefined, exitPrice: undefined, entryReason: undefined, exitReason: undefined } as PoolEntry;

describe('trade export', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes CSV with a header, ISO times, quoting and formula guards', async () => {
    const csv = poolEntriesToCsv([closed, open]);
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('id,userId,symbol,strategyId,status,entryTime,entryPrice,amount,exitTime,exitPrice,pnl,pnlPct,unrealizedPnl,fees,lastPrice,entryReason,exitReason');
    expect(lines[1]).toBe(
      't1,alice,BTC/USDT,ma-cross,closed,2024-01-01T00:00:00.000Z,42000.5,0.01,2024-01-02T00:00:00.000Z,41000,-10.5,-2.5,0,0.84,41000,"cross up, ""fast"" > slow","\'=HYPERLINK(""x"")"',
    );
    expect(lines[2]).toMatch(/^open:bob:ETH\/USDT,bob,BTC\/USDT,ma-cross,open,2024-01-01T00:00:00.000Z,42000.5,0.01,,,/);
    dir = await mkdtemp(join(tmpdir(), 'kairos-export-'));
    const path = join(dir, 'nested', 'trades.csv');
    expect(await exportPoolCsv(path, [closed, open])).toBe(2);
    expect(await readFile(path, 'utf8')).toBe(csv);
  });

  it('writes JSON that reads back to the same rows', async () => {
    dir = await mkdtemp(join(tmpdir(), 'kairos-export-'));
    const path = join(dir, 'trades.json');
    expect(await exportPoolJson(path, [closed], Date.UTC(2024, 5, 1))).toBe(1);
    const back = JSON.parse(await readFile(path, 'utf8')) as { exportedAt: string; count: number; trades: PoolEntry[] };
    expect(back.exportedAt).toBe('2024-06-01T00:00:00.000Z');
    expect(back.count).toBe(1);
    expect(back.trades).toEqual([closed]);
  });
});
