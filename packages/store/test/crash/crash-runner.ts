/**
 * The runner of the crash test, run as a child process:
 *   node --conditions=source --import tsx crash-runner.ts
 * A small paper session for several users against the `VenueServer`: reconcile, then
 * per venue step poll tracked orders (store order, then fill) and place seeded orders
 * (store the intent, send, store the ack). `KAIROS_CRASH_POINT=<name>:<n>` makes it
 * SIGKILL itself the n-th time it reaches that point, e.g. between storing an intent
 * and sending it (`after-intent`) or between sending and storing the ack (`after-send`).
 */
import type { ExecutionSoFar, Fill, Order, OrderIntent, StoredOrder, TradeStore } from '@kairos/core';
import { KairosError, Reconciler, executionOf, deriveFill, floorToStep, isTerminalStatus, makeClientOrderId, netBaseAmount } from '@kairos/core';
import { FileTradeStore } from '../../src/file/file-trade-store';
import { RedisTradeStore } from '../../src/redis/redis-trade-store';
import { VenueClient } from './venue-client';

const env = (k: string): string => {
  const v = process.env[k];
  if (v === undefined) throw new Error(`missing env ${k}`);
  return v;
};

const [crashName, crashNth] = (process.env.KAIROS_CRASH_POINT ?? ':0').split(':') as [string, string];
let crashHits = 0;
/** The test hook: dies here, without any cleanup, the n-th time this point is reached. */
function crashPoint(name: string): void {
  if (name !== crashName) return;
  crashHits += 1;
  if (crashHits === Number(crashNth)) process.kill(process.pid, 'SIGKILL');
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

interface Tracked {
  order: StoredOrder;
  prev: ExecutionSoFar;
}

async function openStore(): Promise<TradeStore> {
  if (env('KAIROS_STORE') === 'file') return FileTradeStore.open({ dir: env('KAIROS_STORE_DIR') });
  return RedisTradeStore.connect({ url: env('KAIROS_REDIS_URL'), deployment: env('KAIROS_REDIS_DEPLOYMENT') });
}

async function main(): Promise<void> {
  const started = performance.now();
  const url = env('KAIROS_VENUE_URL');
  const users = Array.from({ length: Number(env('KAIROS_USERS')) }, (_, i) => `user${i}`);
  const lastStep = Number(env('KAIROS_STEPS'));
  const seed = Number(env('KAIROS_SEED'));
  const store = await openStore();
  const clients = new Map(users.map((u) => [u, new VenueClient(url, u)]));
  const markets = await (clients.get(users[0] as string) as VenueClient).loadMarkets();
  const tracked = new Map<string, Map<string, Tracked>>();

  // No new order before every user's reconciliation has passed.
  await Promise.all(
    users.map(async (u) => {
      const report = await new Reconciler({ exchange: clients.get(u) as VenueClient, store, userId: u }).reconcile();
      if (!report.passed) {
        process.stdout.write(`${JSON.stringify({ event: 'reconcile-failed', user: u, report })}\n`);
        process.exit(3);
      }
      const fills = await store.listFills(u);
      const mine = new Map<string, Tracked>();
      for (const o of report.openOrders) {
        if (o.id === '') continue;
        // Resume from what the store already holds, so the next fill is only the new part.
        mine.set(o.clientOrderId, { order: o, prev: executionOf(fills.filter((f) => f.clientOrderId === o.clientOrderId)) });
      }
      tracked.set(u, mine);
    }),
  );
  if (process.env.KAIROS_CRASH_DEBUG) {
    const cpu = process.cpuUsage();
    process.stderr.write(`ready after ${(performance.now() - started).toFixed(0)} ms (process up ${(process.uptime() * 1000).toFixed(0)} ms, cpu ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, import ${(started).toFixed(0)} ms)\n`);
  }
  process.stdout.write(`${JSON.stringify({ event: 'ready' })}\n`);
  crashPoint('after-reconcile');

  const client0 = clients.get(users[0] as string) as VenueClient;
  while ((await client0.stepIndex()) < lastStep) {
    const step = await client0.step();
    crashPoint('after-step');
    await Promise.all(users.map((u) => runUser(u, step)));
  }
  await store.close?.();
  process.stdout.write(`${JSON.stringify({ event: 'done' })}\n`);

  async function runUser(u: string, step: { index: number; time: number; closes: Record<string, number> }): Promise<void> {
    const client = clients.get(u) as VenueClient;
    const mine = tracked.get(u) as Map<string, Tracked>;
    for (const [cid, t] of mine) {
      const view = await client.fetchOrder(t.order.symbol, t.order.id);
      await store.saveOrder({ ...view, userId: u, strategyId: t.order.strategyId });
      crashPoint('between-order-and-fill');
      const fill: Fill | undefined = deriveFill(t.prev, view);
      if (fill) await store.saveFill(u, fill);
      crashPoint('after-fill');
      t.prev = { filled: view.filled, average: view.average, fees: view.fees };
      if (isTerminalStatus(view.status)) mine.delete(cid);
    }
    const r = rng(seed * 7919 + step.index * 104729 + Number(u.slice(4)) * 1299709);
    if (r() > 0.5) return;
    const symbol = r() < 0.5 ? 'BTC/USDT' : 'ETH/USDT';
    if ([...mine.values()].some((t) => t.order.symbol === symbol)) return;
    const market = markets[symbol];
    const price = step.closes[symbol];
    if (!market || price === undefined) return;
    const held = floorToStep(netBaseAmount(await store.listFills(u), market.base), market.amountStep);
    const sell = held * price > market.minNotional * 1.1 && r() < 0.5;
    const purpose = sell ? 'exit' : 'entry';
    const amount = sell ? held : floorToStep((40 + r() * 160) / price, market.amountStep);
    const cid = makeClientOrderId(u, symbol, step.time, purpose);
    // A decision already recorded (before a crash) is never made twice.
    if (await store.getOrder(cid)) return;
    const limit = r() < 0.3;
    const intent: OrderIntent = limit
      ? { type: 'limit', symbol, side: sell ? 'sell' : 'buy', amount, price: Number((price * (sell ? 1.002 : 0.998)).toFixed(2)), purpose, clientOrderId: cid }
      : { type: 'market', symbol, side: sell ? 'sell' : 'buy', amount, purpose, clientOrderId: cid };
    const pending: StoredOrder = {
      id: '', clientOrderId: cid, userId: u, strategyId: 'crash', symbol, side: intent.side, type: intent.type, purpose,
      ...(intent.type === 'limit' ? { price: intent.price } : {}),
      status: 'pending_submit', amount, filled: 0, average: 0, fees: [], createdAt: step.time, updatedAt: step.time,
    };
    await store.saveOrder(pending);
    crashPoint('after-intent');
    let ack: Order;
    try {
      ack = await client.createOrder(intent);
    } catch (err) {
      const e = err instanceof KairosError ? err : new KairosError('INTERNAL', String(err));
      await store.saveOrder({ ...pending, status: 'rejected', rejectReason: e.message });
      return;
    }
    crashPoint('after-send');
    await store.saveOrder({ ...ack, userId: u, strategyId: 'crash' });
    crashPoint('after-ack');
    mine.set(cid, { order: { ...ack, userId: u, strategyId: 'crash' }, prev: { filled: 0, average: 0, fees: [] } });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`crash-runner failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(2);
});
