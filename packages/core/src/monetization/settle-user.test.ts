import { describe, expect, it } from 'vitest';
import type { Trade } from '../domain/position';
import { MemoryTradeStore } from '../store/memory-trade-store';
import { LedgerRepository } from './ledger-repository';
import { settleUser } from './settle-user';

function t(id: string, userId: string, pnl: number, exitTime: number): Trade {
  return { id, userId, symbol: 'BTC/USDT', side: 'long', strategyId: 's', entryTime: exitTime - 1, entryPrice: 1, exitTime, exitPrice: 1, amount: 1, pnl, pnlPct: 0, fees: 0 };
}

describe('settleUser', () => {
  it('books trades from the store, charges above the mark, persists, and is idempotent', async () => {
    const store = new MemoryTradeStore();
    const ledgers = new LedgerRepository(store);
    await store.saveTrade(t('1', 'alice', 100, 10));
    await store.saveTrade(t('2', 'bob', 999, 10));
    await store.saveTrade(t('3', 'alice', 50, 50));

    const first = await settleUser({ trades: store, ledgers }, { userId: 'alice', deposit: 999, time: 20 });
    expect(first.booked, 'only alice trades up to the settlement time').toBe(1);
    expect(first.charge?.amount).toBeCloseTo(30, 10);

    const again = await settleUser({ trades: store, ledgers }, { userId: 'alice', deposit: 999, time: 20 });
    expect(again.booked).toBe(0);
    expect(again.charge, 'same gain is not charged twice').toBeUndefined();

    await store.saveTrade(t('4', 'alice', -80, 60));
    const later = await settleUser({ trades: store, ledgers }, { userId: 'alice', deposit: 6_000, time: 100 });
    expect(later.booked).toBe(2);
    expect(later.charge, '100 + 50 - 80 = 70 is below the mark of 100').toBeUndefined();
    expect(later.analysis.realizedPnl).toBe(70);
    expect(later.analysis.winRate).toBeCloseTo(200 / 3, 10);

    const reloaded = await ledgers.load('alice');
    expect(reloaded.highWaterMark).toBe(100);
    expect(reloaded.cumulativePnl).toBe(70);
    expect(reloaded.entries.filter((e) => e.kind === 'trade')).toHaveLength(3);
  });

  it('rejects a corrupted stored ledger with a DATA_INVALID error', async () => {
    const store = new MemoryTradeStore();
    await store.setValue('billing:ledger:alice', '{not json');
    await expect(new LedgerRepository(store).load('alice')).rejects.toMatchObject({ code: 'DATA_INVALID' });
  });
});
