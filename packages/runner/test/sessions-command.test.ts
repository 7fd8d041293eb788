import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Fill, MemoryTradeStore, type StoredOrder, type Trade } from '@kairos/core';
import { FileTradeStore, RedisTradeStore } from '@kairos/store';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CommandIo } from '../src/cli/io';
import { main } from '../src/cli/main';
import { CLOSE_REASON, checkSession, positionsFromFills, readSession } from '../src/cli/session-inspect';
import { sessionsCommand } from '../src/cli/sessions-command';
import type { SessionCheckReport, SessionView } from '../src/cli/session-inspect';
import { startCommand } from '../src/cli/start-command';
import { captureIo } from './capture-io';

// `kairos sessions` against real stores: sessions written by `kairos start` into a file
// store, and sessions written through the store API into Redis under a deployment of
// their own (so nothing else on the server is listed or touched).

const REDIS_URL = process.env.KAIROS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Runs `kairos start` in-process and stops it from inside the output line `stopAt` picks:
 * the stop lands while the engine is emitting that event, before it can place another
 * order, so the session is left exactly in the state that line reports.
 */
async function runSession(store: string, session: string, stopAt: (line: string) => boolean) {
  const io = captureIo();
  let stop: ((reason: string) => void) | undefined;
  const watching: CommandIo = {
    err: io.err,
    out: (line) => {
      io.out(line);
      if (stopAt(line)) stop?.('SIGINT');
    },
  };
  const run = startCommand(['--speed', '3600000', '--summary-every', '10', '--symbols', 'BTC/USDT', '--store', store, '--session', session], watching, {
    env: {},
    onStopSignal: (s) => {
      stop = s;
      return () => {};
    },
  });
  const code = await run;
  return { code, io };
}

async function sessions(args: string[], opts: { now?: number } = {}) {
  const io = captureIo();
  const code = await sessionsCommand(args, io, { env: {}, ...(opts.now !== undefined ? { now: () => opts.now as number } : {}) });
  return { code, io, json: () => JSON.parse(io.stdout.join('\n')) as unknown };
}

function order(p: Partial<StoredOrder> & Pick<StoredOrder, 'clientOrderId' | 'userId' | 'side' | 'status' | 'amount'>): StoredOrder {
  return { id: `sim-${p.clientOrderId}`, symbol: 'BTC/USDT', type: 'market', purpose: p.side === 'buy' ? 'entry' : 'exit', filled: 0, average: 0, fees: [], strategyId: 'ma-cross', createdAt: 1_704_067_200_000, updatedAt: 1_704_067_200_000, ...p };
}

function fill(p: Partial<Fill> & Pick<Fill, 'id' | 'clientOrderId' | 'side' | 'amount'>): Fill {
  return { orderId: `sim-${p.clientOrderId}`, symbol: 'BTC/USDT', price: 42_000, fee: { currency: 'USDT', cost: 0.05 }, liquidity: 'taker', time: 1_704_067_200_000, ...p };
}

