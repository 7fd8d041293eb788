import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { DataError, timeframeMs } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';
import { decodeCandleColumns, encodeCandleColumns, readCandleColumnsHeader } from '../../src/history/candle-columns';

const DATA = fileURLToPath(new URL('../../../../data/', import.meta.url));

describe('columnar candle files', () => {
  it('round-trips real candles exactly and compresses well below the CSV size', async () => {
    const { candles } = await loadCandleFile(`${DATA}BTC_USDT-1h.csv`);
    const bytes = encodeCandleColumns(candles, timeframeMs('1h'));
    expect(decodeCandleColumns(bytes, 'btc.kcc'), 'every float64 survives bit for bit').toEqual(candles);
    const csvSize = (await readFile(`${DATA}BTC_USDT-1h.csv`)).length;
    expect(bytes.length, 'columnar + shuffle + gzip beats plain CSV by far').toBeLessThan(csvSize / 2);
    const head = readCandleColumnsHeader(bytes, 'btc.kcc');
    expect(head).toEqual({ stepMs: 3_600_000, count: candles.length, first: candles[0]?.time, last: candles.at(-1)?.time });
  });

  it('is deterministic: the same candles give the same bytes', async () => {
    const { candles } = await loadCandleFile(`${DATA}ETH_USDT-1h.csv`);
    const a = encodeCandleColumns(candles.slice(0, 700), 3_600_000);
    const b = encodeCandleColumns(candles.slice(0, 700).map((c) => ({ ...c })), 3_600_000);
    expect(a.equals(b)).toBe(true);
  });

  it('stores values that are not short decimals losslessly as float64', () => {
    const odd = [0, 60_000, 120_000].map((time, i) => ({ time, open: 1 / 3 + i, high: Math.PI + i, low: 0.1 + 0.2 + i * 1e-17, close: 1 / 3 + i, volume: 2 ** 60 }));
    expect(decodeCandleColumns(encodeCandleColumns(odd, 60_000), 'odd.kcc')).toEqual(odd);
  });

  it('round-trips an empty file and a series with holes', () => {
    expect(decodeCandleColumns(encodeCandleColumns([], 60_000), 'e.kcc')).toEqual([]);
    const holes = [0, 60_000, 600_000, 660_000].map((time) => ({ time, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }));
    expect(decodeCandleColumns(encodeCandleColumns(holes, 60_000), 'h.kcc')).toEqual(holes);
  });

  it('rejects a corrupt body, a foreign file and an invalid candle, naming the file and row', () => {
    const good = [0, 60_000].map((time) => ({ time, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3 }));
    const bytes = encodeCandleColumns(good, 60_000);
    const corrupt = Buffer.from(bytes);
    corrupt[corrupt.length - 5] = (corrupt[corrupt.length - 5] as number) ^ 0xff;
    expect(() => decodeCandleColumns(corrupt, 'x.kcc')).toThrow(DataError);
    expect(() => decodeCandleColumns(Buffer.from('timestamp,open,high,low,close,volume\n'), 'y.kcc')).toThrow(/y\.kcc: not a Kairos columnar/);
    const bad = encodeCandleColumns([good[0], { time: 60_000, open: 1, high: 0.9, low: 0.5, close: 1.5, volume: 3 }] as never, 60_000);
    expect(() => decodeCandleColumns(bad, 'z.kcc')).toThrow(/z\.kcc: row 2: open\/close outside the high-low range/);
  });
});
