import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { StepCounter, type TradeStore, isTerminalStatus } from '@kairos/core';
import { parseSimulatedVenueState } from '@kairos/exchange';
import { expect } from 'vitest';

// Issue 16's acceptance, through `kairos start` itself: a paper session SIGKILLed 20 times
// at seeded random moments and restarted under the same session id each time. The file
// and Redis runs are two test files so that they run side by side.

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const REDIS = process.env.KAIROS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const KILLS = 20;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0;
    return s / 2 ** 32;
  };
}

/** One life of the bot: killed `killAfterMs` after its banner, or (undefined) run to the end of the data. */
async function life(args: string[], killAfterMs: number | undefined): Promise<{ out: string; err: string; code: number | null }> {
  const env = { ...process.env };
  delete env.REDIS_URL;
  const child: ChildProcess = spawn(`${root}kairos`, ['start', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  if (killAfterMs !== undefined) {
    const deadline = Date.now() + 20_000;
    while (!/\[store\]/.test(out) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, killAfterMs));
    child.kill('SIGKILL');
  }
  const code = await exited;
  return { out, err, code };
}

export async function checkSession(store: TradeStore, session: string, outputs: string): Promise<{ orders: number; fills: number }> {
  const orders = await store.listOrders({ userId: session });
  const fills = await store.listFills(session);
  const saved = await store.getValue(`sim-venue:${session}`);
  expect(saved, 'the venue was saved').toBeDefined();
  const venue = parseSimulatedVenueState(saved as string, session);

  // 0 duplicates: one order per client order id, on the venue and in the store.
  const venueCids = venue.orders.map((o) => o.order.clientOrderId);
  expect(new Set(venueCids).size, 'a client order id twice on the venue').toBe(venueCids.length);
  const venueIds = new Map(venue.orders.map((o) => [o.order.clientOrderId, o.order.id]));
  for (const o of orders) if (venueIds.has(o.clientOrderId)) expect(o.id, o.clientOrderId).toBe(venueIds.get(o.clientOrderId));
  expect(new Set(fills.map((f) => f.id)).size, 'a fill applied twice').toBe(fills.length);

  // 0 pending: every intent was resolved; what the store calls open, the venue calls open.
  expect(orders.filter((o) => o.status === 'pending_submit' || o.status === 'submitted')).toEqual([]);
  const venueOpen = new Set(venue.orders.filter((o) => !isTerminalStatus(o.order.status)).map((o) => o.order.clientOrderId));
  for (const o of orders.filter((x) => !isTerminalStatus(x.status))) expect(venueOpen.has(o.clientOrderId), `${o.clientOrderId} open in the store only`).toBe(true);

  // No venue rejection (funds, minimums) caused by a restart; intents a kill cut off before
  // they reached the venue are resolved as never sent, which is not a rejection.
  const rejected = orders.filter((o) => o.status === 'rejected' && !/never sent/.test(o.rejectReason ?? ''));
  expect(rejected.map((o) => `${o.clientOrderId} ${o.rejectReason}`)).toEqual([]);
  expect(outputs).not.toMatch(/INSUFFICIENT_FUNDS/);

  // Positions equal fills: what the venue holds of each coin is the net of the stored fills, exactly.
  const step = new StepCounter(1e-8);
  for (const base of ['BTC', 'ETH']) {
    let net = 0;
    for (const f of fills) if (f.symbol.startsWith(`${base}/`)) net += (f.side === 'buy' ? 1 : -1) * step.count(f.amount);
    const held = venue.balances[base];
    expect(step.count((held?.free ?? 0) + (held?.used ?? 0)), `${base} held vs fills`).toBe(net);
  }
  return { orders: orders.length, fills: fills.length };
}

export async function killLoop(storeArgs: string[], session: string, seed: number): Promise<string> {
  const r = rng(seed);
  const args = ['--symbols', 'BTC/USDT,ETH/USDT', '--speed', '360000', '--summary-every', '60', '--session', session, ...storeArgs];
  let outputs = '';
  for (let i = 0; i < KILLS; i++) {
    const res = await life(args, 100 + Math.floor(r() * 900));
    outputs += res.out;
    expect(res.code, `life ${i} ended by itself: ${res.err}`).toBeNull();
  }
  const last = await life(args, undefined);
  outputs += last.out;
  expect(last.code, last.err).toBe(0);
  expect(last.out).toMatch(/\[stop\] feed ended/);
  expect(last.out).toMatch(/resumed session/);
  return outputs;
}