describe('kairos sessions on a file store written by kairos start', () => {
  let dir: string;
  let spec: string;
  let boughtAmount: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kairos-sessions-'));
    spec = `file:${dir}`;
    // A session that stops right as its first round trip closes: flat, nothing open.
    const done = await runSession(spec, 'done-1', (l) => l.startsWith('[trade]'));
    expect(done.code, done.io.stderr.join('\n')).toBe(0);
    expect(done.io.stdout.some((l) => l.startsWith('[trade]'))).toBe(true);
    // A session stopped at its first BUY fill: it holds the position it bought.
    const killed = await runSession(spec, 'killed-1', (l) => l.startsWith('[fill]') && l.includes(' BUY '));
    expect(killed.code, killed.io.stderr.join('\n')).toBe(0);
    const buy = killed.io.stdout.find((l) => l.startsWith('[fill]') && l.includes(' BUY '));
    boughtAmount = Number(/ BUY (\S+) BTC\/USDT/.exec(buy ?? '')?.[1]);
    expect(boughtAmount).toBeGreaterThan(0);
    // What a kill -9 leaves besides: an exit order resting on the (gone) simulated venue,
    // and an intent stored just before the process died, never acknowledged.
    const store = await FileTradeStore.open({ dir, fsync: false });
    try {
      await store.saveOrder(order({ clientOrderId: 'killed-1-exit', userId: 'killed-1', side: 'sell', type: 'limit', price: 99_999, status: 'open', amount: boughtAmount }));
      await store.saveOrder(order({ clientOrderId: 'killed-1-intent', userId: 'killed-1', id: '', side: 'buy', status: 'pending_submit', amount: 0.001 }));
    } finally {
      await store.close();
    }
  }, 60_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('lists both sessions, the killed one as ORPHAN with its open orders and position', async () => {
    const { code, json } = await sessions(['list', '--store', spec, '--json']);
    expect(code).toBe(0);
    const views = json() as SessionView[];
    expect(views.map((v) => v.id)).toEqual(['done-1', 'killed-1']);
    const [done, killed] = views as [SessionView, SessionView];
    expect(done).toMatchObject({ state: 'FLAT', orphan: false, paper: true, positions: [], orders: { open: 0 } });
    expect(done.trades).toBeGreaterThanOrEqual(1);
    expect(Object.keys(done.netPnl)).toEqual(['USDT']);
    expect(killed).toMatchObject({ state: 'ORPHAN', orphan: true, paper: true, liveness: { basis: 'lock' }, orders: { open: 2, byStatus: { filled: 1, open: 1, pending_submit: 1 } } });
    expect(killed.openOrders.slice().sort()).toEqual(['killed-1-exit', 'killed-1-intent']);
    expect(killed.positions).toEqual([{ symbol: 'BTC/USDT', amount: boughtAmount, exact: true }]);
    expect(killed.lastActivity, 'the store time of the replay').toBeLessThan(Date.parse('2025-01-01'));

    const text = await sessions(['list', '--store', spec]);
    expect(text.code).toBe(0);
    expect(text.io.stdout[0]).toMatch(/^session\s+state\s+open\s+orders by status\s+position \(base\)\s+trades\s+net pnl\s+last activity\s+quiet$/);
    expect(text.io.stdout.find((l) => l.startsWith('killed-1'))).toMatch(new RegExp(`killed-1\\s+ORPHAN\\s+2\\s+pending_submit 1, open 1, filled 1\\s+BTC/USDT ${boughtAmount}\\s+0\\s+-\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d\\s+stopped`));
    expect(text.io.stdout.find((l) => l.startsWith('done-1'))).toMatch(/done-1\s+FLAT\s+0\s+filled \d+\s+-\s+\d+\s+-?\d+\.\d\d USDT/);
    expect(text.io.stdout.join('\n')).toMatch(/2 session\(s\) in file .*, 1 orphan\(s\)/);
  });

  it('reconcile reports the planted pending_submit intent (exit 1) and a clean session (exit 0)', async () => {
    const bad = await sessions(['reconcile', 'killed-1', '--store', spec, '--json']);
    expect(bad.code).toBe(1);
    const report = bad.json() as SessionCheckReport;
    expect(report).toMatchObject({ session: 'killed-1', clean: false });
    expect(report.problems).toEqual([expect.objectContaining({ kind: 'pending_submit', clientOrderId: 'killed-1-intent', symbol: 'BTC/USDT' })]);
    const text = await sessions(['reconcile', 'killed-1', '--store', spec]);
    expect(text.code).toBe(1);
    expect(text.io.stdout.join('\n')).toMatch(/reconcile killed-1: 1 problem\(s\)[\s\S]*pending_submit\s+killed-1-intent .*never acknowledged/);
    const clean = await sessions(['reconcile', 'done-1', '--store', spec]);
    expect(clean.code).toBe(0);
    expect(clean.io.stdout.join('\n')).toMatch(/reconcile done-1: clean \(\d+ order\(s\), \d+ fill\(s\)\)/);
  });

  it('close refuses without --yes, naming the position it would abandon, and changes nothing', async () => {
    const io = captureIo();
    expect(await main(['sessions', 'close', 'killed-1', '--store', spec, '--json'], io)).toBe(2);
    expect(io.stdout).toEqual([]);
    const error = (JSON.parse(io.stderr.join('\n')) as { error: { code: string; key: string; message: string } }).error;
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', key: '--yes' });
    expect(error.message).toContain(`BTC/USDT ${boughtAmount}`);
    const after = (await sessions(['list', '--store', spec, '--json'])).json() as SessionView[];
    expect(after.find((v) => v.id === 'killed-1')?.state).toBe('ORPHAN');
  });

  it('close --yes cancels the open orders and list then shows it CLOSED with the position abandoned', async () => {
    const closed = await sessions(['close', 'killed-1', '--store', spec, '--yes']);
    expect(closed.code, closed.io.stderr.join('\n')).toBe(0);
    expect(closed.io.stdout).toEqual([`closed killed-1: canceled 2 order(s) (killed-1-exit, killed-1-intent)`, `abandoned on paper: BTC/USDT ${boughtAmount}`]);

    const store = await FileTradeStore.open({ dir, fsync: false });
    try {
      for (const cid of ['killed-1-exit', 'killed-1-intent']) expect(await store.getOrder(cid)).toMatchObject({ status: 'canceled', rejectReason: CLOSE_REASON });
      expect(JSON.parse((await store.getValue('session:killed-1:closed')) ?? '{}')).toMatchObject({ canceled: ['killed-1-exit', 'killed-1-intent'], abandoned: [{ symbol: 'BTC/USDT', amount: boughtAmount }] });
    } finally {
      await store.close();
    }

    const views = (await sessions(['list', '--store', spec, '--json'])).json() as SessionView[];
    expect(views.find((v) => v.id === 'killed-1')).toMatchObject({ state: 'CLOSED', orphan: false, orders: { open: 0, byStatus: { canceled: 2, filled: 1 } } });
    const text = await sessions(['list', '--store', spec]);
    expect(text.io.stdout.find((l) => l.startsWith('killed-1'))).toMatch(new RegExp(`killed-1\\s+CLOSED\\s+0\\s+.*abandoned BTC/USDT ${boughtAmount}`));
    expect(text.io.stdout.join('\n')).toMatch(/0 orphan\(s\)/);
    // Nothing is left pending: the store is consistent again.
    expect((await sessions(['reconcile', 'killed-1', '--store', spec])).code).toBe(0);
    // Closing again is a no-op.
    const again = await sessions(['close', 'killed-1', '--store', spec, '--yes']);
    expect(again.code).toBe(0);
    expect(again.io.stdout.join('\n')).toMatch(/killed-1 was already closed at .*; nothing to do/);
  });

  it('refuses a session id that does not exist, as a JSON error under --json', async () => {
    for (const sub of ['close', 'reconcile']) {
      const io = captureIo();
      expect(await main(['sessions', sub, 'no-such-session', '--store', spec, '--yes', '--json'], io)).toBe(1);
      expect(io.stdout).toEqual([]);
      expect(JSON.parse(io.stderr.join('\n'))).toEqual({ error: { code: 'USER_NOT_FOUND', message: expect.stringContaining("no session 'no-such-session'") } });
    }
  });

  it('refuses while a running session holds the file store', async () => {
    const held = await FileTradeStore.open({ dir, fsync: false });
    try {
      const io = captureIo();
      // The same process holds it here; another process gets the "running session" message.
      expect(await main(['sessions', 'list', '--store', spec], io)).toBe(1);
      expect(io.stderr.join('\n')).toMatch(/STORE_ERROR/);
    } finally {
      await held.close();
    }
  });
});

