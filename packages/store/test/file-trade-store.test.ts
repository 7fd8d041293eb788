import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTradeStoreConformance, makeFill, makeStoredOrder } from '@kairos/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTradeStore } from '../src/file/file-trade-store';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'kairos-file-store-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describeTradeStoreConformance('file', async () => {
  const dir = await tempDir();
  let store = await FileTradeStore.open({ dir });
  return {
    get store() {
      return store;
    },
    async reopen() {
      await store.close();
      store = await FileTradeStore.open({ dir });
      return store;
    },
    async dispose() {
      await store.close();
    },
  };
}, { durable: true });

describe('FileTradeStore crash safety', () => {
  it('detects a torn last record, reports it and keeps every earlier record', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir });
    for (let i = 0; i < 20; i++) await s1.saveOrder(makeStoredOrder({ clientOrderId: `c${i}`, createdAt: i }));
    await s1.close();
    const log = join(dir, 'log-0.jsonl');
    const before = (await stat(log)).size;
    // What a crash mid-append leaves: the start of a record and no line end.
    await appendFile(log, '1a2b3c4d{"t":"order","order":{"id":"x');
    const s2 = await FileTradeStore.open({ dir });
    expect(s2.recovery.tornRecord, 'the torn record is reported').toMatchObject({ offset: before, file: log });
    expect((await s2.listOrders()).length, 'every earlier record is there').toBe(20);
    expect((await stat(log)).size, 'the torn bytes are cut off').toBe(before);
    await s2.saveOrder(makeStoredOrder({ clientOrderId: 'after', createdAt: 99 }));
    await s2.close();
    const s3 = await FileTradeStore.open({ dir });
    expect(s3.recovery.tornRecord, 'a clean reopen reports nothing').toBeUndefined();
    expect((await s3.listOrders()).length).toBe(21);
    await s3.close();
  });

  it('treats a complete last line with a bad checksum as torn', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir });
    await s1.saveFill('u1', makeFill());
    await s1.close();
    await appendFile(join(dir, 'log-0.jsonl'), '00000000{"t":"del","key":"k"}\n');
    const s2 = await FileTradeStore.open({ dir });
    expect(s2.recovery.tornRecord?.reason).toMatch(/checksum/);
    expect(await s2.listFills('u1')).toEqual([makeFill()]);
    await s2.close();
  });

  it('refuses to open when a bad record sits before valid ones (corruption, not a crash)', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir });
    await s1.saveOrder(makeStoredOrder({ clientOrderId: 'a' }));
    await s1.saveOrder(makeStoredOrder({ clientOrderId: 'b' }));
    await s1.close();
    const log = join(dir, 'log-0.jsonl');
    const text = await readFile(log, 'utf8');
    await writeFile(log, text.replace('"a"', '"A"'));
    await expect(FileTradeStore.open({ dir })).rejects.toThrow(/corrupt at byte 0/);
    await expect(FileTradeStore.open({ dir }), 'the failed open released its lock').rejects.toThrow(/corrupt/);
  });

  it('lets one writer in and takes over the lock of a dead one', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir });
    await expect(FileTradeStore.open({ dir })).rejects.toThrow(/locked by process/);
    await s1.close();
    // A lock left by a process that no longer exists (pid far above pid_max).
    await writeFile(join(dir, 'LOCK'), JSON.stringify({ pid: 2 ** 30, host: (await import('node:os')).hostname() }));
    const s2 = await FileTradeStore.open({ dir });
    await s2.close();
  });

  it('compacts into a snapshot and a fresh log without losing anything', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir, compactAfterBytes: 4_000 });
    for (let i = 0; i < 60; i++) {
      await s1.saveOrder(makeStoredOrder({ clientOrderId: `c${i % 10}`, status: i < 30 ? 'open' : 'filled', filled: i < 30 ? 0 : 1, createdAt: i % 10 }));
      await s1.setValue(`k${i % 5}`, `v${i}`);
    }
    await s1.setValue('ttl', 'x', 1);
    await s1.compact();
    await s1.saveFill('u1', makeFill());
    const files = (await readdir(dir)).sort();
    expect(files.some((f) => f.startsWith('snapshot-')), files.join(',')).toBe(true);
    expect(files.filter((f) => f.startsWith('log-')).length, 'old logs are removed').toBe(1);
    await s1.close();
    const s2 = await FileTradeStore.open({ dir });
    expect(s2.recovery.snapshotGeneration).toBeGreaterThan(0);
    expect((await s2.listOrders({ status: ['filled'] })).length).toBe(10);
    expect(await s2.getValue('k4')).toBe('v59');
    expect(await s2.listFills('u1')).toEqual([makeFill()]);
    await s2.close();
  });

  it('opens to the same state when a crash interrupted compaction before the snapshot was renamed', async () => {
    const dir = await tempDir();
    const s1 = await FileTradeStore.open({ dir });
    await s1.saveOrder(makeStoredOrder({ clientOrderId: 'a' }));
    await s1.close();
    // Crash point: log-1 created, snapshot-1 only as a .tmp.
    await writeFile(join(dir, 'log-1.jsonl'), '');
    await writeFile(join(dir, 'snapshot-1.tmp'), 'partial');
    const s2 = await FileTradeStore.open({ dir });
    expect((await s2.getOrder('a'))?.clientOrderId).toBe('a');
    await s2.saveOrder(makeStoredOrder({ clientOrderId: 'b' }));
    await s2.close();
    const s3 = await FileTradeStore.open({ dir });
    expect((await s3.listOrders()).map((o) => o.clientOrderId)).toEqual(['a', 'b']);
    expect((await readdir(dir)).some((f) => f.endsWith('.tmp')), 'leftover temp files are removed').toBe(false);
    await s3.close();
  });

  it('shares one fsync among concurrent writes (group commit)', async () => {
    const dir = await tempDir();
    const s = await FileTradeStore.open({ dir });
    await Promise.all(Array.from({ length: 500 }, (_, i) => s.saveFill('u1', makeFill({ id: `f${i}` }))));
    expect(s.stats.records).toBe(500);
    expect(s.stats.flushes, '500 writes issued together share a handful of fsyncs').toBeLessThanOrEqual(5);
    await s.saveFill('u1', makeFill({ id: 'alone' }));
    expect(s.stats.flushes, 'a lone write is flushed on its own').toBeLessThanOrEqual(6);
    await s.close();
    const s2 = await FileTradeStore.open({ dir });
    expect((await s2.listFills('u1')).length).toBe(501);
    await s2.close();
  });
});
