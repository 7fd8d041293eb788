import type { Candle } from '@kairos/core';
import type { ServerOrder } from './bybit-state';

/** Bybit sends numbers as strings; trailing float noise is cut to 10 decimals. */
export function num(x: number): string {
  return String(Number(x.toFixed(10)));
}

/** The envelope every Bybit v5 answer has. */
export function envelope(result: unknown, time: number, retCode = 0, retMsg = 'OK'): string {
  return JSON.stringify({ retCode, retMsg, result, retExtInfo: {}, time });
}

/** An order in `/v5/order/realtime` and `/v5/order/history` format. */
export function orderJson(o: ServerOrder): Record<string, unknown> {
  const leaves = o.status === 'New' || o.status === 'PartiallyFilled' ? o.qty - o.cumExecQty : 0;
  return {
    orderId: o.orderId,
    orderLinkId: o.orderLinkId,
    blockTradeId: '',
    symbol: o.symbol,
    price: num(o.price),
    qty: num(o.qty),
    side: o.side,
    isLeverage: '0',
    positionIdx: 0,
    orderStatus: o.status,
    cancelType: o.status === 'Cancelled' ? 'CancelByUser' : 'UNKNOWN',
    rejectReason: 'EC_NoError',
    avgPrice: o.cumExecQty > 0 ? num(o.cumExecValue / o.cumExecQty) : '0',
    leavesQty: num(leaves),
    leavesValue: num(leaves * o.price),
    cumExecQty: num(o.cumExecQty),
    cumExecValue: num(o.cumExecValue),
    cumExecFee: num(o.cumExecFee),
    cumFeeDetail: o.cumExecFee > 0 ? { [o.feeCoin]: num(o.cumExecFee) } : {},
    timeInForce: o.timeInForce,
    orderType: o.orderType,
    stopOrderType: '',
    orderIv: '',
    marketUnit: o.orderType === 'Market' ? 'baseCoin' : '',
    triggerPrice: '0',
    takeProfit: '0',
    stopLoss: '0',
    triggerBy: '',
    triggerDirection: 0,
    placeType: '',
    smpType: 'None',
    reduceOnly: false,
    closeOnTrigger: false,
    createdTime: String(o.createdTime),
    updatedTime: String(o.updatedTime),
  };
}

/** A kline row: [start, open, high, low, close, volume, turnover]. */
export function klineRow(c: Candle): string[] {
  return [String(c.time), num(c.open), num(c.high), num(c.low), num(c.close), num(c.volume), num(c.volume * c.close)];
}

/** Bybit kline interval names to milliseconds. */
export function intervalMs(interval: string | undefined): number | undefined {
  if (interval === undefined) return undefined;
  if (interval === 'D') return 86_400_000;
  if (interval === 'W') return 7 * 86_400_000;
  const minutes = Number(interval);
  return Number.isInteger(minutes) && minutes > 0 ? minutes * 60_000 : undefined;
}
