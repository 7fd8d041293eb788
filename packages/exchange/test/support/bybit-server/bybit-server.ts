import { createHmac } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Candle } from '@kairos/core';
import { BybitApiError, BybitState } from './bybit-state';
import { DEFAULT_SPOT_INSTRUMENTS } from './spot-instruments';
import type { BybitServerOptions, FaultRule, FaultSpec, RecordedRequest } from './types';
import { envelope, intervalMs, klineRow, num, orderJson } from './wire-format';

/** A running local Bybit server. */
export interface BybitServer {
  /** Base URL, e.g. 'http://127.0.0.1:41234'; put it in every ccxt `urls.api` entry. */
  readonly url: string;
  /** The ledger: orders, wallet, instruments; tests read it and may pin prices. */
  readonly state: BybitState;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Replaces the fault settings (rules and visibility delay); `{}` clears them. */
  setFault(faults: FaultSpec): void;
  /** Number of requests being handled or held (hung) right now. */
  inFlight(): number;
  /** Closes the server and every held connection. */
  stop(): Promise<void>;
}

const PRIVATE_PREFIXES = ['/v5/order/', '/v5/account/', '/v5/asset/', '/v5/user/', '/v5/execution/'];
const ALWAYS_UP = ['/v5/system/status', '/v5/market/time'];

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts a local HTTP server that answers like Bybit's v5 REST API for the endpoints ccxt's
 * `bybit` class uses on spot (instruments, tickers, kline, orderbook, wallet balance,
 * create/cancel/query orders, order history, system status, server time). Private calls
 * must carry a valid HMAC-SHA256 signature made with the test key. Faults are injected on
 * demand (see {@link FaultRule}).
 */
