import { classifyRegime, recommendStrategies } from '@kairos/core';
import { loadCandleFile } from '@kairos/exchange';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { AUTO_LOOKBACK, recommendForRun } from '../src/wiring/auto-strategy';
import { defaultDataDir } from '../src/wiring/data-dir';
import { captureIo } from './capture-io';

describe('--strategy auto', () => {
  it('chooses from the regime of candles before the start only, and trades from the start', async () => {
    const io = captureIo();
    const code = await main(['backtest', '--strategy', 'auto', '--symbols', 'SOL/USDT', '--from', '2024-05-01', '--to', '2024-07-01', '--json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const r = JSON.parse(io.stdout[0] as string) as { strategy: { id: string; chosen: { id: string; params: unknown } }; tradeList: Array<{ entryTime: string }> };
    const { candles } = await loadCandleFile(`${defaultDataDir()}/SOL_USDT-1h.csv`);
    const before = candles.filter((c) => c.time < Date.parse('2024-05-01T00:00:00Z')).slice(-AUTO_LOOKBACK);
    const expected = recommendStrategies(classifyRegime(before)).spec;
    expect(r.strategy.id).toBe('auto');
    expect(r.strategy.chosen).toEqual(expected);
    for (const t of r.tradeList) expect(Date.parse(t.entryTime)).toBeGreaterThanOrEqual(Date.parse('2024-05-01T00:00:00Z'));
  });

  it('is not changed by candles after the start (no lookahead)', async () => {
    const { candles } = await loadCandleFile(`${defaultDataDir()}/ETH_USDT-1h.csv`);
    const start = (candles[2000] as { time: number }).time;
    const full = recommendForRun([{ symbol: 'ETH/USDT', candles }], start);
    const cut = recommendForRun([{ symbol: 'ETH/USDT', candles: candles.slice(0, 2000) }], start);
    expect(cut).toEqual(full);
    const noFrom = recommendForRun([{ symbol: 'ETH/USDT', candles }]);
    expect(noFrom.start, 'without --from the first candles are the history').toBe((candles[AUTO_LOOKBACK] as { time: number }).time);
  });

  it('refuses parameters it would ignore, naming the flag', async () => {
    const io = captureIo();
    expect(await main(['backtest', '--strategy', 'auto', '--param', 'fast=5'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--param.*auto/);
  });
});
