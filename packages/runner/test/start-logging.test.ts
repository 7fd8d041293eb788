import { appendFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '@kairos/core';
import { makeFill, makeStoredOrder } from '@kairos/core/testing';
import { FileTradeStore } from '@kairos/store';
import { describe, expect, it } from 'vitest';
import { type StartOptions, startCommand } from '../src/cli/start-command';
import { captureIo } from './capture-io';

/** A log line of the default logger: ISO time, level, message. */
const LOG_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (DEBUG|INFO|WARN|ERROR) /;

/** Runs `start` in-process until its banner is out, then stops it. */
async function briefRun(args: string[], options: Omit<StartOptions, 'onStopSignal'> = {}) {
  const io = captureIo();
  let stop: ((reason: string) => void) | undefined;
  const run = startCommand(['--speed', '3600000', '--summary-every', '60', ...args], io, {
    env: {},
    ...options,
    onStopSignal: (s) => {
      stop = s;
      return () => {};
    },
  });
  const deadline = Date.now() + 20_000;
  while (!io.stdout.some((l) => l.startsWith('[store]')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  stop?.('SIGINT');
  return { code: await run, io };
}

/** A file store for `session` holding a filled 0.5 BTC buy: a fresh paper exchange holds no BTC. */
async function storeWithPosition(session: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'kairos-start-log-'));
  const store = await FileTradeStore.open({ dir, fsync: false });
  await store.saveOrder(makeStoredOrder({ userId: session, status: 'filled', amount: 0.5, filled: 0.5, average: 100 }));
  await store.saveFill(session, makeFill());
  await store.close();
  return dir;
}

describe('kairos start reports warnings on stderr', () => {
  it('logs the torn record a file store dropped on open to stderr, and keeps stdout free of log lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kairos-start-log-'));
    await (await FileTradeStore.open({ dir, fsync: false })).close();
    // What a crash mid-append leaves: the start of a record and no line end.
    await appendFile(join(dir, 'log-0.jsonl'), '1a2b3c4d{"t":"order","order":{"id":"x');
    const { code, io } = await briefRun(['--store', `file:${dir}`, '--symbols', 'BTC/USDT']);
    expect(code, io.stderr.join('\n')).toBe(0);
    const torn = io.stderr.filter((l) => /WARN file store: torn last record dropped/.test(l));
    expect(torn, io.stderr.join('\n')).toHaveLength(1);
    expect(torn[0]).toMatch(LOG_LINE);
    expect(torn[0]).toContain(`file=${join(dir, 'log-0.jsonl')}`);
    expect(torn[0]).toMatch(/ offset=0 /);
    expect(io.stdout.filter((l) => LOG_LINE.test(l)), 'no log line on stdout').toEqual([]);
    expect(io.stderr.every((l) => !l.includes('\n') && l.length <= 2_000), 'one bounded line per entry').toBe(true);
  });

  it('prints a reconciliation position mismatch as a warning line and blocks entries; --accept-venue adopts the venue and records it', async () => {
    const dir = await storeWithPosition('sess-mm');
    const { code, io } = await briefRun(['--store', `file:${dir}`, '--session', 'sess-mm', '--symbols', 'BTC/USDT']);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(io.stdout.join('\n'), 'a mismatch blocks entries until resolved').toMatch(/session sess-mm; reconciliation FAILED: entries blocked/);
    expect(io.stdout.join('\n')).toMatch(/\[reconcile\] BTC: stored fills say 0\.5, the venue holds 0 \(entries blocked; --accept-venue adopts the venue\)/);
    const mismatch = io.stderr.filter((l) => /WARN reconciliation: position differs from the stored fills/.test(l));
    expect(mismatch, io.stderr.join('\n')).toHaveLength(1);
    expect(mismatch[0]).toMatch(/ session=sess-mm currency=BTC store=0\.5 exchange=0 /);
    expect(io.stdout.filter((l) => LOG_LINE.test(l))).toEqual([]);

    const accepted = await briefRun(['--store', `file:${dir}`, '--session', 'sess-mm', '--symbols', 'BTC/USDT', '--accept-venue']);
    expect(accepted.io.stdout.join('\n')).toMatch(/reconciliation passed/);
    expect(accepted.io.stdout.join('\n')).toMatch(/\(venue adopted\)/);
    expect(accepted.io.stderr.join('\n')).toMatch(/the venue view was adopted/);
  });

  it('sends everything to the logger passed in the options instead of stderr', async () => {
    const dir = await storeWithPosition('sess-ml');
    const logger = new MemoryLogger();
    const { code, io } = await briefRun(['--store', `file:${dir}`, '--session', 'sess-ml', '--symbols', 'BTC/USDT'], { logger });
    expect(code).toBe(0);
    const warned = logger.entries.filter((e) => e.level === 'warn' && e.msg === 'reconciliation: position differs from the stored fills');
    expect(warned.map((e) => e.obj)).toEqual([expect.objectContaining({ session: 'sess-ml', currency: 'BTC', store: 0.5, exchange: 0 })]);
    expect(io.stderr.filter((l) => LOG_LINE.test(l)), 'the default logger is replaced').toEqual([]);
  });
});