export async function start(options: BybitServerOptions = {}): Promise<BybitServer> {
  const clock = options.clock ?? { now: () => Date.now() };
  const apiKey = options.apiKey ?? 'test-api-key';
  const apiSecret = options.apiSecret ?? 'test-api-secret';
  const candles = new Map<string, readonly Candle[]>(Object.entries(options.candles ?? {}));
  const state = new BybitState(
    options.markets ?? DEFAULT_SPOT_INSTRUMENTS,
    candles,
    options.candleIntervalMs ?? 60_000,
    options.balances ?? {},
    clock,
    options.feeRate ?? 0.001,
  );
  state.uniqueClientIds = options.enforceUniqueClientIds ?? true;
  const requests: RecordedRequest[] = [];
  const held = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const rand = mulberry32(options.seed ?? 1);
  let rules: Array<{ rule: FaultRule; left: number }> = [];
  let active = 0;

  const setFault = (faults: FaultSpec): void => {
    rules = (faults.rules ?? []).map((rule) => ({ rule, left: rule.count ?? Number.POSITIVE_INFINITY }));
    state.visibilityDelayMs = faults.orderVisibilityDelayMs ?? 0;
  };
  setFault(options.faults ?? {});

  const matches = (rule: FaultRule, path: string): boolean => !rule.paths || rule.paths.some((p) => path.startsWith(p));
  const inMaintenance = (): boolean => rules.some((r) => r.rule.kind === 'maintenance' && r.left > 0);

  const pickFault = (path: string): FaultRule | undefined => {
    for (const r of rules) {
      if (r.left <= 0 || !matches(r.rule, path)) continue;
      if (r.rule.kind === 'maintenance') {
        if (ALWAYS_UP.includes(path)) continue;
        return r.rule;
      }
      if (rand() < (r.rule.probability ?? 1)) {
        r.left -= 1;
        return r.rule;
      }
    }
    return undefined;
  };

  const verify = (req: IncomingMessage, payload: string): void => {
    const key = req.headers['x-bapi-api-key'];
    const ts = req.headers['x-bapi-timestamp'];
    const recv = req.headers['x-bapi-recv-window'];
    const sign = req.headers['x-bapi-sign'];
    if (key !== apiKey) throw new BybitApiError(10003, 'API key is invalid.');
    if (typeof ts !== 'string' || typeof recv !== 'string' || typeof sign !== 'string') throw new BybitApiError(10004, 'error sign! missing headers');
    const expected = createHmac('sha256', apiSecret).update(ts + key + recv + payload).digest('hex');
    if (expected !== sign) throw new BybitApiError(10004, 'error sign!');
  };

  const route = (method: string, path: string, q: URLSearchParams, body: Record<string, unknown>): unknown => {
    const now = clock.now();
    const p = (k: string): string | undefined => {
      const v = method === 'POST' ? body[k] : q.get(k);
      return v === undefined || v === null || v === '' ? undefined : String(v);
    };
    state.sync();
    switch (`${method} ${path}`) {
      case 'GET /v5/market/time':
        return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
      case 'GET /v5/system/status':
        return inMaintenance()
          ? { list: [{ id: 'm1', title: 'maintenance', state: 'ongoing', begin: String(now), end: String(now + 3_600_000), href: '', serviceTypes: [1], product: [1], uidSuffix: [], maintainType: 1, env: 1 }] }
          : { list: [] };
      case 'GET /v5/market/instruments-info':
        return { category: p('category') ?? 'spot', list: p('category') === 'spot' ? [...state.instruments.values()] : [], nextPageCursor: '' };
      case 'GET /v5/asset/coin/query-info':
        return { rows: [] };
      case 'GET /v5/user/query-api':
        return { id: '1', apiKey, readOnly: 0, unified: 0, uta: 1, permissions: { Spot: ['SpotTrade'] } };
      case 'GET /v5/account/info':
        return { marginMode: 'REGULAR_MARGIN', unifiedMarginStatus: 6 };
      case 'GET /v5/market/tickers': {
        const symbol = p('symbol');
        const list = (symbol ? [state.instrument(symbol)] : [...state.instruments.values()]).flatMap((inst) => {
          const last = state.price(inst.symbol);
          if (last === undefined) return [];
          const tick = Number(inst.priceFilter.tickSize);
          const day = state.klines(inst.symbol, state.candleIntervalMs, now - 86_400_000, now);
          const vol = day.reduce((s, c) => s + c.volume, 0);
          const first = day[0]?.open ?? last;
          return [{
            symbol: inst.symbol, lastPrice: num(last), bid1Price: num(last), bid1Size: '1', ask1Price: num(last + tick), ask1Size: '1',
            prevPrice24h: num(first), price24hPcnt: num(first > 0 ? last / first - 1 : 0),
            highPrice24h: num(Math.max(last, ...day.map((c) => c.high))), lowPrice24h: num(Math.min(last, ...day.map((c) => c.low))),
            turnover24h: num(day.reduce((s, c) => s + c.volume * c.close, 0)), volume24h: num(vol),
          }];
        });
        return { category: 'spot', list };
      }
      case 'GET /v5/market/kline': {
        const inst = state.instrument(p('symbol'));
        const ms = intervalMs(p('interval'));
        if (ms === undefined) throw new BybitApiError(10001, 'params error: interval invalid');
        const limit = Math.min(1000, Number(p('limit') ?? 200));
        const start = p('start') === undefined ? undefined : Number(p('start'));
        const end = p('end') === undefined ? undefined : Number(p('end'));
        // Bybit answers the LATEST `limit` candles within [start, end], newest first.
        const rows = state.klines(inst.symbol, ms, start, end).reverse().slice(0, limit).map(klineRow);
        return { category: 'spot', symbol: inst.symbol, list: rows };
      }
      case 'GET /v5/market/orderbook': {
        const inst = state.instrument(p('symbol'));
        const last = state.price(inst.symbol);
        const depth = Math.min(200, Number(p('limit') ?? 50));
        const tick = Number(inst.priceFilter.tickSize);
        const level = (price: number, i: number): string[] => [num(price), num(1 + i)];
        const b = last === undefined ? [] : Array.from({ length: depth }, (_, i) => level(last - i * tick, i));
        const a = last === undefined ? [] : Array.from({ length: depth }, (_, i) => level(last + (i + 1) * tick, i));
        return { s: inst.symbol, b, a, ts: now, u: 1, seq: 1, cts: now };
      }
      case 'GET /v5/account/wallet-balance': {
        const coin = [...state.wallet.entries()].map(([c, w]) => ({
          coin: c, walletBalance: num(w.total), locked: num(w.locked), equity: num(w.total), usdValue: '0', borrowAmount: '0', accruedInterest: '0', totalOrderIM: '0', totalPositionIM: '0',
        }));
        return { list: [{ accountType: 'UNIFIED', coin }] };
      }
      case 'POST /v5/order/create': {
        const o = state.createOrder({
          symbol: p('symbol') ?? '', side: p('side') ?? '', orderType: p('orderType') ?? '', qty: p('qty') ?? '',
          price: p('price'), orderLinkId: p('orderLinkId'), timeInForce: p('timeInForce'), marketUnit: p('marketUnit'),
        });
        return { orderId: o.orderId, orderLinkId: o.orderLinkId };
      }
      case 'POST /v5/order/cancel': {
        const o = state.cancelOrder(p('symbol') ?? '', p('orderId'), p('orderLinkId'));
        return { orderId: o.orderId, orderLinkId: o.orderLinkId };
      }
      case 'GET /v5/order/realtime':
      case 'GET /v5/order/history': {
        const symbol = p('symbol');
        const id = p('orderId');
        const link = p('orderLinkId');
        let list = state.visibleOrders().filter((o) => symbol === undefined || o.symbol === symbol);
        if (id !== undefined || link !== undefined) list = list.filter((o) => (id === undefined || o.orderId === id) && (link === undefined || o.orderLinkId === link));
        else if (path === '/v5/order/realtime') list = list.filter((o) => o.status === 'New' || o.status === 'PartiallyFilled');
        else list = list.filter((o) => o.status !== 'New' && o.status !== 'PartiallyFilled');
        const status = p('orderStatus');
        if (status !== undefined) list = list.filter((o) => o.status === status);
        const startTime = p('startTime');
        if (startTime !== undefined) list = list.filter((o) => o.createdTime >= Number(startTime));
        list.sort((x, y) => y.createdTime - x.createdTime);
        return { category: 'spot', list: list.slice(0, Math.min(50, Number(p('limit') ?? 20))).map(orderJson), nextPageCursor: '' };
      }
      case 'GET /v5/execution/list': {
        // Orders fill in one execution each here, so an execution mirrors its filled order.
        const symbol = p('symbol');
        const list = state
          .visibleOrders()
          .filter((o) => o.cumExecQty > 0 && (symbol === undefined || o.symbol === symbol) && (p('orderId') === undefined || o.orderId === p('orderId')))
          .sort((x, y) => y.updatedTime - x.updatedTime)
          .slice(0, Math.min(100, Number(p('limit') ?? 50)))
          .map((o) => ({
            symbol: o.symbol, orderId: o.orderId, orderLinkId: o.orderLinkId, side: o.side, orderType: o.orderType, orderPrice: num(o.price), orderQty: num(o.qty),
            execId: `e${o.orderId}`, execPrice: num(o.cumExecValue / o.cumExecQty), execQty: num(o.cumExecQty), execValue: num(o.cumExecValue),
            execFee: num(o.cumExecFee), feeCurrency: o.feeCoin, execType: 'Trade', isMaker: o.orderType === 'Limit', execTime: String(o.updatedTime),
          }));
        return { category: 'spot', list, nextPageCursor: '' };
      }
      default:
        throw new BybitApiError(10001, `unknown endpoint ${method} ${path}`);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const rawQuery = (req.url ?? '').split('?')[1] ?? '';
    const bodyText = await readBody(req);
    const record = (outcome: string): void => {
      requests.push({ time: clock.now(), method, path, outcome });
    };
    const send = (status: number, text: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
      res.end(text);
    };
    const hold = (): void => {
      held.add(res);
      res.on('close', () => held.delete(res));
    };
    const fault = pickFault(path);
    if (fault) {
      record(fault.kind);
      switch (fault.kind) {
        case 'http429':
          return send(429, envelope({}, clock.now(), 10006, 'Too many visits!'), { 'Retry-After': String(fault.retryAfterSec ?? 1) });
        case 'http5xx':
          return send(fault.status ?? 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'Content-Type': 'text/html' });
        case 'maintenance':
          return send(503, '<html><body>Service Unavailable: system maintenance</body></html>', { 'Content-Type': 'text/html' });
        case 'hang':
          return hold();
        case 'malformed':
          return send(200, '{"retCode":0,"retMsg":"OK","result":{"li');
        case 'acceptThenHang':
          break;
      }
    }
    try {
      let body: Record<string, unknown> = {};
      if (PRIVATE_PREFIXES.some((pre) => path.startsWith(pre))) verify(req, method === 'POST' ? bodyText : rawQuery);
      if (method === 'POST' && bodyText) body = JSON.parse(bodyText) as Record<string, unknown>;
      const result = route(method, path, url.searchParams, body);
      if (fault?.kind === 'acceptThenHang') return hold();
      record('ok');
      send(200, envelope(result, clock.now()));
    } catch (e) {
      if (fault?.kind === 'acceptThenHang') return hold();
      const err = e instanceof BybitApiError ? e : new BybitApiError(10016, `System error: ${(e as Error).message}`);
      record(`error:${err.retCode}`);
      send(200, envelope({}, clock.now(), err.retCode, err.retMsg));
    }
  };

  const server = createServer((req, res) => {
    active += 1;
    res.on('close', () => {
      active -= 1;
    });
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    setFault,
    inFlight: () => active,
    stop: async () => {
      for (const res of held) res.destroy();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
