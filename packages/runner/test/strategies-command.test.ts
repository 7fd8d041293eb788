import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { captureIo } from './capture-io';

interface ParamInfo { name: string; type: string; default?: unknown; min?: number; max?: number }

describe('kairos strategies --json', () => {
  it('lists the four seed strategies with name, type, default, min and max of each parameter', async () => {
    const io = captureIo();
    expect(await main(['strategies', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout[0] as string) as { strategies: Array<{ id: string; params: ParamInfo[] }> };
    expect(r.strategies.map((s) => s.id)).toEqual(['ma-cross', 'rsi-divergence', 'bollinger-breakout', 'macd-trend']);
    const rsi = r.strategies.find((s) => s.id === 'rsi-divergence')?.params ?? [];
    expect(rsi.find((p) => p.name === 'oversold')).toMatchObject({ type: 'number', default: 30, min: 0, max: 100 });
    expect(rsi.find((p) => p.name === 'period')).toMatchObject({ type: 'integer', default: 14, min: 2 });
    const ma = r.strategies.find((s) => s.id === 'ma-cross')?.params ?? [];
    expect(ma.find((p) => p.name === 'kind')).toMatchObject({ type: 'enum', default: 'ema' });
    for (const s of r.strategies) expect(s.params.find((p) => p.name === 'dynamic')).toMatchObject({ type: 'boolean', default: false });
  });
});

describe('kairos backtest with several strategies', () => {
  const base = ['backtest', '--symbols', 'BTC/USDT', '--timeframe', '1h', '--from', '2024-03-01', '--to', '2024-05-01', '--json'];

  it('runs the aggregate with weights and per-strategy params, reasons naming each contribution', async () => {
    const io = captureIo();
    const code = await main([...base, '--strategy', 'ma-cross,macd-trend', '--weights', '2,1', '--param', 'ma-cross.fast=8', '--param', 'aggregate.entryThreshold=0.05', '--param', 'aggregate.memory=4'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const r = JSON.parse(io.stdout[0] as string) as { strategy: { id: string; params: Record<string, Record<string, unknown>> }; tradeList: Array<Record<string, unknown>> };
    expect(r.strategy.id).toBe('ma-cross,macd-trend');
    expect(r.strategy.params).toEqual({ 'ma-cross': { fast: 8 }, aggregate: { entryThreshold: 0.05, memory: 4, weights: { 'ma-cross': 2, 'macd-trend': 1 } } });
    expect(r.tradeList.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.tradeList)).toMatch(/score 0\.\d+ ≥ 0\.05: (ma-cross|macd-trend) \+/);
  });

  it.each([
    [['--strategy', 'ma-cross,nope'], '--strategy', /allowed: ma-cross, rsi-divergence/],
    [['--strategy', 'ma-cross,macd-trend', '--param', 'fast=5'], '--param fast', /prefix the strategy id/],
    [['--strategy', 'ma-cross,macd-trend', '--param', 'macd-trend.fast=40'], '--param macd-trend.fast', /fast must be smaller than slow/],
    [['--strategy', 'ma-cross,macd-trend', '--param', 'aggregate.entryThreshold=3'], '--param aggregate.entryThreshold', /1/],
    [['--strategy', 'ma-cross,macd-trend', '--weights', '1'], '--weights', /expected 2 weights/],
    [['--strategy', 'ma-cross,macd-trend', '--weights', 'ma-cross=-1,macd-trend=1'], '--weights', />= 0/],
    [['--strategy', 'ma-cross', '--weights', '1'], '--weights', /several strategies/],
    [['--strategy', 'rsi-divergence', '--param', 'overbought=120'], '--param overbought', /100/],
  ])('exits 2 naming the flag for %j', async (args, key, message) => {
    const io = captureIo();
    expect(await main([...base, ...args], io)).toBe(2);
    const err = io.stderr.join('\n');
    expect(err).toContain(key);
    expect(err).toMatch(message);
  });
});
