import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalingTradeStore, type JournalingTradeStoreOptions, MemoryTradeStore, STORE_EPOCH_KEY, TradingGate, isStoreStateLost } from '../src';
import { describeTradeStoreConformance } from '../src/testing';
import { makeFill, makeStoredOrder, makeTrade } from '../src/testing/trade-store-fixtures';
import { OutageStore, until, virtualTime } from './support-outage-store';

const TEN_MINUTES = 10 * 60_000;

async function setup(over: Partial<JournalingTradeStoreOptions> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'kairos-journaling-'));
  const inner = new OutageStore();
  const gate = new TradingGate({});
  const health: boolean[] = [];
  const time = virtualTime();
  const store = await JournalingTradeStore.open(inner, {
    dir,
    time,
    callTimeoutMs: Number.POSITIVE_INFINITY,
    epochCheckMs: 0,
    onHealthChange: (ok) => {
      health.push(ok);
      if (ok) gate.unblock('store');
      else gate.block('store', 'trade store unavailable');
    },
    ...over,
  });
  // What the reconciler and the engine do at start: the user's full lists.
  await store.listOrders({ userId: 'u1' });
  await store.listFills('u1');
  return { dir, inner, gate, health, time, store };
}

function settledFlag(p: Promise<unknown>): { settled: boolean } {
  const flag = { settled: false };
  p.then(
    () => (flag.settled = true),
    () => (flag.settled = true),
  );
  return flag;
}

describeTradeStoreConformance('journaling over memory (store up)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kairos-journaling-conf-'));
  const store = await JournalingTradeStore.open(new MemoryTradeStore(), { dir, epochCheckMs: 0 });
  return { store, dispose: () => store.close() };
});

