import { Agent, request } from 'node:http';
import type { Balances, ErrorCode, Market, Order, OrderIntent } from '@kairos/core';
import { KairosError } from '@kairos/core';

/** One keep-alive connection pool for every user's client (the runner makes hundreds of calls per life). */
const agent = new Agent({ keepAlive: true, maxSockets: 16 });

function post(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve(data));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The runner's side of `VenueServer`: one user's exchange, over HTTP. */
export class VenueClient {
  constructor(
    private readonly url: string,
    private readonly user: string,
  ) {}

  private async call<T>(method: string, ...args: unknown[]): Promise<T> {
    const out = JSON.parse(await post(this.url, JSON.stringify({ user: this.user, method, args }))) as { result?: T; error?: { code: ErrorCode; message: string; retryable: boolean } };
    if (out.error) throw new KairosError(out.error.code, out.error.message, { retryable: out.error.retryable });
    return (out.result ?? undefined) as T;
  }

  loadMarkets(): Promise<Record<string, Market>> {
    return this.call('loadMarkets');
  }
  fetchBalance(): Promise<Balances> {
    return this.call('fetchBalance');
  }
  fetchOrder(symbol: string, id: string): Promise<Order> {
    return this.call('fetchOrder', symbol, id);
  }
  fetchOrderByClientId(symbol: string, cid: string): Promise<Order | undefined> {
    return this.call('fetchOrderByClientId', symbol, cid);
  }
  fetchOpenOrders(symbol?: string): Promise<Order[]> {
    return this.call('fetchOpenOrders', symbol);
  }
  createOrder(intent: OrderIntent): Promise<Order> {
    return this.call('createOrder', intent);
  }
  step(): Promise<{ index: number; time: number; closes: Record<string, number> }> {
    return this.call('step');
  }
  stepIndex(): Promise<number> {
    return this.call('stepIndex');
  }
}
