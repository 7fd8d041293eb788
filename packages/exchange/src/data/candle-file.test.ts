import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '@kairos/core';
import { describe, expect, it } from 'vitest';
import { loadCandleFile, parseCandleCsv } from './candle-file';
import { loadCandleDirectory } from './candle-directory';

const H = 3_600_000;
// Open times count from 2024-01-01: the loader refuses times before 2009.
const T0 = Date.UTC(2024, 0, 1);
const header = 'timestamp,open,high,low,close,volume';
const row = (t: number, o = 10, h = 11, l = 9, c = 10.5, v = 100) => `${T0 + t},${o},${h},${l},${c},${v}`;

function expectDataError(text: string, line: number, pattern: RegExp) {
  try {
    parseCandleCsv(text, 'X_USDT-1h.csv', '1h');
  } catch (err) {
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).code).toBe('DATA_INVALID');
    expect((err as Error).message).toContain(`X_USDT-1h.csv:${line}:`);
    expect((err as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a DataError');
}

describe('candle CSV validation', () => {
  it('rejects each kind of malformed row naming the file and line', () => {
    expectDataError([header, row(0), `${T0 + H},NaN,11,9,10,1`].join('\n'), 3, /open "NaN" is not a decimal number/);
    expectDataError([header, row(0), row(H, 0, 11, 0, 10)].join('\n'), 3, /positive/);
    expectDataError([header, row(0, 10, 9, 11, 10)].join('\n'), 2, /high 9 < low 11/);
    expectDataError([header, row(0), row(2 * H), row(H)].join('\n'), 4, /out of order/);
    expectDataError([header, row(0), row(0)].join('\n'), 3, /duplicate/);
    expectDataError([header, row(0), `${T0 + H},10,11,9`].join('\n'), 3, /6 columns/);
    expectDataError([header, row(0, 10, 11, 9, 12)].join('\n'), 2, /outside the high-low/);
    expectDataError(['time,o,h,l,c,v', row(0)].join('\n'), 1, /header/);
    expectDataError([header, row(0), `${T0 + H},10,11,9,10,Infinity`].join('\n'), 3, /volume "Infinity" is not a decimal number/);
  });

  it('reports gaps without inventing candles', () => {
    const { candles, gaps } = parseCandleCsv([header, row(0), row(H), row(5 * H), row(6 * H)].join('\n'), 'f', '1h');
    expect(candles.map((c) => c.time - T0)).toEqual([0, H, 5 * H, 6 * H]);
    expect(gaps).toEqual([{ from: T0 + H, to: T0 + 5 * H, missing: 3 }]);
  });

  it('loads plain and gzipped files and takes symbol and timeframe from the name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-candles-'));
    const text = [header, row(0), row(H)].join('\n');
    await writeFile(join(dir, 'BTC_USDT-1h.csv'), text);
    await writeFile(join(dir, 'ETH_USDT-1h.csv.gz'), gzipSync(text));
    const [btc, eth] = await loadCandleDirectory(dir, ['BTC/USDT', 'ETH/USDT'], '1h');
    expect(btc?.symbol).toBe('BTC/USDT');
    expect(eth?.candles).toEqual(btc?.candles);
    await expect(loadCandleDirectory(dir, ['SOL/USDT'], '1h')).rejects.toThrow(/no 1h candles for SOL\/USDT.*available: BTC\/USDT, ETH\/USDT/);
    await expect(loadCandleFile(join(dir, 'nonsense.csv'))).rejects.toThrow(/file name/);
  });

  it('accepts the bundled real data, including its zero-gap 2024 files', async () => {
    const loaded = await loadCandleFile(new URL('../../../../data/BTC_USDT-1h.csv', import.meta.url).pathname);
    expect(loaded.candles.length).toBe(5980);
    expect(loaded.gaps).toEqual([]);
  });
});