describe('JournalingTradeStore', () => {
  it('keeps trading through a 10-minute outage (virtual time): reads never throw, writes are journaled, then replayed in order', async () => {
    const { inner, gate, health, time, store } = await setup();
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'before', status: 'open' }));
    inner.log.length = 0;
    inner.down = true;
    const started = time.now();

    // An exit during the outage: the engine's getOrder, intent, ack, fill, trade.
    expect(await store.getOrder('exit-1'), 'a new decision is known to be new').toBeUndefined();
    expect(gate.allows('entry'), 'entries blocked while away').toBe(false);
    expect(gate.allows('exit'), 'exits go on').toBe(true);
    const exit = makeStoredOrder({ clientOrderId: 'exit-1', id: '', status: 'pending_submit', side: 'sell', purpose: 'exit' });
    await store.saveOrder(exit);
    await store.saveOrder({ ...exit, id: 'x-9', status: 'filled', filled: 1, updatedAt: 1_500 });
    expect(await store.saveFill('u1', makeFill({ id: 'x-9@1', clientOrderId: 'exit-1', orderId: 'x-9', side: 'sell', amount: 1 }))).toBe(true);
    expect(await store.saveFill('u1', makeFill({ id: 'x-9@1', clientOrderId: 'exit-1', orderId: 'x-9', side: 'sell', amount: 1 })), 'a duplicate is known as one').toBe(false);
    await store.saveTrade(makeTrade({ id: 't-9' }));
    await store.setValue('risk:u1:locks', '[1]');
    expect((await store.getOrder('exit-1'))?.status, 'read from the journaled writes').toBe('filled');
    expect((await store.getOrder('before'))?.status, 'read from the last known state').toBe('open');
    expect((await store.listFills('u1', 'exit-1')).map((f) => f.id)).toEqual(['x-9@1']);
    expect(await store.getValue('risk:u1:locks')).toBe('[1]');
    expect(store.journaled).toBe(5);
    expect(inner.log, 'nothing reached the store while it was away').toEqual([]);

    // A read only the store can answer waits (ten minutes of virtual time) and never throws.
    const other = store.getValue('someone-elses-key');
    const flag = settledFlag(other);
    await until(() => time.now() - started >= TEN_MINUTES, 10_000, 'ten virtual minutes');
    expect(flag.settled, 'still waiting after 10 minutes, not failed').toBe(false);
    expect(store.away.away).toBe(true);

    inner.down = false;
    await until(() => store.journaled === 0 && gate.entriesAllowed, 5_000, 'the replay');
    expect(await other).toBeUndefined();
    expect(inner.log, 'replayed in call order').toEqual(['saveOrder:exit-1:pending_submit', 'saveOrder:exit-1:filled', 'saveFill:x-9@1', 'saveTrade:t-9', 'setValue:risk:u1:locks=[1]']);
    expect((await inner.getOrder('exit-1'))?.status).toBe('filled');
    expect(health).toEqual([false, true]);
    expect(store.away.outages).toBe(1);
    expect(store.away.totalMs).toBeGreaterThanOrEqual(TEN_MINUTES);
    await store.close();
  });

  it('retries a blip in place without journaling it', async () => {
    const { inner, store, health } = await setup({ outageAfterMs: 1_000, time: undefined });
    inner.down = true;
    const write = store.saveOrder(makeStoredOrder({ clientOrderId: 'blip' }));
    await until(() => health.length === 1);
    inner.down = false;
    await write;
    expect(store.journaled).toBe(0);
    expect(store.away.outages).toBe(0);
    expect(health).toEqual([false, true]);
    expect(inner.log).toEqual(['saveOrder:blip:open']);
    await store.close();
  });

  it('counts a call that gets no answer as failed, so a paused server is an outage too', async () => {
    const { inner, store, gate } = await setup({ callTimeoutMs: 30, outageAfterMs: 0, time: undefined });
    inner.hang = true;
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'paused' }));
    expect(store.journaled, 'journaled after the call timed out').toBe(1);
    expect(gate.entriesAllowed).toBe(false);
    inner.hang = false;
    await until(() => store.journaled === 0 && gate.entriesAllowed, 5_000, 'the replay');
    expect((await inner.getOrder('paused'))?.status).toBe('open');
    await store.close();
  });

  it('lets writes wait, never dropping one, when the journal is full', async () => {
    const { inner, store, dir } = await setup({ maxJournalRecords: 2 });
    inner.down = true;
    await store.setValue('a', '1');
    await store.setValue('b', '2');
    const third = store.setValue('c', '3');
    const flag = settledFlag(third);
    await new Promise((r) => setTimeout(r, 50));
    expect(flag.settled, 'the third write waits for the store').toBe(false);
    inner.down = false;
    await third;
    expect(inner.log).toEqual(['setValue:a=1', 'setValue:b=2', 'setValue:c=3']);
    expect((await stat(join(dir, 'journal.jsonl'))).size).toBe(0);
    await store.close();
  });

  it('halts with STORE_STATE_LOST when the store comes back empty, and writes nothing on top', async () => {
    const { inner, store } = await setup();
    const lost: string[] = [];
    store.onStateLost((e) => lost.push(e.code));
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'kept' }));
    inner.down = true;
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'journaled' }));
    const waiting = store.getValue('unknown');
    waiting.catch(() => {}); // awaited below, after the verdict
    inner.backing = new MemoryTradeStore(); // restarted without persistence
    inner.log.length = 0;
    inner.down = false;
    await until(() => store.stateLost !== undefined, 5_000, 'the state-lost verdict');
    expect(lost).toEqual(['STORE_STATE_LOST']);
    expect(store.stateLost?.message).toMatch(/store state lost: .*without its epoch marker/);
    await expect(waiting, 'a waiting read fails instead of hanging').rejects.toThrow(/store state lost/);
    await expect(store.saveOrder(makeStoredOrder({ clientOrderId: 'after' }))).rejects.toSatisfy(isStoreStateLost);
    expect(inner.log, 'not one write on top of the empty store').toEqual([]);
    expect(await inner.backing.listOrders({})).toEqual([]);
    expect(store.journaled, 'the journal is kept for a person to look at').toBe(1);
    await store.close();
  });

  it('halts when the store comes back from an older state (same epoch, last confirmed order missing)', async () => {
    const { inner, store } = await setup();
    const old = new MemoryTradeStore();
    await old.setValue(STORE_EPOCH_KEY, (await inner.backing.getValue(STORE_EPOCH_KEY)) as string);
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'newest' }));
    inner.down = true;
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'journaled' }));
    inner.backing = old; // a backup taken before 'newest' was written
    inner.down = false;
    await until(() => store.stateLost !== undefined, 5_000, 'the state-lost verdict');
    expect(store.stateLost?.message).toMatch(/order newest, which the store had confirmed, is missing/);
    await store.close();
  });

  it('checks the marker after a reconnect before anything more is written', async () => {
    const { inner, store } = await setup();
    inner.backing = new MemoryTradeStore();
    store.reconnected();
    // Made while the marker is checked: journaled (kept on disk), not sent.
    await store.saveOrder(makeStoredOrder({ clientOrderId: 'after-reconnect' }));
    await until(() => store.stateLost !== undefined, 5_000, 'the state-lost verdict');
    await expect(store.saveOrder(makeStoredOrder({ clientOrderId: 'later' }))).rejects.toThrow(/store state lost/);
    expect(await inner.backing.listOrders({}), 'nothing written on top of the emptied store').toEqual([]);
    await store.close();
  });

  it('refuses at open a store that lost what this session saw (empty, or another epoch), and adopts one for a new session', async () => {
    const { dir, inner, store } = await setup();
    await store.close();
    await expect(JournalingTradeStore.open(new MemoryTradeStore(), { dir, epochCheckMs: 0 })).rejects.toThrow(/store state lost: the store has no epoch marker/);
    const other = new MemoryTradeStore();
    await other.setValue(STORE_EPOCH_KEY, JSON.stringify({ epoch: 'feedface', createdAt: 0 }));
    await expect(JournalingTradeStore.open(other, { dir, epochCheckMs: 0 })).rejects.toThrow(/epoch is feedface/);
    const again = await JournalingTradeStore.open(inner, { dir, epochCheckMs: 0 });
    const fresh = await JournalingTradeStore.open(other, { dir: await mkdtemp(join(tmpdir(), 'kairos-journaling-')), epochCheckMs: 0 });
    expect(fresh.storeEpoch).toBe('feedface');
    await Promise.all([again.close(), fresh.close()]);
  });
});
