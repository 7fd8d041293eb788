import { describeExchangeAdapterConformance } from '@kairos/core/testing';
import type { Market } from '@kairos/core';
import { SimulatedExchange } from '../../src';
import { btcHourly, startBybitVenue } from '../support/bybit-venue';

const candles = btcHourly(40);
const HISTORY = 30;
const HOUR = 3_600_000;

/** Bybit's real BTCUSDT spot rules, so both venues judge orders alike. */
const btcMarket: Market = {
  symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true,
  amountStep: 0.000001, priceStep: 0.1, minAmount: 0.000011, maxAmount: 83, minNotional: 5, makerFee: 0.001, takerFee: 0.001,
};

describeExchangeAdapterConformance('SimulatedExchange', {
  async create() {
    const sim = new SimulatedExchange({ markets: [btcMarket], balances: { USDT: 10_000 }, startTime: candles[0]?.time ?? 0 });
    let next = 0;
    for (; next < HISTORY; next++) sim.processCandle('BTC/USDT', candles[next] as (typeof candles)[number], HOUR);
    return {
      adapter: sim,
      symbol: 'BTC/USDT',
      quoteBalance: 10_000,
      async settle() {
        sim.processCandle('BTC/USDT', candles[next] as (typeof candles)[number], HOUR);
        next += 1;
      },
      async close() {},
    };
  },
});

describeExchangeAdapterConformance('CcxtExchange (real ccxt bybit against the local server)', {
  async create() {
    const venue = await startBybitVenue({ candles: { BTCUSDT: candles }, startTime: (candles[HISTORY] as (typeof candles)[number]).time });
    return {
      adapter: venue.adapter(),
      symbol: 'BTC/USDT',
      quoteBalance: 10_000,
      async settle() {},
      close: () => venue.close(),
    };
  },
});