describe('kairos sessions on Redis (a deployment of its own)', () => {
  const deployment = `sessions-test-${randomBytes(4).toString('hex')}`;
  const t0 = Date.parse('2025-06-01T00:00:00Z');
  const min = 60_000;
  let store: RedisTradeStore;
  const args = (sub: string[], ...more: string[]) => [...sub, '--store', REDIS_URL, '--deployment', deployment, ...more];

  beforeAll(async () => {
    store = await RedisTradeStore.connect({ url: REDIS_URL, deployment });
    // rk: killed holding 0.002 BTC with an exit resting; rd: one round trip, flat; ra: still trading.
    await store.saveOrder(order({ clientOrderId: 'rk-1', userId: 'rk', side: 'buy', status: 'filled', amount: 0.002, filled: 0.002, average: 42_000 }));
    await store.saveFill('rk', fill({ id: 'rk-f1', clientOrderId: 'rk-1', side: 'buy', amount: 0.002 }));
    await store.saveOrder(order({ clientOrderId: 'rk-2', userId: 'rk', side: 'sell', type: 'limit', price: 45_000, status: 'open', amount: 0.002 }));
    await store.saveOrder(order({ clientOrderId: 'rd-1', userId: 'rd', side: 'buy', status: 'filled', amount: 0.1, filled: 0.1 }));
    await store.saveOrder(order({ clientOrderId: 'rd-2', userId: 'rd', side: 'sell', status: 'filled', amount: 0.1, filled: 0.1 }));
    // 0.1 in two pieces that do not add up in binary: the position is still exactly flat.
    await store.saveFill('rd', fill({ id: 'rd-f1', clientOrderId: 'rd-1', side: 'buy', amount: 0.1 }));
    await store.saveFill('rd', fill({ id: 'rd-f2', clientOrderId: 'rd-2', side: 'sell', amount: 0.07 }));
    await store.saveFill('rd', fill({ id: 'rd-f3', clientOrderId: 'rd-2', side: 'sell', amount: 0.03 }));
    const trade: Trade = { id: 'rd-t1', userId: 'rd', symbol: 'BTC/USDT', side: 'long', strategyId: 'ma-cross', entryTime: 1, entryPrice: 42_000, exitTime: 2, exitPrice: 42_100, amount: 0.1, pnl: 1.5, pnlPct: 0.03, fees: 0.1 };
    await store.saveTrade(trade);
    await store.saveOrder(order({ clientOrderId: 'ra-1', userId: 'ra', side: 'buy', type: 'limit', price: 40_000, status: 'open', amount: 0.01 }));
  });

  afterAll(async () => {
    await store.clear();
    await store.close();
  });

  const list = async (now: number, ...more: string[]) => {
    const r = await sessions(args(['list'], '--json', ...more), { now });
    expect(r.code, r.io.stderr.join('\n')).toBe(0);
    return Object.fromEntries((r.json() as SessionView[]).map((v) => [v.id, v]));
  };

  it('a session is OPEN until it has not changed for --idle, then ORPHAN; one that keeps changing stays OPEN', async () => {
    const first = await list(t0);
    expect(Object.keys(first).sort()).toEqual(['ra', 'rd', 'rk']);
    expect(first.rk).toMatchObject({ state: 'OPEN', orphan: false, liveness: { basis: 'observed', firstLook: true, quietMs: 0 }, positions: [{ symbol: 'BTC/USDT', amount: 0.002, exact: true }] });
    expect(first.rd).toMatchObject({ state: 'FLAT', positions: [], trades: 1, netPnl: { USDT: 1.5 } });

    // Too recent to judge: close refuses (the session may still be running).
    await expect(sessions(args(['close', 'rk'], '--yes'), { now: t0 + 10 * min })).rejects.toMatchObject({ code: 'CONFIG_INVALID', key: '--idle', message: expect.stringContaining('may still be running') });
    expect(await store.getOrder('rk-2'), 'nothing was canceled').toMatchObject({ status: 'open' });
    expect((await list(t0 + 30 * min)).rk).toMatchObject({ state: 'OPEN', liveness: { quietMs: 30 * min, firstLook: false } });

    await store.saveOrder(order({ clientOrderId: 'ra-2', userId: 'ra', side: 'buy', status: 'open', type: 'limit', price: 39_000, amount: 0.01 }));
    const later = await list(t0 + 90 * min);
    expect(later.rk).toMatchObject({ state: 'ORPHAN', orphan: true, liveness: { quietMs: 90 * min } });
    expect(later.ra, 'changed since the last look').toMatchObject({ state: 'OPEN', liveness: { quietMs: 0 } });
    expect((await list(t0 + 90 * min, '--idle', '2h')).rk?.state).toBe('OPEN');

    const text = await sessions(args(['list']), { now: t0 + 90 * min });
    expect(text.io.stdout.find((l) => l.startsWith('rk'))).toMatch(/^rk\s+ORPHAN\s+1\s+open 1, filled 1\s+BTC\/USDT 0\.002\s+0\s+-\s+2024-01-01 00:00\s+1h30m$/);
    expect(text.io.stdout.find((l) => l.startsWith('ra'))).toMatch(/\s0s$/);
    expect(text.io.stdout.join('\n')).toMatch(/3 session\(s\) in redis .* \(deployment sessions-test-[0-9a-f]+\), 1 orphan\(s\)/);
  });

  it('close --yes cancels the orphan\'s open order; list then shows it CLOSED', async () => {
    const closed = await sessions(args(['close', 'rk'], '--yes', '--json'), { now: t0 + 2 * 60 * min });
    expect(closed.code, closed.io.stderr.join('\n')).toBe(0);
    expect(closed.json()).toMatchObject({ closed: { session: 'rk', already: false, closedAt: t0 + 2 * 60 * min, canceled: ['rk-2'], abandoned: [{ symbol: 'BTC/USDT', amount: 0.002 }], notCanceled: [] } });
    expect(await store.getOrder('rk-2')).toMatchObject({ status: 'canceled', rejectReason: CLOSE_REASON });
    expect(await store.getOrder('rk-1'), 'a filled order stays filled').toMatchObject({ status: 'filled' });
    const after = await list(t0 + 3 * 60 * min);
    expect(after.rk).toMatchObject({ state: 'CLOSED', orphan: false, orders: { open: 0 }, closed: { canceled: ['rk-2'] } });
  });
});

