import type { Candle } from '@kairos/core';
import { excerpt } from './excerpt';

// Decimal digits, with an optional exponent (exporters such as pandas write 1.23e-06
// for the prices of cheap coins). Number() alone would also take '', ' ', '0x10', '0b1',
// '+1', 'Infinity' — each a way for a broken file to load as plausible candles.
const DECIMAL = /^\d+(\.\d+)?([eE][-+]?\d{1,3})?$/;
const WHOLE = /^\d+$/;
const VALUE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;

/**
 * Reads the six fields of one CSV row (`timestamp,open,high,low,close,volume`) strictly.
 * Returns the candle, or what is wrong with the first bad field.
 */
export function parseCandleFields(cols: readonly string[]): Candle | string {
  const rawTime = cols[0] as string;
  if (!WHOLE.test(rawTime)) return `timestamp ${excerpt(rawTime)} is not a whole number of ms written in digits`;
  const time = Number(rawTime);
  // Past 2^53 ms the digits no longer name one instant.
  if (!Number.isSafeInteger(time)) return `timestamp ${excerpt(rawTime)} is out of range`;
  const values: number[] = [];
  for (const [i, name] of VALUE_COLUMNS.entries()) {
    const raw = cols[i + 1] as string;
    if (raw.trim() === '') return `${name} is empty`;
    // Its own message, and '-0' must not slip past a `volume < 0` check as zero.
    if (raw.startsWith('-')) return `${name} ${excerpt(raw)} is negative`;
    if (!DECIMAL.test(raw)) return `${name} ${excerpt(raw)} is not a decimal number`;
    const n = Number(raw);
    // A digit string can still overflow to Infinity ('1' and 400 zeros).
    if (!Number.isFinite(n)) return `${name} ${excerpt(raw)} is out of range`;
    values.push(n);
  }
  const [open, high, low, close, volume] = values as [number, number, number, number, number];
  return { time, open, high, low, close, volume };
}
