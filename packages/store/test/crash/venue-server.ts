import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Candle, Market, Order } from '@kairos/core';
import { KairosError } from '@kairos/core';
import { SimulatedExchange } from '@kairos/exchange';

/**
 * The exchange of the crash test: one `SimulatedExchange` per user, served over HTTP
 * from the test process, so its state outlives every SIGKILL of the runner (the
 * runner talks to it like a bot talks to a remote venue). It also records every order
 * it created, which is what the invariants check the store against.
 */
export class VenueServer {
  private readonly venues = new Map<string, SimulatedExchange>();
  /** user → every order the venue created, by order id. */
  readonly created = new Map<string, Map<string, Order>>();
  private index = 0;
  private server: Server | undefined;
  readonly markets: Market[];

  constructor(
    private readonly candles: Readonly<Record<string, readonly Candle[]>>,
    users: readonly string[],
  ) {
    this.markets = [
      { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', active: true, amountStep: 0.00001, priceStep: 0.01, minAmount: 0.00001, minNotional: 5, makerFee: 0.001, takerFee: 0.001 },
      { symbol: 'ETH/USDT', base: 'ETH', quote: 'USDT', active: true, amountStep: 0.0001, priceStep: 0.01, minAmount: 0.0001, minNotional: 5, makerFee: 0.001, takerFee: 0.001 },
    ];
    for (const u of users) {
      this.venues.set(u, new SimulatedExchange({ markets: this.markets, balances: { USDT: 10_000 }, volumeParticipation: 0.000005 }));
      this.created.set(u, new Map());
    }
    this.step();
  }

  /** Loads the bundled 1h candles of BTC and ETH. */
  static loadCandles(dataDir: string, count: number): Record<string, Candle[]> {
    const out: Record<string, Candle[]> = {};
    for (const [symbol, file] of [['BTC/USDT', 'BTC_USDT-1h.csv'], ['ETH/USDT', 'ETH_USDT-1h.csv']] as const) {
      const lines = readFileSync(`${dataDir}/${file}`, 'utf8').trim().split('\n').slice(1, count + 1);
      out[symbol] = lines.map((l) => {
        const [time, open, high, low, close, volume] = l.split(',').map(Number) as [number, number, number, number, number, number];
        return { time, open, high, low, close, volume };
      });
    }
    return out;
  }

  get stepIndex(): number {
    return this.index;
  }

  venue(user: string): SimulatedExchange {
    const v = this.venues.get(user);
    if (!v) throw new KairosError('DATA_NOT_FOUND', `no venue for user ${user}`);
    return v;
  }

  /** Feeds the next candle of every symbol to every user's venue (matching runs). */
  step(): { index: number; time: number; closes: Record<string, number> } {
    const closes: Record<string, number> = {};
    let time = 0;
    for (const [symbol, cs] of Object.entries(this.candles)) {
      const c = cs[this.index];
      if (!c) continue;
      for (const v of this.venues.values()) v.processCandle(symbol, c, 3_600_000);
      closes[symbol] = c.close;
      time = c.time + 3_600_000;
    }
    this.index += 1;
    return { index: this.index, time, closes };
  }

  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        void this.handle(body).then((out) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(out));
        });
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }

  private async handle(body: string): Promise<unknown> {
    try {
      const { user, method, args } = JSON.parse(body) as { user: string; method: string; args: unknown[] };
      if (method === 'step') return { result: this.step() };
      if (method === 'stepIndex') return { result: this.index };
      const v = this.venue(user) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
      const allowed = ['loadMarkets', 'fetchBalance', 'fetchOrder', 'fetchOrderByClientId', 'fetchOpenOrders', 'createOrder', 'cancelOrder'];
      if (!allowed.includes(method)) throw new KairosError('INTERNAL', `unknown method ${method}`);
      const result = await (v[method] as (...a: unknown[]) => Promise<unknown>).apply(v, args);
      if (method === 'createOrder') {
        const o = result as Order;
        this.created.get(user)?.set(o.id, o);
      }
      return { result: result ?? null };
    } catch (err) {
      const e = err instanceof KairosError ? err : new KairosError('INTERNAL', String(err));
      return { error: { code: e.code, message: e.message, retryable: e.retryable } };
    }
  }
}
