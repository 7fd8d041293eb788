import { DataError } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { parseCandleCsv } from '../../src/data/candle-file';

// Issue items: absurd magnitudes, silent jumps, lenient number parsing, pre-2009 times,
// unbounded echo of input in error messages. Each test below failed on the old loader.

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const FILE = 'X_USDT-1h.csv';
const header = 'timestamp,open,high,low,close,volume';
const row = (t: number, o: number | string = 10, h: number | string = 11, l: number | string = 9, c: number | string = 10.5, v: number | string = 100) => `${t},${o},${h},${l},${c},${v}`;
const csv = (...rows: string[]) => [header, ...rows].join('\n');

/** Parses `text` and returns the DataError it must raise. */
function refusal(text: string, options?: Parameters<typeof parseCandleCsv>[3]): DataError {
  try {
    parseCandleCsv(text, FILE, '1h', options);
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    return err as DataError;
  }
  throw new Error('expected a DataError, but the text was accepted');
}

function expectRefused(text: string, line: number, pattern: RegExp, options?: Parameters<typeof parseCandleCsv>[3]) {
  const err = refusal(text, options);
  expect(err.code).toBe('DATA_INVALID');
  expect(err.message.startsWith(`${FILE}:${line}: `), err.message).toBe(true);
  expect(err.message).toMatch(pattern);
  expect(err.details).toMatchObject({ file: FILE, line });
}

describe('candle sanity: magnitudes', () => {
  it('refuses a candle of 1e300 after normal ones, naming file and line', () => {
    expectRefused(csv(row(T0), row(T0 + H, '1e300', '1e300', '1e300', '1e300')), 3, /1e\+300 is above/);
    // in plain decimal notation too: the magnitude alone is out of bounds
    const huge = `1${'0'.repeat(300)}`;
    expectRefused(csv(row(T0), row(T0 + H, huge, huge, huge, huge)), 3, /out of bounds|above/);
  });

  it('refuses a series that is absurd from its first candle (no previous close to compare with)', () => {
    const huge = `1${'0'.repeat(300)}`;
    expectRefused(csv(row(T0, huge, huge, huge, huge), row(T0 + H, huge, huge, huge, huge)), 2, /above/);
    expectRefused(csv(row(T0, '0.000000000000000001', '0.000000000000000001', '0.000000000000000001', '0.000000000000000001')), 2, /below/);
    expectRefused(csv(row(T0, 10, 11, 9, 10, `1${'0'.repeat(30)}`)), 2, /volume .*above/);
  });

  it('keeps the price and volume bounds configurable', () => {
    const text = csv(row(T0, 5000, 5000, 5000, 5000));
    expectRefused(text, 2, /above/, { maxPrice: 1000 });
    expect(parseCandleCsv(text, FILE, '1h', { maxPrice: 10_000 }).candles).toHaveLength(1);
  });
});

describe('candle sanity: jumps against the previous candle', () => {
  it('refuses a rise of more than 100x from the previous close unless accepted', () => {
    const text = csv(row(T0), row(T0 + H, 2000, 2100, 1900, 2000));
    expectRefused(text, 3, /jump|×|x the previous close/);
    expect(parseCandleCsv(text, FILE, '1h', { acceptJumps: true }).candles).toHaveLength(2);
    expect(parseCandleCsv(text, FILE, '1h', { maxJump: 1000 }).candles).toHaveLength(2);
  });

  it('refuses a fall of more than 100x below the previous close', () => {
    expectRefused(csv(row(T0), row(T0 + H, 0.1, 0.1, 0.05, 0.1)), 3, /previous close/);
  });

  it('refuses a single candle whose high is more than 100x its low', () => {
    expectRefused(csv(row(T0, 10, 1500, 9, 10)), 2, /low/);
  });

  it('accepts moves within the factor, the gate being on the ratio, not the distance', () => {
    const { candles } = parseCandleCsv(csv(row(T0), row(T0 + H, 900, 1000, 800, 900), row(T0 + 2 * H, 20, 900, 15, 20)), FILE, '1h');
    expect(candles).toHaveLength(3);
  });

  it('honours a tighter factor', () => {
    expectRefused(csv(row(T0), row(T0 + H, 30, 31, 29, 30)), 3, /limit 2/, { maxJump: 2 });
  });
});

