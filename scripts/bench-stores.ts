/**
 * `pnpm bench stores`: write and read throughput of the memory, file and Redis trade
 * stores, next to `redis-benchmark -t set -n 100000 -q` run in the same process run, and
 * the Redis store's share of that raw SET rate.
 *
 * Writes are single `saveTrade` calls with many in flight (the Redis store's automatic
 * pipelining and the file store's group commit batch them); reads are `getOrder` by
 * client order id. Each figure is the median of 3 runs after a warm-up.
 * Env: KAIROS_BENCH_REDIS_URL (default redis://127.0.0.1:6379).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { MemoryTradeStore } from '../packages/core/src/index';
import type { StoredOrder, Trade, TradeStore } from '../packages/core/src/index';
import { FileTradeStore, RedisTradeStore } from '../packages/store/src/index';

interface BenchResult {
  readonly subject: string;
  readonly case: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
}

const WRITES = 20_000;
const READS = 20_000;
const IN_FLIGHT = 256;
const RUNS = 3;

function trade(i: number, tag: string): Trade {
  return { id: `${tag}-${i}`, userId: `u${i % 16}`, symbol: 'BTC/USDT', side: 'long', strategyId: 's', entryTime: i, entryPrice: 100, exitTime: i + 1, exitPrice: 101, amount: 0.5, pnl: 0.4, pnlPct: 0.8, fees: 0.1 };
}

function order(i: number): StoredOrder {
  return { id: `x${i}`, clientOrderId: `c${i}`, userId: `u${i % 16}`, strategyId: 's', symbol: 'BTC/USDT', side: 'buy', type: 'market', purpose: 'entry', status: 'filled', amount: 1, filled: 1, average: 100, fees: [{ currency: 'USDT', cost: 0.1 }], createdAt: i, updatedAt: i };
}

/** Runs `n` calls with at most `inFlight` outstanding; returns calls per second. */
async function throughput(n: number, inFlight: number, call: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < n) {
        const i = next++;
        await call(i);
      }
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function measure(store: TradeStore, tag: string): Promise<{ writes: number; reads: number }> {
  await throughput(2_000, IN_FLIGHT, (i) => store.saveTrade(trade(i, `${tag}-warm`)));
  await throughput(1_000, IN_FLIGHT, (i) => store.saveOrder(order(i)));
  const writes: number[] = [];
  const reads: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    writes.push(await throughput(WRITES, IN_FLIGHT, (i) => store.saveTrade(trade(i, `${tag}-${r}`))));
    reads.push(await throughput(READS, IN_FLIGHT, (i) => store.getOrder(`c${i % 1_000}`)));
  }
  return { writes: median(writes), reads: median(reads) };
}

async function redisBenchmarkSet(url: string): Promise<number> {
  const u = new URL(url);
  const args = ['-h', u.hostname, '-p', u.port || '6379', '-t', 'set', '-n', '100000', '-q'];
  if (u.password) args.push('-a', decodeURIComponent(u.password));
  const { stdout } = await promisify(execFile)('redis-benchmark', args, { timeout: 120_000 });
  // "SET: 98231.83 requests per second, p50=0.263 msec"
  const m = /SET:\s*([\d.]+)\s+requests per second/.exec(stdout.replace(/\r/g, '\n'));
  if (!m) throw new Error(`cannot read redis-benchmark output: ${stdout.slice(-200)}`);
  return Number(m[1]);
}

/** Entry point for the `pnpm bench` dispatcher. */
export async function run(opts: { json: boolean }): Promise<void> {
  const url = process.env.KAIROS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const results: BenchResult[] = [];
  const add = (subject: string, c: string, value: number): void => {
    results.push({ subject, case: c, metric: 'throughput', value: Math.round(value), unit: 'ops/s' });
  };

  const mem = await measure(new MemoryTradeStore(), 'mem');
  add('kairos-memory-store', 'saveTrade', mem.writes);
  add('kairos-memory-store', 'getOrder', mem.reads);

  const dir = await mkdtemp(join(tmpdir(), 'kairos-bench-file-'));
  try {
    const file = await FileTradeStore.open({ dir });
    const f = await measure(file, 'file');
    await file.close();
    add('kairos-file-store (fsync)', 'saveTrade', f.writes);
    add('kairos-file-store (fsync)', 'getOrder', f.reads);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const redis = await RedisTradeStore.connect({ url, deployment: `bench-${randomBytes(4).toString('hex')}` });
  let r: { writes: number; reads: number };
  try {
    r = await measure(redis, 'redis');
  } finally {
    await redis.clear();
    await redis.close();
  }
  add('kairos-redis-store', 'saveTrade', r.writes);
  add('kairos-redis-store', 'getOrder', r.reads);
  const raw = await redisBenchmarkSet(url);
  add('redis-benchmark', 'SET (50 clients, -n 100000)', raw);
  results.push({ subject: 'kairos-redis-store', case: 'saveTrade / raw SET', metric: 'ratio', value: Number((r.writes / raw).toFixed(3)), unit: 'x' });

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ bench: 'stores', node: process.version, cpus: cpus().length, results })}\n`);
    return;
  }
  const rows = results.map((x) => [x.subject, x.case, x.metric === 'ratio' ? x.value.toFixed(3) : x.value.toLocaleString('en-US'), x.unit]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => (row[c] as string).length), ['subject', 'case', 'value', 'unit'][c]?.length ?? 0));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 2 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  process.stdout.write(`${line(['subject', 'case', 'value', 'unit'])}\n`);
  for (const row of rows) process.stdout.write(`${line(row as string[])}\n`);
  process.stdout.write(`\nredis store saveTrade keeps ${((r.writes / raw) * 100).toFixed(0)}% of the raw SET rate (target >= 50%)\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await run({ json: process.argv.includes('--json') });
}
