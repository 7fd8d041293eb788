import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/data/candle-file';

// The sanity bounds must not refuse real market data: every bundled file, and the shared
// data set when this checkout has it, loads with the default options.

const BUNDLED = fileURLToPath(new URL('../../../../data/', import.meta.url));
const SHARED = fileURLToPath(new URL('../../../../../shared/data/spot_2024/', import.meta.url));
const candleFiles = (dir: string) => readdirSync(dir).filter((n) => /^[A-Z0-9]+_[A-Z0-9]+-\d+[mhdw]\.csv(\.gz)?$/.test(n));

describe('real candle files pass the default sanity bounds', () => {
  it('loads every bundled file in data/', async () => {
    const names = candleFiles(BUNDLED);
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect((await loadCandleFile(`${BUNDLED}${name}`)).candles.length, name).toBeGreaterThan(0);
  });

  it.skipIf(!existsSync(SHARED))('loads every file of the shared spot_2024 data set', async () => {
    for (const name of candleFiles(SHARED)) expect((await loadCandleFile(`${SHARED}${name}`)).candles.length, name).toBeGreaterThan(0);
  });
});