describe('session checks (store consistency)', () => {
  it('counts positions exactly on the fills\' decimal grid', () => {
    const fills = [fill({ id: 'a', clientOrderId: 'x', side: 'buy', amount: 0.1 }), fill({ id: 'b', clientOrderId: 'x', side: 'buy', amount: 0.2 }), fill({ id: 'c', clientOrderId: 'y', side: 'sell', amount: 0.3 })];
    expect(positionsFromFills(fills)).toEqual([]);
    expect(positionsFromFills(fills.slice(0, 2))).toEqual([{ symbol: 'BTC/USDT', amount: 0.3, exact: true }]);
    // A buy fee taken in the base currency is not held.
    expect(positionsFromFills([fill({ id: 'd', clientOrderId: 'z', side: 'buy', amount: 1, fee: { currency: 'BTC', cost: 0.001 } })])).toEqual([{ symbol: 'BTC/USDT', amount: 0.999, exact: true }]);
    // No short decimal form: a plain sum, said so.
    expect(positionsFromFills([fill({ id: 'e', clientOrderId: 'w', side: 'buy', amount: 1 / 3 })])).toEqual([{ symbol: 'BTC/USDT', amount: 1 / 3, exact: false }]);
  });

  it('finds fills that do not add up, fills of no order of the session, and negative positions', async () => {
    const store = new MemoryTradeStore();
    await store.saveOrder(order({ clientOrderId: 'o1', userId: 's', side: 'buy', status: 'filled', amount: 0.3, filled: 0.3 }));
    await store.saveFill('s', fill({ id: 'f1', clientOrderId: 'o1', side: 'buy', amount: 0.1 }));
    await store.saveFill('s', fill({ id: 'f2', clientOrderId: 'o1', side: 'buy', amount: 0.2 }));
    await store.saveOrder(order({ clientOrderId: 'o2', userId: 's', side: 'sell', status: 'filled', amount: 0.5, filled: 0.5 }));
    await store.saveFill('s', fill({ id: 'f3', clientOrderId: 'o2', side: 'sell', amount: 0.4 }));
    await store.saveFill('s', fill({ id: 'f4', clientOrderId: 'gone', side: 'buy', amount: 0.01 }));
    await store.saveOrder(order({ clientOrderId: 'other-1', userId: 'other', side: 'buy', status: 'filled', amount: 0.05, filled: 0.05 }));
    await store.saveFill('s', fill({ id: 'f5', clientOrderId: 'other-1', side: 'buy', amount: 0.05 }));
    const report = await checkSession(store, await readSession(store, 's', 'memory'));
    expect(report.clean).toBe(false);
    expect(report.problems.map((p) => p.kind)).toEqual(['fills_mismatch', 'fill_without_order', 'fill_without_order', 'negative_position']);
    expect(report.problems[0]).toMatchObject({ clientOrderId: 'o2', orderFilled: 0.5, fillsSum: 0.4 });
    expect(report.problems[2]).toMatchObject({ fillId: 'f5', owner: 'other' });
    expect(report.problems[3]).toMatchObject({ symbol: 'BTC/USDT', amount: -0.04 });
  });
});