describe('candle sanity: number syntax', () => {
  it('refuses an empty or whitespace volume instead of reading it as 0', () => {
    expectRefused(csv(row(T0, 10, 11, 9, 10, '')), 2, /volume.*empty/);
    expectRefused(csv(row(T0, 10, 11, 9, 10, '   ')), 2, /volume/);
    expectRefused(csv(row(T0, '', 11, 9, 10)), 2, /open.*empty/);
  });

  it('refuses hex, octal, binary and other non-decimal spellings that Number() accepts', () => {
    for (const bad of ['0x10', '0o10', '0b10', '+10', ' 10', '10 ', '.5', '5.', '1e', '1.5e+', '0x1p3', 'Infinity', '-Infinity', 'NaN', '1_0']) {
      expectRefused(csv(row(T0), row(T0 + H, 10, 11, 9, 10, bad)), 3, /volume/);
    }
    expectRefused(csv(row(T0, '0x10', 20, 9, 10)), 2, /open "0x10" is not a decimal number/);
  });

  it('refuses a timestamp that is not a whole number of milliseconds written in digits', () => {
    expectRefused(csv(`0x${T0.toString(16)},10,11,9,10,1`), 2, /timestamp/);
    expectRefused(csv(`${T0 / 1000}e3,10,11,9,10,1`), 2, /timestamp/);
    expectRefused(csv(` ${T0},10,11,9,10,1`), 2, /timestamp/);
  });

  it('still reads plain decimals exactly, including tiny prices', () => {
    const { candles } = parseCandleCsv(csv(row(T0, '0.00000933', '0.0000095', '0.00000901', '0.00000940', '8772991389.5')), FILE, '1h');
    expect(candles[0]).toEqual({ time: T0, open: 0.00000933, high: 0.0000095, low: 0.00000901, close: 0.0000094, volume: 8772991389.5 });
  });
});

describe('candle sanity: time range', () => {
  it('refuses open times before 2009-01-01 and accepts that day', () => {
    const y2009 = Date.UTC(2009, 0, 1);
    expectRefused(csv(row(y2009 - H)), 2, /before 2009/);
    expectRefused(csv(row(0)), 2, /before 2009/);
    expectRefused(csv(`-${H},10,11,9,10,1`), 2, /timestamp/);
    expect(parseCandleCsv(csv(row(y2009)), FILE, '1h').candles).toHaveLength(1);
  });

  it('refuses open times from 2100 on, which are not dates a venue has published', () => {
    expectRefused(csv(row(Date.UTC(2100, 0, 1))), 2, /2100/);
  });
});

describe('error messages quote a short excerpt of the input', () => {
  it('keeps the message short when the first line is 20 MB', () => {
    const err = refusal(`${'x'.repeat(20 * 1024 * 1024)}\n${row(T0)}`);
    expect(err.message.startsWith(`${FILE}:1: `)).toBe(true);
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toContain('…');
    expect(err.message).toContain(String(20 * 1024 * 1024));
  });

  it('keeps the message short for a huge field in a data row', () => {
    const err = refusal(csv(row(T0), row(T0 + H, 10, 11, 9, 10, '9'.repeat(5_000_000) + 'z')));
    expect(err.message.startsWith(`${FILE}:3: `)).toBe(true);
    expect(err.message.length).toBeLessThan(300);
  });

  it('does not pass terminal control characters from the file through to the message', () => {
    const err = refusal(`\u001b[2J\u001b]0;pwned\u0007,open\n${row(T0)}`);
    expect(err.message).not.toMatch(/[\u0000-\u001f\u007f]/);
  });
});

describe('candle sanity: signs', () => {
  it('refuses negative values, including a negative zero volume', () => {
    expectRefused(csv(row(T0, 10, 11, 9, 10, '-0')), 2, /volume "-0" is negative/);
    expectRefused(csv(row(T0, 10, 11, '-9', 10)), 2, /low "-9" is negative/);
  });
});
