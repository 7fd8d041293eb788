/**
 * Bybit v5 spot instrument records (the seven spot USDT markets of ccxt's static Bybit markets
 * fixture, MIT). Step sizes and minimums are Bybit's real values at the time of capture.
 */
import type { BybitSpotInstrument } from './types';

export const DEFAULT_SPOT_INSTRUMENTS: readonly BybitSpotInstrument[] = 
[
  {
    "symbol": "BTCUSDT",
    "baseCoin": "BTC",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.000001",
      "quotePrecision": "0.0000001",
      "minOrderQty": "0.000011",
      "maxOrderQty": "83",
      "minOrderAmt": "5",
      "maxOrderAmt": "8000000"
    },
    "priceFilter": {
      "tickSize": "0.1"
    }
  },
  {
    "symbol": "ETHUSDT",
    "baseCoin": "ETH",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.00001",
      "quotePrecision": "0.0000001",
      "minOrderQty": "0.00029",
      "maxOrderQty": "4616.1353715",
      "minOrderAmt": "5",
      "maxOrderAmt": "7000000"
    },
    "priceFilter": {
      "tickSize": "0.01"
    }
  },
  {
    "symbol": "ADAUSDT",
    "baseCoin": "ADA",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.01",
      "quotePrecision": "0.000001",
      "minOrderQty": "1.07",
      "maxOrderQty": "7591573.353578",
      "minOrderAmt": "5",
      "maxOrderAmt": "4000000"
    },
    "priceFilter": {
      "tickSize": "0.0001"
    }
  },
  {
    "symbol": "LTCUSDT",
    "baseCoin": "LTC",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.00001",
      "quotePrecision": "0.0000001",
      "minOrderQty": "0.00923",
      "maxOrderQty": "22975.3015508",
      "minOrderAmt": "5",
      "maxOrderAmt": "600000"
    },
    "priceFilter": {
      "tickSize": "0.01"
    }
  },
  {
    "symbol": "XRPUSDT",
    "baseCoin": "XRP",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.01",
      "quotePrecision": "0.000001",
      "minOrderQty": "0.44",
      "maxOrderQty": "2390343.014223",
      "minOrderAmt": "5",
      "maxOrderAmt": "4000000"
    },
    "priceFilter": {
      "tickSize": "0.0001"
    }
  },
  {
    "symbol": "DOGEUSDT",
    "baseCoin": "DOGE",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.1",
      "quotePrecision": "0.000001",
      "minOrderQty": "3",
      "maxOrderQty": "22340128.455739",
      "minOrderAmt": "5",
      "maxOrderAmt": "4000000"
    },
    "priceFilter": {
      "tickSize": "0.00001"
    }
  },
  {
    "symbol": "TRXUSDT",
    "baseCoin": "TRX",
    "quoteCoin": "USDT",
    "status": "Trading",
    "lotSizeFilter": {
      "basePrecision": "0.01",
      "quotePrecision": "0.000001",
      "minOrderQty": "3.91",
      "maxOrderQty": "11125945.705385",
      "minOrderAmt": "5",
      "maxOrderAmt": "3000000"
    },
    "priceFilter": {
      "tickSize": "0.0001"
    }
  }
];
