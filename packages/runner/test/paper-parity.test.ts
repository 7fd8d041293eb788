import { KairosConfigSchema, builtinStrategies } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';
import { createSimulation } from '../src/wiring/simulation';

const window = { from: Date.parse('2024-02-01T00:00:00Z'), to: Date.parse('2024-04-15T00:00:00Z') };

describe('backtest / paper parity', () => {
  // Backtests compute indicators in batch up front; paper replays update them candle by
  // candle at a paced speed. Same candles in, same trades out.
  it.each(['ma-cross', 'rsi-divergence', 'bollinger-breakout', 'macd-trend', 'ma-cross,macd-trend'])('%s trades identically in backtest and paced paper replay', async (id) => {
    const config = KairosConfigSchema.parse({ symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'], timeframe: '1h', strategy: { id, params: {} } });
    const backtest = await createSimulation({ config: { ...config, mode: 'backtest' }, mode: 'backtest', dataDir: defaultDataDir(), strategies: builtinStrategies(), ...window });
    const paper = await createSimulation({
      config: { ...config, mode: 'paper' },
      mode: 'paper',
      dataDir: defaultDataDir(),
      strategies: builtinStrategies(),
      speed: 3600 * 1000, // one market hour per real millisecond
      ...window,
    });
    const a = await backtest.engine.run();
    const b = await paper.engine.run();
    expect(a.ordersPlaced, 'the strategy trades in this window').toBeGreaterThan(0);
    expect(b.candles).toBe(a.candles);
    expect(b.trades).toEqual(a.trades);
    expect(b.rejections).toEqual(a.rejections);
    expect(b.equityCurve).toEqual(a.equityCurve);
  });
});
