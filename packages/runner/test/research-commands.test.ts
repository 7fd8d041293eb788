import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import { captureIo } from './capture-io';

const WINDOW = ['--from', '2024-01-01', '--to', '2024-04-01'];

describe('research commands', () => {
  let results: string;
  beforeAll(async () => {
    results = await mkdtemp(join(tmpdir(), 'kairos-results-'));
  });
  afterAll(async () => {
    await rm(results, { recursive: true, force: true });
  });

  const run = async (args: string[]) => {
    const io = captureIo();
    const code = await main([...args, '--results', results], io);
    return { code, io, json: code === 0 || code === 1 ? (JSON.parse(io.stdout.join('\n') || 'null') as Record<string, unknown>) : undefined };
  };

  it('optimize --json: same seed, same best; writes result.json and report.html', async () => {
    const args = ['optimize', '--range', 'fast=3:30', '--range', 'slow=20:120:5', '--method', 'genetic', '--population', '8', '--generations', '3', '--workers', '0', ...WINDOW, '--json'];
    const a = await run([...args, '--seed', '4']);
    const b = await run([...args, '--seed', '4']);
    expect(a.code, a.io.stderr.join('\n')).toBe(0);
    expect((a.json?.best as { params: unknown }).params).toEqual((b.json?.best as { params: unknown }).params);
    expect(a.json?.evaluations).toBe(b.json?.evaluations);
    const dir = a.json?.resultsDir as string;
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'result.json'), 'utf8')).method).toBe('genetic');
    expect(a.json?.engineCheck, 'the winner is re-run in the Engine').toMatchObject({ trades: expect.any(Number) });
  });

  it('optimize rejects bad ranges naming the parameter (exit 2)', async () => {
    for (const [range, name] of [['fast=30:10', 'fast'], ['slow=10:50:0', 'slow'], ['bogus=1:2', 'bogus']] as const) {
      const r = await run(['optimize', '--range', range, '--workers', '0', ...WINDOW]);
      expect(r.code).toBe(2);
      expect(r.io.stderr.join('\n')).toContain(name);
    }
    const m = await run(['optimize', '--method', 'annealing', '--range', 'fast=3:5', ...WINDOW]);
    expect(m.io.stderr.join('\n')).toContain('--method');
  });

  it('walk-forward --json reports windows and efficiency; a window longer than the data fails', async () => {
    const r = await run(['walk-forward', '--range', 'fast=5:20:5', '--range', 'slow=30:60:10', '--in-sample', '800', '--out-of-sample', '400', '--workers', '0', ...WINDOW, '--json']);
    expect(r.code, r.io.stderr.join('\n')).toBe(0);
    expect((r.json?.windows as unknown[]).length).toBeGreaterThan(1);
    expect(typeof r.json?.efficiency).toBe('number');
    const bad = await run(['walk-forward', '--range', 'fast=5:20:5', '--in-sample', '9000', '--out-of-sample', '400', '--workers', '0', ...WINDOW]);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr.join('\n')).toContain('--in-sample');
  });

  it('montecarlo --json gives percentiles and a ruin probability', async () => {
    const r = await run(['montecarlo', '--param', 'fast=8', '--param', 'slow=30', '--runs', '300', ...WINDOW, '--json']);
    expect(r.code, r.io.stderr.join('\n')).toBe(0);
    const fe = r.json?.finalEquity as { p5: number; p50: number; p95: number };
    expect(fe.p5).toBeLessThanOrEqual(fe.p50);
    expect(fe.p50).toBeLessThanOrEqual(fe.p95);
    expect(r.json?.probabilityOfRuin).toBeGreaterThanOrEqual(0);
  });

  it('lookahead --json passes every built-in strategy', async () => {
    const r = await run(['lookahead', '--cuts', '3', ...WINDOW, '--json']);
    expect(r.code, r.io.stderr.join('\n')).toBe(0);
    expect(r.json?.passed).toBe(true);
    expect((r.json?.reports as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('backtest --report', () => {
  it('writes result.json and report.html only when asked', async () => {
    const results = await mkdtemp(join(tmpdir(), 'kairos-bt-'));
    try {
      const io = captureIo();
      expect(await main(['backtest', '--from', '2024-01-01', '--to', '2024-03-01', '--report', '--results', results, '--json'], io)).toBe(0);
      const out = JSON.parse(io.stdout.join('\n')) as { resultsDir: string; trades: number };
      const saved = JSON.parse(await readFile(join(out.resultsDir, 'result.json'), 'utf8')) as { metrics: { trades: number; sharpe: number } };
      expect(saved.metrics.trades).toBe(out.trades);
      expect(existsSync(join(out.resultsDir, 'report.html'))).toBe(true);
      const plain = captureIo();
      expect(await main(['backtest', '--from', '2024-01-01', '--to', '2024-03-01', '--json'], plain)).toBe(0);
      expect(JSON.parse(plain.stdout.join('\n')).resultsDir, 'no --report, no files').toBeUndefined();
    } finally {
      await rm(results, { recursive: true, force: true });
    }
  });
});
