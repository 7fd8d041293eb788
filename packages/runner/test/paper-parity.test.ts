import { KairosConfigSchema, builtinStrategies } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from '../src/wiring/data-dir';
import { createSimulation } from '../src/wiring/simulation';

const config = KairosConfigSchema.parse({ symbols: ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'], timeframe: '1h', strategy: { id: 'ma-cross', params: { fast: 8, slow: 21 } } });
const window = { from: Date.parse('2024-02-01T00:00:00Z'), to: Date.parse('2024-03-15T00:00:00Z') };

describe('backtest / paper parity', () => {
  it('produces the same trades when the same candles are replayed at a paced speed', async () => {
    const backtest = await createSimulation({ config: { ...config, mode: 'backtest' }, mode: 'backtest', dataDir: defaultDataDir(), strategies: builtinStrategies(), ...window });
    let sleeps = 0;
    const paperSetup = await createSimulation({
      config: { ...config, mode: 'paper' },
      mode: 'paper',
      dataDir: defaultDataDir(),
      strategies: builtinStrategies(),
      speed: 3600 * 1000, // one market hour per real millisecond
      ...window,
    });
    const a = await backtest.engine.run();
    const b = await paperSetup.engine.run();
    sleeps = b.candles;
    expect(a.trades.length).toBeGreaterThan(5);
    expect(b.trades).toEqual(a.trades);
    expect(b.equityCurve).toEqual(a.equityCurve);
    expect(sleeps).toBe(a.candles);
  });
});
