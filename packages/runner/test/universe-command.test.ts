import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUniverseSource } from '@kairos/exchange';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BybitServer, start } from '../../exchange/test/support/bybit-server';
import { NOW, scenarioCandles } from '../../exchange/test/universe/scenario';
import { main } from '../src/cli/main';
import { type UniverseDeps, universeCommand } from '../src/cli/universe-command';
import { captureIo } from './capture-io';

let server: BybitServer;
beforeAll(async () => {
  server = await start({ candles: await scenarioCandles(), candleIntervalMs: 3_600_000, clock: { now: () => NOW } });
});
afterAll(() => server.stop());

// The real factory (ccxt bybit with the URL override); only the clock is the scenario's.
const deps: UniverseDeps = { createSource: (s) => createUniverseSource(s), now: () => NOW };

interface Entry {
  symbol: string;
  rank: number;
  why: string[];
  metrics: { last: number; quoteVolume: number; spread: number; volatility: number; ageDays: number };
}

describe('kairos universe', () => {
  it('--json prints the groups with each symbol metrics, from the exchange markets and tickers', async () => {
    const io = captureIo();
    expect(await universeCommand(['--exchange', 'bybit', '--url', server.url, '--json'], io, deps), io.stderr.join('\n')).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const r = JSON.parse(io.stdout[0] as string) as { source: string; tradable: string[]; groups: Record<string, Entry[]>; rejected: Array<{ symbol: string; filter: string }> };
    expect(r.source).toBe('exchange');
    expect(r.groups.top?.map((x) => x.symbol)).toEqual(['BTC/USDT', 'ETH/USDT', 'XRP/USDT']);
    expect(r.groups.memes?.map((x) => x.symbol)).toEqual(['DOGE/USDT']);
    expect(r.groups.risky?.map((x) => [x.symbol, x.why])).toEqual([['TRX/USDT', ['new listing']]]);
    expect(r.rejected.map((x) => `${x.symbol}:${x.filter}`).sort()).toEqual(['ADA/USDT:minQuoteVolume', 'LTC/USDT:maxSpread']);
    for (const e of Object.values(r.groups).flat()) {
      for (const k of ['last', 'quoteVolume', 'spread', 'volatility', 'ageDays'] as const) expect(e.metrics[k], `${e.symbol}.${k}`).toBeTypeOf('number');
    }
  });

  it('prints a readable table', async () => {
    const io = captureIo();
    expect(await universeCommand(['--exchange', 'bybit', '--url', server.url], io, deps)).toBe(0);
    expect(io.stdout[0]).toBe('bybit universe: 5 tradable of 7 USDT spot markets');
    expect(io.stdout).toContain('top (3)');
    expect(io.stdout.some((l) => /^ {2}#1 +BTC\/USDT +last 57970.9/.test(l))).toBe(true);
    expect(io.stdout.some((l) => /LTC\/USDT +maxSpread: spread 34\.843% > 0\.500%/.test(l))).toBe(true);
  });

  it('falls back to the configured list when the exchange cannot be reached, and says so', async () => {
    const io = captureIo();
    const code = await main(['universe', '--exchange', 'bybit', '--url', 'http://127.0.0.1:9', '--fallback', 'BTC/USDT,SOL/USDT'], io);
    expect(code).toBe(0);
    expect(io.stderr.join('\n')).toMatch(/warning: bybit cannot be reached .*; using the configured list/);
    expect(io.stdout).toEqual(['bybit universe (configured fallback): BTC/USDT, SOL/USDT']);
  });

  it('reads the filter chain from --config', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-universe-'));
    try {
      const file = join(dir, 'universe.json');
      await writeFile(file, JSON.stringify({ filters: [{ kind: 'minAge', days: 50 }], groups: { top: { count: 1 } } }));
      const io = captureIo();
      expect(await universeCommand(['--exchange', 'bybit', '--url', server.url, '--config', file, '--json'], io, deps)).toBe(0);
      const r = JSON.parse(io.stdout[0] as string) as { rejected: Array<{ symbol: string; filter: string }>; groups: Record<string, Array<{ symbol: string }>> };
      expect(r.rejected).toEqual([{ symbol: 'TRX/USDT', filter: 'minAge', reason: 'listed 48 days < 50' }]);
      expect(r.groups.top?.map((x) => x.symbol)).toEqual(['BTC/USDT']);

      await writeFile(file, JSON.stringify({ maxSymbols: -1 }));
      const bad = captureIo();
      expect(await main(['universe', '--exchange', 'bybit', '--config', file], bad)).toBe(2);
      expect(bad.stderr.join('\n')).toMatch(/universe\.maxSymbols/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a bad flag', async () => {
    const io = captureIo();
    expect(await main(['universe', '--exchange', 'bybit', '--fallback', 'btcusdt'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/--fallback/);
  });
});
