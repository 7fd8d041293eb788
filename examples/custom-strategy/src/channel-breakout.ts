import { candleField, type Strategy, type StrategyDefinition } from '@kairos/core';
import { z } from 'zod';

/** Parameters: a zod schema with ranges and defaults, so optimizers and the CLI can read it. */
export const ChannelBreakoutParams = z.object({
  period: z.number().int().min(5).max(500).default(55).describe('Donchian channel length'),
});

/** Buy a close above the previous N-bar high; sell a close below the previous N-bar low. */
export const channelBreakout: StrategyDefinition<typeof ChannelBreakoutParams> = {
  id: 'channel-breakout',
  description: 'Donchian channel breakout (turtle style)',
  params: ChannelBreakoutParams,
  create: ({ period }): Strategy => ({
    id: 'channel-breakout',
    warmup: period + 1,
    indicators: { upper: { indicator: 'donchian', params: { period }, output: 'upper' }, lower: { indicator: 'donchian', params: { period }, output: 'lower' } },
    decide(view) {
      const close = candleField(view, 'close');
      // Offset 1: the channel up to the previous bar; offsets can only look back.
      const [hi, lo] = [view.indicator('upper', 1), view.indicator('lower', 1)];
      const base = { symbol: view.symbol, time: view.time, confidence: 0.5, source: 'channel-breakout' };
      if (close > hi) return { ...base, direction: 'buy', strength: 0.6, reason: `close ${close} above ${period}-bar high ${hi}` };
      if (close < lo) return { ...base, direction: 'sell', strength: -0.6, reason: `close ${close} below ${period}-bar low ${lo}` };
      return null;
    },
  }),
};
