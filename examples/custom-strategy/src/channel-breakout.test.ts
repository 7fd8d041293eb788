import { readFileSync } from 'node:fs';
import { type Candle, builtinStrategies, runStrategy } from '@kairos/core';
import { expect, it } from 'vitest';
import { channelBreakout } from './channel-breakout';

const candles: Candle[] = readFileSync(new URL('../../../data/ETH_USDT-1h.csv', import.meta.url), 'utf8')
  .trim().split('\n').slice(1).map((l) => l.split(',').map(Number))
  .map(([time, open, high, low, close, volume]) => ({ time, open, high, low, close, volume }) as Candle);

it('breaks out on real ETH data, the same in backtest (batch) and live (streaming) mode', () => {
  const strategy = builtinStrategies().register(channelBreakout).create('channel-breakout', { period: 20 });
  const batch = runStrategy(strategy, { symbol: 'ETH/USDT', timeframe: '1h', candles, mode: 'batch' });
  expect(batch.filter((s) => s.direction === 'buy').length).toBeGreaterThan(10);
  expect(runStrategy(strategy, { symbol: 'ETH/USDT', timeframe: '1h', candles, mode: 'stream' })).toEqual(batch);
  expect(() => builtinStrategies().register(channelBreakout).create('channel-breakout', { period: 2 })).toThrow(/period/);
});
