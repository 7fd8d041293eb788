import { randomBytes } from 'node:crypto';
import { LedgerRepository, MemoryLogger, MemoryTradeStore, MemoryUserStore, type Trade } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { SecretBox } from './secret-box';
import { settleAllUsers } from './settle-all-users';
import { UserRegistry } from './user-registry';
import { skipVerification } from './verify-credentials';

const t = (id: string, userId: string, pnl: number, exitTime: number): Trade => ({
  id, userId, symbol: 'BTC/USDT', side: 'long', strategyId: 's', entryTime: exitTime - 1, entryPrice: 1, exitTime, exitPrice: 1, amount: 1, pnl, pnlPct: 0, fees: 0,
});

describe('settleAllUsers', () => {
  it('charges each user at the tier of their own deposit, once per gain', async () => {
    const users = new UserRegistry({ store: new MemoryUserStore(), box: new SecretBox({ current: randomBytes(32) }), verify: skipVerification });
    await users.add({ id: 'small', exchange: 'binance', apiKey: 'k', secret: 's', deposit: 999.99 });
    await users.add({ id: 'mid', exchange: 'binance', apiKey: 'k', secret: 's', deposit: 5_000 });
    await users.add({ id: 'big', exchange: 'binance', apiKey: 'k', secret: 's', deposit: 5_000.01 });
    await users.suspend('big');
    const trades = new MemoryTradeStore();
    for (const id of ['small', 'mid', 'big']) await trades.saveTrade(t(`${id}-1`, id, 100, 10));
    const ledgers = new LedgerRepository(trades);
    const logger = new MemoryLogger();
    const first = await settleAllUsers({ users, trades, ledgers, logger }, 20);
    expect(Object.fromEntries(first.map((r) => [r.userId, r.charge?.amount]))).toEqual({ big: 20, mid: 25, small: 30 });
    expect(logger.entries.filter((e) => e.msg === 'commission charged')).toHaveLength(3);
    const second = await settleAllUsers({ users, trades, ledgers }, 30);
    expect(second.every((r) => r.charge === undefined)).toBe(true);
  });
});
