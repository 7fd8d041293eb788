import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Candle } from '@kairos/core';
import { loadCandleFile } from '@kairos/exchange';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BybitServer, start } from '../../exchange/test/support/bybit-server';
import { main } from '../src/cli/main';
import { captureIo } from './capture-io';

const DATA = fileURLToPath(new URL('../../../data/', import.meta.url));
const HOUR = 3_600_000;
const HOLE_FROM = Date.UTC(2024, 1, 3, 4);

let server: BybitServer;
const dirs: string[] = [];
beforeAll(async () => {
  const btc = (await loadCandleFile(`${DATA}BTC_USDT-1h.csv`)).candles;
  const eth = (await loadCandleFile(`${DATA}ETH_USDT-1h.csv`)).candles;
  // The server's ETH history lacks 7 hours: a gap the download must report.
  const holed = eth.filter((c: Candle) => c.time < HOLE_FROM || c.time >= HOLE_FROM + 7 * HOUR);
  server = await start({ candles: { BTCUSDT: btc, ETHUSDT: holed }, candleIntervalMs: HOUR });
});
afterAll(async () => {
  await server.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kairos-cli-dl-'));
  dirs.push(d);
  return d;
}

async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[relative(root, join(e.parentPath, e.name))] = (await readFile(join(e.parentPath, e.name))).toString('base64');
  }
  return out;
}

const args = (dir: string, until: string, ...more: string[]) => [
  'download', '--exchange', 'bybit', '--symbols', 'BTC/USDT,ETH/USDT', '--timeframe', '1h', '--since', '2024-01-01', '--until', until, '--dir', dir, '--url', server.url, ...more,
];

describe('kairos download (real ccxt bybit against the local server)', () => {
  it('back-fills both symbols, reports the server gap, and a re-run changes nothing', async () => {
    const dir = await tempDir();
    const io = captureIo();
    expect(await main(args(dir, '2024-03-01'), io), io.stderr.join('\n')).toBe(0);
    expect(io.stdout[0]).toMatch(/^BTC\/USDT 1h: fetched 1440 candles .* stored 1440 from 2024-01-01T00:00:00.000Z to 2024-02-29T23:00:00.000Z$/);
    expect(io.stdout).toContain('  gap: 7 candles missing after 2024-02-03T03:00:00.000Z (next at 2024-02-03T11:00:00.000Z)');
    expect(io.stdout.at(-1)).toMatch(/2 series ok, 0 failed, 7 candles missing in gaps/);
    const files = await snapshot(dir);
    expect(Object.keys(files).sort()).toContain('bybit/ETH_USDT/1h/2024-02.kcc');

    const again = captureIo();
    expect(await main(args(dir, '2024-03-01', '--json'), again)).toBe(0);
    const r = JSON.parse(again.stdout[0] as string) as { series: Array<{ symbol: string; fetched: number; count: number; gaps: unknown[]; missing: number }> };
    expect(r.series.map((x) => [x.symbol, x.fetched, x.count, x.missing])).toEqual([
      ['BTC/USDT', 0, 1440, 0],
      ['ETH/USDT', 0, 1433, 7],
    ]);
    expect(r.series[1]?.gaps).toEqual([{ from: HOLE_FROM - HOUR, to: HOLE_FROM + 7 * HOUR, missing: 7 }]);
    expect(await snapshot(dir), 'idempotent: same bytes').toEqual(files);
  });

  it('a back-fill stopped half-way and continued ends with the same files as one run', async () => {
    const whole = await tempDir();
    expect(await main(args(whole, '2024-03-01'), captureIo())).toBe(0);
    const parts = await tempDir();
    expect(await main(args(parts, '2024-01-20T05:00:00Z'), captureIo())).toBe(0);
    const io = captureIo();
    expect(await main(args(parts, '2024-03-01'), io)).toBe(0);
    expect(io.stdout[0]).toMatch(/resumed at 2024-01-20T05:00:00.000Z/);
    expect(await snapshot(parts)).toEqual(await snapshot(whole));
  });

  it('names a bad flag', async () => {
    const io = captureIo();
    expect(await main(['download', '--exchange', 'bybit', '--symbols', 'BTC/USDT', '--since', 'yesterday'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--since/);
  });
});
