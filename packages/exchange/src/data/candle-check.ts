import type { Candle } from '@kairos/core';

/**
 * The rules every stored or downloaded candle must meet, shared by the CSV loader, the
 * history store and the downloader so a candle is valid by one definition everywhere.
 * Returns what is wrong with `c`, or undefined when it is valid.
 *
 * @param prevTime - open time of the candle before it in the same series, or -Infinity
 * @param stepMs - the timeframe's width; open times must be multiples of it
 * @param label - how to name the timeframe in the message (e.g. '1h')
 */
export function candleProblem(c: Candle, prevTime: number, stepMs: number, label = `${stepMs} ms`): string | undefined {
  const { time, open, high, low, close, volume } = c;
  if (![time, open, high, low, close, volume].every(Number.isFinite)) return 'non-numeric or infinite value';
  if (!Number.isInteger(time)) return `timestamp ${time} is not an integer of ms`;
  if (open <= 0 || high <= 0 || low <= 0 || close <= 0) return 'prices must be positive';
  if (volume < 0) return 'volume must not be negative';
  if (high < low) return `high ${high} < low ${low}`;
  if (high < Math.max(open, close) || low > Math.min(open, close)) return 'open/close outside the high-low range';
  if (time === prevTime) return `duplicate timestamp ${time}`;
  if (time < prevTime) return `timestamp ${time} out of order (previous ${prevTime})`;
  if (time % stepMs !== 0) return `timestamp ${time} is not aligned to ${label}`;
  return undefined;
}
