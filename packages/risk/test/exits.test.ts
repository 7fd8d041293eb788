import { describe, expect, it } from 'vitest';
import { ExitRules } from '../src/exits/exit-rules';
import { PartialCloseLadder } from '../src/exits/partial-close-ladder';
import { MarketMemory } from '../src/market/market-memory';
import { HOUR, MIN, candle, ctx, market, position } from './support/fixtures';

/** Feeds candles one by one and returns the first exit the rules want, with its index. */
function run(rules: { exits: ExitRules['exits'] } , mem: MarketMemory, bars: Array<{ close: number; range?: number; open?: number }>, start = 0) {
  const pos = position('BTC/USDT', 1, 100, 100, 0);
  for (let i = 0; i < bars.length; i++) {
    const b = bars[i]!;
    const t = start + i * HOUR;
    mem.onCandle(candle('BTC/USDT', t, b.close, b.range ?? 0, b.open ?? b.close));
    const out = rules.exits.call(rules, { ...pos, lastPrice: b.close }, ctx({ now: t + HOUR }));
    if (out.length > 0) return { i, exit: out[0]! };
  }
  return undefined;
}

describe('ExitRules', () => {
  it('stop-loss as percent triggers on the candle low touching the stop', () => {
    const mem = new MarketMemory();
    const r = new ExitRules({ stopLoss: { percent: 5 } }, mem);
    const hit = run(r, mem, [{ close: 99 }, { close: 97 }, { close: 96, range: 2.5 }, { close: 90 }]);
    expect(hit?.i, 'low 94.75 ≤ 95 on the third candle').toBe(2);
    expect(hit?.exit.kind).toBe('stop-loss');
    expect(hit?.exit.triggerPrice).toBeCloseTo(95, 9);
    expect(hit?.exit.reason.startsWith('stop-loss')).toBe(true);
    expect(hit?.exit.amount).toBe(1);
  });

  it('ATR stop is fixed at the ATR seen at entry (volatility-adjusted)', () => {
    const mem = new MarketMemory({ atrPeriod: 3 });
    for (let i = 0; i < 10; i++) mem.onCandle(candle('BTC/USDT', (i - 10) * HOUR, 100, 2));
    const r = new ExitRules({ stopLoss: { atrMultiple: 2 } }, mem);
    // Entry ATR 2 → stop at 96; later wild candles raise ATR, the stop stays.
    const hit = run(r, mem, [{ close: 100, range: 2 }, { close: 100, range: 6 }, { close: 97, range: 1.8 }, { close: 96.5, range: 1.2 }]);
    expect(hit?.i).toBe(3);
    expect(hit?.exit.triggerPrice).toBeCloseTo(96, 9);
  });

  it('take-profit triggers on the high', () => {
    const mem = new MarketMemory();
    const r = new ExitRules({ takeProfit: { percent: 10 } }, mem);
    const hit = run(r, mem, [{ close: 105 }, { close: 109, range: 1 }, { close: 109, range: 2.2 }]);
    expect(hit?.i).toBe(2);
    expect(hit?.exit.kind).toBe('take-profit');
  });

  it('trailing stop waits for its activation offset, then trails the highest high', () => {
    const mem = new MarketMemory();
    const r = new ExitRules({ trailingStop: { percent: 5, activationPercent: 10 } }, mem);
    // Up 8% then down 6%: not active yet (no exit). Then to 120, then fall below 120 × 0.95 = 114.
    const hit = run(r, mem, [{ close: 108 }, { close: 102 }, { close: 120 }, { close: 116 }, { close: 113.5 }]);
    expect(hit?.i).toBe(4);
    expect(hit?.exit.kind).toBe('trailing-stop');
    expect(hit?.exit.triggerPrice).toBeCloseTo(114, 9);
  });

  it('a candle`s own high does not raise the stop its low is judged against', () => {
    const mem = new MarketMemory();
    const r = new ExitRules({ trailingStop: { percent: 5 } }, mem);
    // One candle with high 125 and low 110: the stop before it was 95, so no exit; judged
    // against its own high the stop would be 118.75 and the low 110 would trigger.
    const first = run(r, mem, [{ open: 115, close: 120, range: 10 }]);
    expect(first).toBeUndefined();
    const next = run(r, mem, [{ close: 118, range: 1 }], HOUR);
    expect(next?.exit.kind, 'the next candle is judged against 125 × 0.95').toBe('trailing-stop');
  });

  it('break-even moves the stop to entry + offset once the trigger is reached', () => {
    const mem = new MarketMemory();
    const r = new ExitRules({ stopLoss: { percent: 10 }, breakEven: { triggerPercent: 5, offsetPercent: 0.5 } }, mem);
    const hit = run(r, mem, [{ close: 106 }, { close: 101 }, { close: 100.4 }]);
    expect(hit?.i, 'low 100.4 ≤ 100.5 after the trigger').toBe(2);
    expect(hit?.exit.kind).toBe('break-even');
  });

  it('time exit and minimal-ROI table', () => {
    const mem = new MarketMemory();
    const timed = new ExitRules({ timeExit: { maxHours: 3 } }, mem);
    expect(run(timed, mem, [{ close: 100 }, { close: 100 }, { close: 100 }, { close: 100 }])?.exit.kind).toBe('time-exit');
    const mem2 = new MarketMemory();
    const roi = new ExitRules({ minimalRoi: { '0': 10, '120': 2, '240': 0 } }, mem2);
    // Age after candle i is (i+1) h: 3% profit is not enough before 120 min, is at 120 min.
    const hit = run(roi, mem2, [{ close: 103 }, { close: 103 }, { close: 103 }]);
    expect(hit?.i).toBe(1);
    expect(hit?.exit.reason).toMatch(/minimal-roi: profit 3.00% ≥ 2%/);
  });
});

