import { describe, expect, it } from 'vitest';
import { DescribedSignal } from './signal';

describe('DescribedSignal', () => {
  it('writes its reason only when read, once, and keeps it', () => {
    let calls = 0;
    const s = new DescribedSignal('BTC/USDT', 10, 'buy', 0.4, 0.6, 'test', () => `call ${++calls}`);
    expect(calls, 'nothing formatted before anyone reads the reason').toBe(0);
    expect(s.reason).toBe('call 1');
    expect(s.reason).toBe('call 1');
    expect(calls).toBe(1);
  });

  it('serialises like a plain signal, reason included', () => {
    const s = new DescribedSignal('ETH/USDT', 20, 'sell', -0.5, 0.4, 'test', () => 'because');
    expect(JSON.parse(JSON.stringify(s))).toEqual({ symbol: 'ETH/USDT', time: 20, direction: 'sell', strength: -0.5, confidence: 0.4, source: 'test', reason: 'because' });
  });
});
