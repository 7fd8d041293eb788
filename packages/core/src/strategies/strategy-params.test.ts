import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/kairos-error';
import { builtinStrategies } from './index';

const registry = builtinStrategies();

function errorOf(id: string, params: Record<string, unknown>): ConfigError {
  try {
    registry.create(id, params);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected ${id} to reject ${JSON.stringify(params)}`);
}

describe('strategy parameter validation', () => {
  it.each([
    ['ma-cross', { fast: 30, slow: 20 }, 'strategy.ma-cross.fast'],
    ['ma-cross', { fast: 20, slow: 20 }, 'strategy.ma-cross.fast'],
    ['ma-cross', { fast: -5 }, 'strategy.ma-cross.fast'],
    ['ma-cross', { kind: 'wma' }, 'strategy.ma-cross.kind'],
    ['macd-trend', { fast: 26, slow: 12 }, 'strategy.macd-trend.fast'],
    ['macd-trend', { signal: 0 }, 'strategy.macd-trend.signal'],
    ['rsi-divergence', { period: -14 }, 'strategy.rsi-divergence.period'],
    ['rsi-divergence', { oversold: -1 }, 'strategy.rsi-divergence.oversold'],
    ['rsi-divergence', { overbought: 101 }, 'strategy.rsi-divergence.overbought'],
    ['rsi-divergence', { oversold: 70, overbought: 30 }, 'strategy.rsi-divergence.oversold'],
    ['bollinger-breakout', { period: 0 }, 'strategy.bollinger-breakout.period'],
    ['bollinger-breakout', { stddev: -2 }, 'strategy.bollinger-breakout.stddev'],
    ['bollinger-breakout', { dynamic: true, volShort: 200, volLong: 100 }, 'strategy.bollinger-breakout.volShort'],
  ])('%s rejects %j naming %s', (id, params, key) => {
    const e = errorOf(id, params);
    expect(e.key).toBe(key);
    expect(e.code).toBe('CONFIG_INVALID');
  });

  it('defaults build every strategy, with a warm-up covering its indicators', () => {
    for (const id of registry.ids()) {
      for (const dynamic of [false, true]) {
        const s = registry.create(id, { dynamic });
        expect(s.id).toBe(id);
        expect(s.warmup).toBeGreaterThan(10);
        expect(Object.keys(s.indicators).length).toBeGreaterThan(0);
      }
    }
  });
});
