import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StepCounter } from '@kairos/core';
import { parseSimulatedVenueState } from '@kairos/exchange';
import { RedisTradeStore } from '@kairos/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot, sleep } from './kairos-bot';
import { OwnRedis } from './own-redis';

// Issue: a Redis outage of 20 s or more killed `kairos start` (exit 1, STORE_ERROR max
// retries), shorter ones paused it silently, and a Redis restarted empty went unnoticed.
// Here a real bot runs against a redis-server of the test's own, which is paused
// (SIGSTOP: unreachable, state kept) or killed and started again empty.

/** Pauses Redis for `ms`; checks the bot went on meanwhile and traded again within 10 s of Redis's return. */
async function outage(bot: Bot, redis: OwnRedis, ms: number): Promise<void> {
  const began = Date.now();
  redis.pause();
  await bot.waitFor('err', /trade store unavailable/, began, 10_000);
  await sleep(Math.max(0, began + ms - Date.now()));
  const candlesDuring = bot.candlesAt(Date.now()) - bot.candlesAt(began + 3_000);
  redis.resume();
  const back = Date.now();
  expect(bot.running, 'the bot is still running at the end of the outage').toBe(true);
  expect(candlesDuring, 'candles kept coming during the outage').toBeGreaterThan(0);
  const line = await bot.waitFor('err', /trade store back after/, back, 10_000);
  const entry = await bot.waitFor('out', /^\[order\] BUY .*\(entry\)/, back, 10_000);
  expect(entry.at - back, 'a new entry within 10 s of the store being back').toBeLessThan(10_000);
  expect(Number(/back after ([\d.]+) s/.exec(line.text)?.[1]), 'the log says how long it was away').toBeGreaterThanOrEqual((ms - 100) / 1000);
}

describe('kairos start through Redis outages (a redis-server of its own)', () => {
  let redis: OwnRedis;
  let bot: Bot;
  let journal = '';
  const session = 'outage-run';

  beforeAll(async () => {
    redis = await OwnRedis.start();
    journal = join(await mkdtemp(join(tmpdir(), 'kairos-outage-')), 'journal');
    // ~180 s of candles at this speed: they keep coming for the whole test.
    bot = new Bot(['--store', redis.url, '--session', session, '--journal', journal, '--speed', '120000', '--summary-every', '1', '--symbols', 'BTC/USDT,ETH/USDT']);
    await bot.waitFor('out', /^\[order\] BUY/, 0, 30_000);
  }, 60_000);

  afterAll(async () => {
    bot?.stop('SIGKILL');
    await redis?.kill();
  });

  it('keeps running through a 5 s outage (seen: paused silently) and says so', async () => {
    await outage(bot, redis, 5_000);
    const summary = await bot.waitFor('out', /^\[summary\].*store away [\d.]+ s \(1 outage\)/, 0, 5_000);
    expect(summary.text).toMatch(/store away [5-9]\.\d s/);
  }, 40_000);

  it('keeps running through a 60 s outage (seen: exit 1 after 20 s) and loses nothing', async () => {
    await outage(bot, redis, 60_000);
    const stopAt = Date.now();
    bot.stop('SIGINT');
    expect(await bot.exited, bot.tail()).toBe(0);
    const away = await bot.waitFor('out', /^\[store\] store away ([\d.]+) s \(2 outages\) in this run/, stopAt, 1_000);
    expect(Number(/away ([\d.]+) s/.exec(away.text)?.[1])).toBeGreaterThanOrEqual(64);
    expect(bot.err.map((l) => l.text).join('\n')).not.toMatch(/STORE_ERROR|max retries|fatal/);
    expect((await stat(join(journal, 'journal.jsonl'))).size, 'the journal was replayed and emptied').toBe(0);

    // Nothing lost: every order placed is stored and resolved, fills match orders, and
    // what the venue holds of each coin is the net of the stored fills.
    const store = await RedisTradeStore.connect({ url: redis.url, deployment: 'default' });
    try {
      const orders = await store.listOrders({ userId: session });
      const fills = await store.listFills(session);
      const placed = bot.out.filter((l) => /^\[order\] (BUY|SELL) /.test(l.text)).length;
      expect(orders.filter((o) => o.status !== 'rejected').length, 'every order placed is in the store').toBe(placed);
      expect(orders.filter((o) => o.status === 'pending_submit' || o.status === 'submitted'), 'no intent left pending').toEqual([]);
      const step = new StepCounter(1e-8);
      for (const o of orders) {
        const sum = fills.filter((f) => f.clientOrderId === o.clientOrderId).reduce((n, f) => n + step.count(f.amount), 0);
        expect(sum, `fills of ${o.clientOrderId}`).toBe(step.count(o.filled));
      }
      const venue = parseSimulatedVenueState((await store.getValue(`sim-venue:${session}`)) as string, session);
      for (const base of ['BTC', 'ETH']) {
        const net = fills.filter((f) => f.symbol.startsWith(`${base}/`)).reduce((n, f) => n + (f.side === 'buy' ? 1 : -1) * step.count(f.amount), 0);
        const held = venue.balances[base];
        expect(net, `${base} position is never negative`).toBeGreaterThanOrEqual(0);
        expect(step.count((held?.free ?? 0) + (held?.used ?? 0)), `${base} held equals the stored fills`).toBe(net);
      }
    } finally {
      await store.close();
    }
  }, 120_000);
});

describe('kairos start against a Redis restarted empty', () => {
  it("halts with 'store state lost' and a non-zero exit instead of writing on top (seen: carried on)", async () => {
    const redis = await OwnRedis.start();
    const journal = join(await mkdtemp(join(tmpdir(), 'kairos-lost-')), 'journal');
    const bot = new Bot(['--store', redis.url, '--session', 'lost-run', '--journal', journal, '--speed', '120000', '--summary-every', '1']);
    try {
      await bot.waitFor('out', /^\[order\] BUY/, 0, 30_000);
      await redis.kill();
      await redis.start();
      let limit: NodeJS.Timeout | undefined;
      const code = await Promise.race([bot.exited, new Promise<'running'>((r) => (limit = setTimeout(() => r('running'), 20_000)))]);
      clearTimeout(limit);
      expect(code, `still running 20 s after the restart\n${bot.tail()}`).not.toBe('running');
      expect(code).not.toBe(0);
      const err = bot.err.map((l) => l.text).join('\n');
      expect(err).toMatch(/error \[STORE_STATE_LOST\] store state lost: .*epoch marker/);
      expect(redis.cli('exists', 'kairos:default:kv:kairos:store-epoch'), 'no new epoch written on the empty store').toBe('0');
      expect(redis.cli('exists', 'kairos:default:u:lost-run:orders'), 'no order index rebuilt on the empty store').toBe('0');
      expect(JSON.parse(await readFile(join(journal, 'epoch.json'), 'utf8')).epoch, 'the epoch it knew is kept').toMatch(/^[0-9a-f]{16}$/);
    } finally {
      bot.stop('SIGKILL');
      await redis.kill();
    }
  }, 60_000);
});
