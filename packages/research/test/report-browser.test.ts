/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EquityPoint, builtinStrategies, performanceMetrics } from '@kairos/core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeriesData, loadSeries, makeRunId, monteCarlo, runSweep, writeReport } from '../src';
import { DATA_DIR } from './helpers';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('report.html in headless Chromium', () => {
  let dir: string;
  let html: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kairos-report-'));
    const [btc] = (await loadSeries({ dataDir: DATA_DIR, symbols: ['BTC/USDT'], timeframe: '1h', to: Date.UTC(2024, 3, 1) })) as [SeriesData];
    const def = builtinStrategies().get('ma-cross');
    const [row] = runSweep({ definition: def, series: [btc], paramSets: [{ kind: 'ema', fast: 8, slow: 30 }], record: true });
    const out = row?.outcome;
    const trades = out?.tradeList ?? [];
    const curve: EquityPoint[] = Array.from(out?.equity ?? [], (equity, i) => ({ time: (btc.columns.time[i] as number) + btc.columns.timeframeMs, equity, cash: 0 }));
    const metrics = performanceMetrics({ trades, equityCurve: curve, startEquity: 10_000 });
    const mc = monteCarlo({ trades, startEquity: 10_000, method: 'bootstrap', runs: 200 });
    const written = await writeReport(dir, makeRunId('test'), { ok: true }, {
      title: 'ma-cross BTC/USDT',
      kind: 'backtest',
      createdAt: new Date(0).toISOString(),
      metrics,
      equity: curve,
      markets: [{ symbol: 'BTC/USDT', candles: btc.candles, trades }],
      monteCarlo: { method: 'bootstrap', fan: mc.fan, summary: { p50: mc.finalEquity.p50 } },
      pareto: { objectives: ['returnPct', 'maxDrawdownPct'], points: [{ params: { fast: 8 }, values: [1, 2] }] },
      heatmaps: [{ title: 'netProfit', x: 'fast', y: 'slow', xValues: [1, 2], yValues: [3], values: [[1, -1]] }],
    });
    html = written.reportHtml;
    expect(trades.length).toBeGreaterThan(5);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is self-contained: no external URLs are loaded', async () => {
    const text = await readFile(html, 'utf8');
    expect(text).not.toMatch(/<script[^>]+src=/i);
    expect(text).not.toMatch(/<link[^>]+href=/i);
    expect(text).toContain('LightweightCharts');
  });

  it('opens with no console errors and draws non-blank charts', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium is not installed at ${CHROMIUM}: install it with 'apt-get install -y chromium' (the CI script does this as root)`);
    }
    const profile = await mkdtemp(join(tmpdir(), 'kairos-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1200, height: 900 } });
    try {
      const page = browser.pages()[0] ?? (await browser.newPage());
      const errors: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) requests.push(r.url());
      });
      await page.goto(`file://${html}`);
      await page.waitForSelector('body[data-rendered="yes"]', { timeout: 15_000 });
      expect(errors, 'console errors').toEqual([]);
      expect(requests, 'network requests').toEqual([]);
      for (const id of ['equity-chart', 'drawdown-chart', 'market-chart-0', 'montecarlo-chart']) {
        const inked = await page.evaluate((sel) => {
          let most = 0;
          for (const c of Array.from(document.querySelectorAll(`#${sel} canvas`)) as HTMLCanvasElement[]) {
            const ctx = c.getContext('2d');
            if (!ctx || c.width === 0 || c.height === 0) continue;
            const px = ctx.getImageData(0, 0, c.width, c.height).data;
            let n = 0;
            for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && (px[i]! < 235 || px[i + 1]! < 235 || px[i + 2]! < 235)) n++;
            most = Math.max(most, n);
          }
          return most;
        }, id);
        expect(inked, `${id} has drawn pixels`).toBeGreaterThan(500);
      }
      // The screenshot itself: decode it in the page and count non-white pixels inside the equity chart's box.
      const chart = await page.$('#equity-chart');
      const shot = (await chart?.screenshot()) as Buffer;
      const coloured = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d') as CanvasRenderingContext2D;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i]! < 230 || px[i + 1]! < 230 || px[i + 2]! < 230) n++;
        return n / (px.length / 4);
      }, shot.toString('base64'));
      expect(coloured, 'the screenshot of the equity chart is not blank').toBeGreaterThan(0.02);
    } finally {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});