describe('PartialCloseLadder', () => {
  const m = market({ amountStep: 0.001, minAmount: 0.001, minNotional: 10 });
  function at(ladder: PartialCloseLadder, mem: MarketMemory, amount: number, price: number, t: number) {
    mem.onCandle(candle('BTC/USDT', t, price));
    return ladder.exits(position('BTC/USDT', amount, 100, price, 0), ctx({ market: m }));
  }

  it('closes each rung`s fraction of the original position once', () => {
    const mem = new MarketMemory();
    const l = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.3 }, { profitPercent: 10, fraction: 0.3 }] }, mem);
    expect(at(l, mem, 10, 103, 0)).toEqual([]);
    expect(at(l, mem, 10, 106, HOUR)[0]?.amount).toBe(3);
    expect(at(l, mem, 7, 107, 2 * HOUR), 'rung done once').toEqual([]);
    expect(at(l, mem, 7, 111, 3 * HOUR)[0]?.amount, '30% of the original 10').toBe(3);
  });

  it('sells everything when the rest would fall below the minimum sale (10 × 1.003)', () => {
    const mem = new MarketMemory();
    const l = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.5 }] }, mem);
    // 0.19 at 110 = 20.9: half is 0.095 (10.45), the rest 0.095 → 10.45 ≥ 10.03, so a part.
    expect(at(l, mem, 0.19, 110, 0)[0]?.amount).toBe(0.095);
    const l2 = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.5 }] }, new MarketMemory());
    const mem2 = new MarketMemory();
    const l3 = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.5 }] }, mem2);
    // 0.18 at 110 = 19.8: the rest 0.09 = 9.9 < 10.03 → close all.
    const all = at(l3, mem2, 0.18, 110, 0)[0];
    expect(all?.amount).toBe(0.18);
    expect(all?.reason).toMatch(/close all/);
    expect(l2.config.minNotionalBuffer).toBe(0.003);
  });

  it('raises a part below the minimum sale up to it', () => {
    const mem = new MarketMemory();
    const l = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.05 }] }, mem);
    // 1 at 110: 5% is 0.05 (5.5 quote) < 10.03 → raised to ceil(10.03/110) = 0.092.
    const e = at(l, mem, 1, 110, 0)[0];
    expect(e?.amount).toBe(0.092);
    expect(e!.amount * 110).toBeGreaterThanOrEqual(10.03);
  });

  it('proposes nothing for a position too small to sell at all', () => {
    const mem = new MarketMemory();
    const l = new PartialCloseLadder({ ladder: [{ profitPercent: 5, fraction: 0.5 }] }, mem);
    expect(at(l, mem, 0.05, 110, 0)).toEqual([]);
  });

  it('never leaves a remainder under the minimums (sweep)', () => {
    for (let amount = 0.09; amount < 0.5; amount += 0.007) {
      const mem = new MarketMemory();
      const l = new PartialCloseLadder({ ladder: [{ profitPercent: 1, fraction: 0.4 }] }, mem);
      const held = Math.round(amount * 1000) / 1000;
      const e = at(l, mem, held, 120, MIN)[0];
      if (!e) continue;
      const rest = held - e.amount;
      expect(e.amount * 120, 'every sale meets the minimum notional').toBeGreaterThanOrEqual(10);
      expect(rest < 1e-9 || rest * 120 >= 10.03, `rest ${rest} of ${held}`).toBe(true);
    }
  });
});