describe('kairos sessions: usage errors', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('needs a durable store, a subcommand, an id, and a duration for --idle', async () => {
    vi.stubEnv('REDIS_URL', undefined);
    const cases: Array<[string[], string]> = [
      [['sessions', 'list', '--json'], '--store'],
      [['sessions', 'list', '--store', 'memory', '--json'], '--store'],
      [['sessions', 'list', '--store', 'file:/no/such/kairos/dir', '--json'], '--store'],
      [['sessions', 'list', '--store', 'postgres://u:hunter2secret@db', '--json'], '--store'],
      [['sessions', 'purge', '--store', 'file:/tmp', '--json'], 'sessions'],
      [['sessions', 'close', '--store', 'file:/tmp', '--json'], '<id>'],
      [['sessions', 'list', '--idle', 'soon', '--store', 'file:/tmp', '--json'], '--idle'],
    ];
    for (const [argv, key] of cases) {
      const io = captureIo();
      expect(await main(argv, io), argv.join(' ')).toBe(2);
      expect(io.stdout).toEqual([]);
      expect(JSON.parse(io.stderr.join('\n'))).toMatchObject({ error: { code: 'CONFIG_INVALID', key } });
      expect(io.stderr.join('\n'), 'no password echoed').not.toContain('hunter2secret');
    }
  });
});
