import { describe, expect, it } from 'vitest';
import type { Signal } from '../domain/signal';
import { MemoryTradeStore } from '../store/memory-trade-store';
import { SignalBlacklist } from './signal-blacklist';
import { SignalValidator } from './signal-validator';

const HOUR = 3_600_000;
const signal: Signal = { symbol: 'LUNA/USDT', time: 10 * HOUR, direction: 'buy', strength: 0.5, confidence: 0.5, source: 'ma-cross', reason: 'x' };

function setup() {
  let now = 10 * HOUR;
  const clock = { now: () => now };
  const store = new MemoryTradeStore(clock);
  const blacklist = new SignalBlacklist(store, { clock, prefix: 'test:bl:' });
  const validator = new SignalValidator({ timeframe: '1h', blacklist });
  return { blacklist, validator, store, setNow: (t: number) => (now = t) };
}

describe('SignalValidator', () => {
  const fresh = { now: 10 * HOUR, lastClose: 10 * HOUR, history: 100, warmup: 30 };

  it('accepts a signal on fresh data after warm-up', async () => {
    expect(await setup().validator.validate(signal, fresh)).toEqual({ ok: true });
  });

  it('rejects stale data: the last candle closed more than 2 timeframes ago', async () => {
    const { validator } = setup();
    expect((await validator.validate(signal, { ...fresh, now: 12 * HOUR })).ok, 'exactly 2 timeframes is still fresh').toBe(true);
    const v = await validator.validate(signal, { ...fresh, now: 12 * HOUR + 1 });
    expect(v).toMatchObject({ ok: false, code: 'stale' });
  });

  it('rejects signals before the warm-up', async () => {
    const v = await setup().validator.validate(signal, { ...fresh, history: 29 });
    expect(v).toMatchObject({ ok: false, code: 'warmup' });
  });

  it('rejects blacklisted symbols with the reason, until the TTL runs out', async () => {
    const { validator, blacklist, setNow } = setup();
    await blacklist.add('LUNA/USDT', 'depeg', 5 * HOUR);
    const v = await validator.validate(signal, fresh);
    expect(v).toMatchObject({ ok: false, code: 'blacklisted' });
    expect(v.ok ? '' : v.reason).toMatch(/depeg/);
    expect(await blacklist.has('BTC/USDT')).toBe(false);
    setNow(15 * HOUR);
    expect(await blacklist.has('LUNA/USDT'), 'expired').toBe(false);
    expect(await validator.validate(signal, { ...fresh, now: 15 * HOUR, lastClose: 15 * HOUR })).toEqual({ ok: true });
  });

  it('keeps entries without TTL until removed', async () => {
    const { blacklist, setNow } = setup();
    await blacklist.add('LUNA/USDT', 'operator');
    setNow(1000 * HOUR);
    expect((await blacklist.get('LUNA/USDT'))?.reason).toBe('operator');
    await blacklist.remove('LUNA/USDT');
    expect(await blacklist.has('LUNA/USDT')).toBe(false);
  });

  it('fails closed on an unreadable entry', async () => {
    const { blacklist, store } = setup();
    await store.setValue('test:bl:LUNA/USDT', '{not json');
    expect(await blacklist.has('LUNA/USDT')).toBe(true);
  });
});
