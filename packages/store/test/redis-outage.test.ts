import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RetryingTradeStore, TradingGate } from '@kairos/core';
import { makeFill, makeStoredOrder } from '@kairos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTradeStore } from '../src/redis/redis-trade-store';

/** A private redis-server on a free port, with AOF fsync always, that this test may stop. */
class OwnRedis {
  private proc: ChildProcess | undefined;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
  }

  async start(): Promise<void> {
    this.proc = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server on port ${this.port} did not start`);
  }

  /** SIGKILL: the server dies as in a crash; AOF with fsync always keeps acknowledged writes. */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGKILL');
    });
  }

  private answers(): Promise<boolean> {
    return new Promise((resolve) => {
      const c = spawn('redis-cli', ['-p', String(this.port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d.toString()));
      c.on('exit', () => resolve(out.trim() === 'PONG'));
    });
  }
}

describe('Redis lost mid-run', () => {
  let dir = '';
  let redis: OwnRedis;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kairos-own-redis-'));
    redis = new OwnRedis(await OwnRedis.freePort(), dir);
    await redis.start();
  });
  afterAll(async () => {
    await redis.kill();
    await rm(dir, { recursive: true, force: true });
  });

  it('retries writes with backoff, blocks new entries until Redis is back, and loses nothing acknowledged', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    const inner = await RedisTradeStore.connect({ url, deployment: 'outage' });
    const gate = new TradingGate({});
    const health: boolean[] = [];
    const store = new RetryingTradeStore(inner, {
      baseDelayMs: 20,
      maxDelayMs: 200,
      onHealthChange: (ok) => {
        health.push(ok);
        if (ok) gate.unblock('store');
        else gate.block('store', 'trade store unavailable');
      },
    });
    try {
      for (let i = 0; i < 50; i++) {
        await store.saveOrder(makeStoredOrder({ clientOrderId: `a${i}`, createdAt: i }));
        expect(await store.saveFill('u1', makeFill({ id: `a${i}@1`, clientOrderId: `a${i}` }))).toBe(true);
      }
      expect(gate.allows('entry')).toBe(true);

      await redis.kill();
      // Writes issued while Redis is down wait (retrying) instead of failing or vanishing.
      const during = Promise.all([
        store.saveOrder(makeStoredOrder({ clientOrderId: 'during', status: 'pending_submit', id: '' })),
        store.saveFill('u1', makeFill({ id: 'during@1', clientOrderId: 'during' })),
      ]);
      let settled = false;
      void during.then(() => (settled = true));
      for (let i = 0; i < 100 && gate.entriesAllowed; i++) await new Promise((r) => setTimeout(r, 50));
      expect(gate.allows('entry'), 'no new entry while the store is down').toBe(false);
      expect(gate.allows('exit'), 'exits are still allowed').toBe(true);
      expect(store.isHealthy).toBe(false);
      await new Promise((r) => setTimeout(r, 300));
      expect(settled, 'a write is not acknowledged while Redis is down').toBe(false);

      await redis.start();
      const [, stored] = await during;
      expect(stored, 'the fill written during the outage is stored once').toBe(true);
      expect(gate.allows('entry'), 'entries resume once writes succeed').toBe(true);
      expect(health).toEqual([false, true]);

      const check = await RedisTradeStore.connect({ url, deployment: 'outage' });
      try {
        expect((await check.listOrders({ userId: 'u1' })).length, 'every acknowledged order survived').toBe(51);
        expect((await check.listFills('u1')).length, 'every acknowledged fill survived').toBe(51);
        expect((await check.getOrder('during'))?.status).toBe('pending_submit');
      } finally {
        await check.close();
      }
    } finally {
      await store.close();
    }
  }, 30_000);

  it('fails at start with an error naming the URL when the server is down', async () => {
    const port = await OwnRedis.freePort();
    await expect(RedisTradeStore.connect({ url: `redis://127.0.0.1:${port}/0`, deployment: 'x', connectTimeoutMs: 500 })).rejects.toThrow(
      new RegExp(`cannot reach Redis at redis://127\\.0\\.0\\.1:${port}/0`),
    );
  });
});
