import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { captureIo } from './capture-io';

interface TradeRow {
  symbol: string;
  side: string;
  entryTime: string;
  exitTime: string;
  entryPrice: number;
  exitPrice: number;
  amount: number;
  pnl: number;
  fees: number;
}

describe('kairos backtest --json', () => {
  it('prints one JSON object whose headline numbers follow from its trade list', async () => {
    const io = captureIo();
    const code = await main(['backtest', '--strategy', 'ma-cross', '--symbols', 'BTC/USDT', '--timeframe', '1h', '--json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    expect(io.stdout).toHaveLength(1);
    const r = JSON.parse(io.stdout[0] as string) as Record<string, unknown> & { tradeList: TradeRow[] };
    for (const k of ['trades', 'netProfit', 'returnPct', 'maxDrawdownPct', 'winRate', 'profitFactor', 'tradeList']) expect(r).toHaveProperty(k);
    const list = r.tradeList;
    expect(list.length).toBeGreaterThan(10);
    expect(r.trades).toBe(list.length);
    const net = list.reduce((s, t) => s + t.pnl, 0);
    expect(r.netProfit as number).toBeCloseTo(net, 6);
    expect(r.returnPct as number).toBeCloseTo((net / 10_000) * 100, 6);
    const wins = list.filter((t) => t.pnl > 0);
    expect(r.winRate as number).toBeCloseTo((wins.length / list.length) * 100, 9);
    const gw = wins.reduce((s, t) => s + t.pnl, 0);
    const gl = -list.filter((t) => t.pnl <= 0).reduce((s, t) => s + t.pnl, 0);
    expect(r.profitFactor as number).toBeCloseTo(gw / gl, 9);
    expect(r.maxDrawdownPct as number).toBeGreaterThan(0);
    expect(r.maxDrawdownPct as number).toBeLessThan(100);
    for (const t of list) {
      expect(t.symbol).toBe('BTC/USDT');
      expect(t.side).toBe('long');
      expect(Date.parse(t.exitTime)).toBeGreaterThan(Date.parse(t.entryTime));
      expect(t.amount).toBeGreaterThan(0);
      expect(t.fees).toBeGreaterThan(0);
      // Each trade's pnl is what its prices say, less fees (entry/exit are volume-weighted averages).
      expect(t.pnl).toBeCloseTo((t.exitPrice - t.entryPrice) * t.amount - t.fees, 6);
    }
    for (let i = 1; i < list.length; i++) {
      expect(Date.parse((list[i] as TradeRow).entryTime), 'one position at a time per symbol').toBeGreaterThanOrEqual(Date.parse((list[i - 1] as TradeRow).exitTime));
    }
  });

  it('honours --from/--to and --param', async () => {
    const io = captureIo();
    const code = await main(['backtest', '--symbols', 'ETH/USDT', '--from', '2024-03-01', '--to', '2024-04-01', '--param', 'kind=sma', '--param', 'fast=5', '--param', 'slow=20', '--json'], io);
    expect(code, io.stderr.join('\n')).toBe(0);
    const r = JSON.parse(io.stdout[0] as string) as { candles: number; strategy: { params: Record<string, unknown> }; tradeList: TradeRow[] };
    expect(r.candles).toBe(31 * 24);
    expect(r.strategy.params).toEqual({ kind: 'sma', fast: 5, slow: 20 });
    for (const t of r.tradeList) {
      expect(Date.parse(t.entryTime)).toBeGreaterThanOrEqual(Date.parse('2024-03-01T00:00:00Z'));
      expect(Date.parse(t.exitTime)).toBeLessThanOrEqual(Date.parse('2024-04-01T00:00:00Z'));
    }
  });

  it.each([
    [['--strategy', 'nope'], '--strategy', /allowed: ma-cross/],
    [['--symbols', 'BTCUSDT'], '--symbols', /BTC\/USDT/],
    [['--timeframe', '7m'], '--timeframe', /allowed: 1m, 3m/],
    [['--from', '2024-13-45'], '--from', /ISO date/],
    [['--fraction=-0.5'], '--fraction', /positive/],
    [['--fraction', '-0.5'], '--fraction', /argument is ambiguous/],
    [['--balance=-100'], '--balance', /positive/],
    [['--param', 'fast=30', '--param', 'slow=10'], '--param fast', /fast must be smaller than slow/],
    [['--param', 'kind=wma'], '--param kind', /sma|ema/],
    [['--symbols', 'ZZZ/USDT'], 'ZZZ/USDT', /available: /],
    [['--bogus'], 'bogus', /Unknown option/],
  ])('exits non-zero naming the key for %j', async (args, key, message) => {
    const io = captureIo();
    const code = await main(['backtest', ...args], io);
    expect(code).toBe(2);
    const err = io.stderr.join('\n');
    expect(err).toContain(key);
    expect(err).toMatch(message);
  });

  it('rejects an unknown command with the list of commands', async () => {
    const io = captureIo();
    expect(await main(['bogus'], io)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/allowed: backtest, start/);
  });
});

describe('kairos backtest --data store:DIR', () => {
  it('reads the history store and gives the same result as the CSV files it was filled from', async () => {
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { HistoryStore, loadCandleFile } = await import('@kairos/exchange');
    const { defaultDataDir } = await import('../src/wiring/data-dir');
    const dir = await mkdtemp(join(tmpdir(), 'kairos-store-'));
    const store = new HistoryStore(dir);
    for (const symbol of ['BTC/USDT', 'ETH/USDT']) {
      const { candles } = await loadCandleFile(join(defaultDataDir(), `${symbol.replace('/', '_')}-1h.csv`));
      await store.write({ exchange: 'binance', symbol, timeframe: '1h' }, candles);
    }
    const args = ['backtest', '--symbols', 'BTC/USDT,ETH/USDT', '--from', '2024-02-01', '--to', '2024-05-01', '--json'];
    const fromCsv = captureIo();
    const fromStore = captureIo();
    expect(await main(args, fromCsv)).toBe(0);
    expect(await main([...args, '--data', `store:${dir}`], fromStore), fromStore.stderr.join('\n')).toBe(0);
    const a = JSON.parse(fromCsv.stdout[0] as string) as { trades: number; tradeList: unknown[] };
    const b = JSON.parse(fromStore.stdout[0] as string) as { trades: number; tradeList: unknown[] };
    expect(a.trades).toBeGreaterThan(0);
    expect(b.tradeList).toEqual(a.tradeList);
  });
});

describe('kairos backtest --max-jump', () => {
  it('refuses a data file with a 200x jump naming file and line, and accepts it when told to', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'kairos-jump-'));
    const t0 = Date.UTC(2024, 0, 1);
    const rows = Array.from({ length: 60 }, (_, i) => {
      const p = i === 40 ? 2000 : 10;
      return `${t0 + i * 3_600_000},${p},${p},${p},${p},100`;
    });
    await writeFile(join(dir, 'JMP_USDT-1h.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const refused = captureIo();
    expect(await main(['backtest', '--strategy', 'ma-cross', '--symbols', 'JMP/USDT', '--data', dir], refused)).not.toBe(0);
    expect(refused.stderr.join('\n')).toMatch(/JMP_USDT-1h\.csv:42: high 2000 is 200x the previous close 10 \(limit 100x; accept it with --max-jump/);
    for (const jump of ['off', '500']) {
      const io = captureIo();
      expect(await main(['backtest', '--strategy', 'ma-cross', '--symbols', 'JMP/USDT', '--data', dir, '--max-jump', jump, '--json'], io), io.stderr.join('\n')).toBe(0);
    }
    const bad = captureIo();
    expect(await main(['backtest', '--strategy', 'ma-cross', '--symbols', 'JMP/USDT', '--data', dir, '--max-jump', '1'], bad)).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--max-jump: expected a factor above 1 or 'off'/);
  });
});
