import { appendFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JournalingTradeStore, MemoryTradeStore, WriteJournal, applyJournalEntry, encodeJournalRecord, type JournalEntry } from '../src';
import { makeFill, makeStoredOrder, makeTrade } from '../src/testing/trade-store-fixtures';
import { OutageStore } from './support-outage-store';

async function tmp(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'kairos-journal-'));
}

/** A session's writes: an order through its lifecycle, its fills, a trade, values set, reset and deleted. */
function sessionEntries(): JournalEntry[] {
  const o = makeStoredOrder({ clientOrderId: 'c-1', id: '', status: 'pending_submit', amount: 2 });
  return [
    { op: 'saveOrder', order: o },
    { op: 'saveOrder', order: { ...o, id: 'x-1', status: 'open', updatedAt: 1_100 } },
    { op: 'saveFill', userId: 'u1', fill: makeFill({ id: 'x-1@1', amount: 1 }) },
    { op: 'saveOrder', order: { ...o, id: 'x-1', status: 'partially_filled', filled: 1, updatedAt: 1_200 } },
    { op: 'saveFill', userId: 'u1', fill: makeFill({ id: 'x-1@2', amount: 1, time: 2_100 }) },
    { op: 'saveOrder', order: { ...o, id: 'x-1', status: 'filled', filled: 2, updatedAt: 1_300 } },
    { op: 'saveTrade', trade: makeTrade({ id: 't-1' }) },
    { op: 'setValue', key: 'k', value: 'first' },
    { op: 'setValue', key: 'k', value: 'second' },
    { op: 'setValue', key: 'gone', value: 'x' },
    { op: 'deleteValue', key: 'gone' },
  ];
}

async function stateOf(store: MemoryTradeStore | OutageStore) {
  return {
    orders: await store.listOrders({}),
    fills: await store.listFills('u1'),
    trades: await store.listTrades({}),
    k: await store.getValue('k'),
    gone: await store.getValue('gone'),
  };
}

describe('WriteJournal', () => {
  it('appends durably and reads the records back in order after a reopen', async () => {
    const file = join(await tmp(), 'j', 'journal.jsonl');
    const j = await WriteJournal.open(file);
    const entries = sessionEntries();
    await Promise.all(entries.map((e, i) => j.tryAppend(e, 10 + i)));
    await j.close();
    const again = await WriteJournal.open(file);
    expect(again.entries.map((r) => r.entry)).toEqual(entries);
    expect(again.entries.map((r) => r.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(again.recovery).toEqual({ records: entries.length, tornBytes: 0 });
    await again.close();
  });

  it('refuses appends past its bounds instead of dropping anything', async () => {
    const dir = await tmp();
    const byCount = await WriteJournal.open(join(dir, 'a.jsonl'), { maxRecords: 2, fsync: false });
    const e: JournalEntry = { op: 'setValue', key: 'k', value: 'v' };
    expect(byCount.tryAppend(e, 1)).toBeDefined();
    expect(byCount.tryAppend(e, 2)).toBeDefined();
    expect(byCount.tryAppend(e, 3), 'full by records').toBeUndefined();
    expect(byCount.size).toBe(2);
    const one = encodeJournalRecord({ seq: 1, at: 1, entry: e }).length;
    const byBytes = await WriteJournal.open(join(dir, 'b.jsonl'), { maxBytes: one * 2 + 1, fsync: false });
    expect(byBytes.tryAppend(e, 1)).toBeDefined();
    expect(byBytes.tryAppend(e, 2)).toBeDefined();
    expect(byBytes.tryAppend(e, 3), 'full by bytes').toBeUndefined();
    await byBytes.clear();
    expect(byBytes.tryAppend(e, 4), 'room again once cleared').toBeDefined();
    await Promise.all([byCount.close(), byBytes.close()]);
  });

  it('clears the file, and appends made during the clear survive it', async () => {
    const file = join(await tmp(), 'journal.jsonl');
    const j = await WriteJournal.open(file);
    await j.tryAppend({ op: 'deleteValue', key: 'a' }, 1);
    const cleared = j.clear();
    const after = j.tryAppend({ op: 'deleteValue', key: 'b' }, 2);
    await Promise.all([cleared, after]);
    await j.close();
    const again = await WriteJournal.open(file);
    expect(again.entries.map((r) => r.entry)).toEqual([{ op: 'deleteValue', key: 'b' }]);
    await again.close();
  });

  it('ignores a torn last record (cut off on open) and keeps every whole one', async () => {
    const file = join(await tmp(), 'journal.jsonl');
    const j = await WriteJournal.open(file);
    for (const [i, e] of sessionEntries().slice(0, 3).entries()) await j.tryAppend(e, i);
    await j.close();
    const whole = (await stat(file)).size;
    const torn = encodeJournalRecord({ seq: 4, at: 4, entry: { op: 'setValue', key: 'k', value: 'v' } }).subarray(0, 20);
    await appendFile(file, torn);
    const again = await WriteJournal.open(file);
    expect(again.size).toBe(3);
    expect(again.recovery.tornBytes).toBe(torn.length);
    expect((await stat(file)).size, 'the torn tail is cut off').toBe(whole);
    await again.tryAppend({ op: 'deleteValue', key: 'z' }, 5);
    await again.close();
    const third = await WriteJournal.open(file);
    expect(third.entries.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    await third.close();
  });

  it('refuses a journal with a bad record in the middle (corruption, not a crash)', async () => {
    const file = join(await tmp(), 'journal.jsonl');
    const j = await WriteJournal.open(file);
    for (const [i, e] of sessionEntries().slice(0, 3).entries()) await j.tryAppend(e, i);
    await j.close();
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    lines[1] = `0000000${lines[1]?.slice(7)}`;
    await writeFile(file, lines.join('\n'));
    await expect(WriteJournal.open(file)).rejects.toThrow(/corrupt at byte .* valid records follow/);
  });

  it('replays in order, and a replay cut short by a crash replays again to the same state', async () => {
    const entries = sessionEntries();
    const reference = new MemoryTradeStore();
    for (const e of entries) await applyJournalEntry(reference, e, 0);

    const dir = await tmp();
    const j = await WriteJournal.open(join(dir, 'journal.jsonl'));
    for (const [i, e] of entries.entries()) await j.tryAppend(e, i);
    await j.close();
    // The first crash: seven of eleven writes reached the store, then the process died.
    const inner = new OutageStore();
    for (const e of entries.slice(0, 7)) await applyJournalEntry(inner, e, 0);
    inner.log.length = 0;
    // The next start opens the journal and replays all of it over the half-replayed store.
    const store = await JournalingTradeStore.open(inner, { dir, epochCheckMs: 0 });
    expect(store.journaled, 'the journal is emptied once replayed').toBe(0);
    expect(inner.log, 'every record replayed, in journal order').toEqual([
      'saveOrder:c-1:pending_submit',
      'saveOrder:c-1:open',
      'saveFill:x-1@1',
      'saveOrder:c-1:partially_filled',
      'saveFill:x-1@2',
      'saveOrder:c-1:filled',
      'saveTrade:t-1',
      'setValue:k=first',
      'setValue:k=second',
      'setValue:gone=x',
      'deleteValue:gone',
    ]);
    expect(await stateOf(inner)).toEqual(await stateOf(reference));
    await store.close();
    expect((await stat(join(dir, 'journal.jsonl'))).size).toBe(0);
  });
});
