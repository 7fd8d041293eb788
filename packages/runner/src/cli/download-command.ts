import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '@kairos/core';
import { type CandleSource, CcxtExchange, type DownloadResult, HistoryStore, downloadCandles } from '@kairos/exchange';
import { parseDate, parseSymbols, parseTimeframe } from './args';
import type { CommandIo } from './io';

export const DOWNLOAD_USAGE = `kairos download --exchange bybit --symbols BTC/USDT,ETH/USDT --timeframe 1m --since 2024-01-01
  [--until ISO] [--dir data/store] [--url BASE_URL] [--json]`;

/** What the command needs from outside; tests replace it. */
export interface DownloadDeps {
  /** Builds the candle source for a ccxt exchange id (and an optional API base URL). */
  createSource(settings: { exchange: string; url?: string }): Promise<CandleSource & { close?(): Promise<void> }> | (CandleSource & { close?(): Promise<void> });
  readonly now?: () => number;
}

const defaultDeps: DownloadDeps = {
  createSource: ({ exchange, url }) => new CcxtExchange({ exchangeId: exchange, ...(url !== undefined ? { apiUrl: url } : {}) }),
};

const iso = (t: number | undefined) => (t === undefined ? '-' : new Date(t).toISOString());

/**
 * Back-fills candles into the local history store with pagination. Re-running resumes
 * after the last stored candle; gaps the exchange left are reported (exit code stays 0:
 * they are facts of the venue). A symbol that fails does not stop the others; the exit
 * code is then 1.
 */
export async function downloadCommand(argv: string[], io: CommandIo, deps: DownloadDeps = defaultDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      exchange: { type: 'string' },
      symbols: { type: 'string' },
      timeframe: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      dir: { type: 'string' },
      url: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const exchange = values.exchange;
  if (exchange === undefined || !/^[a-z0-9]+$/.test(exchange)) throw new ConfigError('--exchange', 'expected a ccxt exchange id like bybit');
  const symbols = parseSymbols(values.symbols);
  const timeframe = parseTimeframe(values.timeframe);
  const since = parseDate(values.since, '--since');
  if (since === undefined) throw new ConfigError('--since', 'expected the first day to fetch, like 2024-01-01');
  const until = parseDate(values.until, '--until');
  if (until !== undefined && until <= since) throw new ConfigError('--until', 'must be after --since');
  if (values.url !== undefined && !/^https?:\/\/[^\s]+$/.test(values.url)) throw new ConfigError('--url', `'${values.url}' is not an http(s) URL`);
  const dir = resolve(values.dir ?? 'data/store');
  const store = new HistoryStore(dir);
  const source = await deps.createSource({ exchange, ...(values.url !== undefined ? { url: values.url } : {}) });

  const results: DownloadResult[] = [];
  const failures: Array<{ symbol: string; error: string }> = [];
  try {
    for (const symbol of symbols) {
      try {
        const r = await downloadCandles({
          source,
          store,
          series: { exchange, symbol, timeframe },
          since,
          ...(until !== undefined ? { until } : {}),
          ...(deps.now ? { now: deps.now } : {}),
        });
        results.push(r);
        if (!values.json) {
          const m = r.manifest;
          const resumed = r.resumedFrom !== undefined ? ` (resumed at ${iso(r.resumedFrom)})` : '';
          io.out(`${symbol} ${timeframe}: fetched ${r.fetched} candles in ${r.requests} requests${resumed}; stored ${m.count} from ${iso(m.first)} to ${iso(m.last)}`);
          for (const g of r.gaps) io.out(`  gap: ${g.missing} candles missing after ${iso(g.from)} (next at ${iso(g.to)})`);
        }
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        failures.push({ symbol, error });
        if (!values.json) io.err(`${symbol} ${timeframe}: failed: ${error}`);
      }
    }
  } finally {
    await source.close?.();
  }
  if (values.json) {
    io.out(
      JSON.stringify({
        exchange,
        timeframe,
        dir,
        series: results.map((r) => ({
          symbol: r.series.symbol,
          fetched: r.fetched,
          requests: r.requests,
          resumedFrom: r.resumedFrom ?? null,
          count: r.manifest.count,
          first: r.manifest.first ?? null,
          last: r.manifest.last ?? null,
          files: r.manifest.files.map((f) => f.name),
          gaps: r.gaps,
          missing: r.manifest.missing,
        })),
        failures,
      }),
    );
  } else {
    const missing = results.reduce((n, r) => n + r.manifest.missing, 0);
    io.out(`store: ${dir}; ${results.length} series ok, ${failures.length} failed, ${missing} candles missing in gaps`);
  }
  return failures.length > 0 ? 1 : 0;
}
