import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Candle, Logger } from '@kairos/core';
import { CcxtExchange, type CcxtExchangeConfig, type CcxtExchangeDeps, VirtualTime } from '../../src';
import { type BybitServer, type BybitServerOptions, TEST_API_KEY, TEST_API_SECRET, start } from './bybit-server';

/** Hourly BTC/USDT candles of the bundled sample (real Binance data, 2024). */
export function btcHourly(count: number): Candle[] {
  const path = fileURLToPath(new URL('../../../../data/BTC_USDT-1h.csv', import.meta.url));
  const lines = readFileSync(path, 'utf8').trim().split('\n').slice(1, count + 1);
  return lines.map((l) => {
    const [time, open, high, low, close, volume] = l.split(',').map(Number) as [number, number, number, number, number, number];
    return { time, open, high, low, close, volume };
  });
}

/** A local Bybit server, a virtual clock shared with it, and CcxtExchanges made on demand. */
export interface BybitVenue {
  readonly server: BybitServer;
  readonly time: VirtualTime;
  readonly adapters: CcxtExchange[];
  /** A CcxtExchange (real ccxt bybit) wired to the server and the virtual clock. */
  adapter(config?: Partial<CcxtExchangeConfig>, deps?: CcxtExchangeDeps & { logger?: Logger }): CcxtExchange;
  close(): Promise<void>;
}

/**
 * Starts a venue whose clock begins at the open of candle `startIndex`, so the candles
 * before it are history and the price is the close of the one before.
 */
export async function startBybitVenue(
  options: Partial<BybitServerOptions> & {
    candles?: Record<string, Candle[]>;
    startTime?: number;
    /**
     * Hold simulated time still while any request is in flight (default), so the server
     * stamps each request with the time the limiter granted it. Off lets sleepers wake
     * while others wait on slow requests, for tests where timing exactness does not matter.
     */
    freezeTimeWhileBusy?: boolean;
  } = {},
): Promise<BybitVenue> {
  const adapters: CcxtExchange[] = [];
  const freeze = options.freezeTimeWhileBusy ?? true;
  const time = new VirtualTime({
    start: options.startTime ?? 0,
    isBusy: () => freeze && adapters.some((a) => a.activeRequests > 0),
  });
  const server = await start({ candleIntervalMs: 3_600_000, balances: { USDT: 10_000 }, ...options, clock: time });
  const srv = server;
  return {
    server: srv,
    time,
    adapters,
    adapter(config = {}, deps = {}) {
      const a = new CcxtExchange(
        {
          exchangeId: 'bybit',
          credentials: { apiKey: TEST_API_KEY, secret: TEST_API_SECRET },
          apiUrl: srv.url,
          timeoutMs: 2_000,
          ...config,
        },
        { time, random: () => 0.5, ...deps },
      );
      adapters.push(a);
      return a;
    },
    async close() {
      await Promise.all(adapters.map((a) => a.close()));
      await srv.stop();
    },
  };
}
