/**
 * Generates test/fixtures/known-answers.json: reference outputs of
 * technicalindicators and tulind (tulip indicators) on the first 300 BTC/USDT
 * 1h candles of the committed fixture, end-aligned to bar indices (null where
 * the reference has no value). Run: npx tsx scripts/gen-known-answers.ts
 * The test (test/known-answers.test.ts) compares Kairos to these at 1e-9
 * after Kairos' documented warm-up.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as ti from 'technicalindicators';

const require = createRequire(import.meta.url);
const tulind = require('tulind') as { version: string; indicators: Record<string, { indicator: (i: number[][], o: number[], cb: (e: unknown, r: number[][]) => void) => void }> };
const tiVersion = (require('technicalindicators/package.json') as { version: string }).version;
const tulindPkg = (require('tulind/package.json') as { version: string }).version;

const N = 300;
const dir = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const rows = readFileSync(dir + 'btc-usdt-1h-500.csv', 'utf8').trim().split('\n').slice(1, N + 1).map((l) => l.split(',').map(Number));
const col = (k: number) => rows.map((r) => r[k]!);
const [open, high, low, close, volume] = [col(1), col(2), col(3), col(4), col(5)];

interface Entry {
  indicator: string;
  params: Record<string, number | boolean>;
  output: string;
  source: string;
  /** What differs from the reference, if anything is transformed (e.g. tulip roc x100). */
  note?: string;
  values: (number | null)[];
}
const entries: Entry[] = [];
const TI = `technicalindicators@${tiVersion}`;
const TU = `tulind@${tulindPkg} (tulip indicators ${tulind.version})`;

function align(values: (number | undefined)[]): (number | null)[] {
  const out: (number | null)[] = new Array(N).fill(null);
  const off = N - values.length;
  values.forEach((v, i) => (out[off + i] = v === undefined || Number.isNaN(v) ? null : v));
  return out;
}
function add(indicator: string, params: Entry['params'], output: string, source: string, values: (number | undefined)[], note?: string) {
  entries.push({ indicator, params, output, source, ...(note ? { note } : {}), values: align(values) });
}
function tu(name: string, inputs: number[][], options: number[]): number[][] {
  let res: number[][] = [];
  tulind.indicators[name]!.indicator(inputs, options, (err, r) => {
    if (err) throw new Error(String(err));
    res = r;
  });
  return res;
}

// technicalindicators (the Kairos default conventions follow it).
add('sma', { period: 20 }, 'value', TI, ti.SMA.calculate({ period: 20, values: close }));
add('ema', { period: 20 }, 'value', TI, ti.EMA.calculate({ period: 20, values: close }));
add('wma', { period: 20 }, 'value', TI, ti.WMA.calculate({ period: 20, values: close }));
add('rma', { period: 14 }, 'value', TI, ti.WEMA.calculate({ period: 14, values: close }));
const macd = ti.MACD.calculate({ values: close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
add('macd', { fast: 12, slow: 26, signal: 9 }, 'macd', TI, macd.map((r) => (r.signal === undefined ? undefined : r.MACD)));
add('macd', { fast: 12, slow: 26, signal: 9 }, 'signal', TI, macd.map((r) => r.signal));
add('macd', { fast: 12, slow: 26, signal: 9 }, 'histogram', TI, macd.map((r) => r.histogram));
const bb = ti.BollingerBands.calculate({ period: 20, stdDev: 2, values: close });
add('bbands', { period: 20, stddev: 2 }, 'middle', TI, bb.map((r) => r.middle));
add('bbands', { period: 20, stddev: 2 }, 'upper', TI, bb.map((r) => r.upper));
add('bbands', { period: 20, stddev: 2 }, 'lower', TI, bb.map((r) => r.lower));
add('bbands', { period: 20, stddev: 2 }, 'percentB', TI, bb.map((r) => r.pb));
add('stddev', { period: 20 }, 'value', TI, ti.SD.calculate({ period: 20, values: close }));
add('atr', { period: 14 }, 'value', TI, ti.ATR.calculate({ period: 14, high, low, close }));
add('trange', {}, 'value', TI, ti.TrueRange.calculate({ high, low, close }));
const adx = ti.ADX.calculate({ period: 14, high, low, close });
add('adx', { period: 14 }, 'adx', TI, adx.map((r) => r.adx));
add('adx', { period: 14 }, 'pdi', TI, adx.map((r) => r.pdi));
add('adx', { period: 14 }, 'mdi', TI, adx.map((r) => r.mdi));
add('cci', { period: 20 }, 'value', TI, ti.CCI.calculate({ period: 20, high, low, close }));
add('roc', { period: 10 }, 'value', TI, ti.ROC.calculate({ period: 10, values: close }));
const st = ti.Stochastic.calculate({ period: 14, signalPeriod: 3, high, low, close });
add('stoch', { period: 14, smooth: 1, signal: 3 }, 'k', TI, st.map((r) => (r.d === undefined ? undefined : r.k)));
add('stoch', { period: 14, smooth: 1, signal: 3 }, 'd', TI, st.map((r) => r.d));
add('willr', { period: 14 }, 'value', TI, ti.WilliamsR.calculate({ period: 14, high, low, close }));
add('trix', { period: 18 }, 'value', TI, ti.TRIX.calculate({ period: 18, values: close }));
add('ao', { fast: 5, slow: 34 }, 'value', TI, ti.AwesomeOscillator.calculate({ fastPeriod: 5, slowPeriod: 34, high, low }));
add('obv', {}, 'value', TI, ti.OBV.calculate({ close, volume }));
// ADL is not compared with technicalindicators: it rounds the line to integers (Math.round); tulind's ad is used below.
add('fi', { period: 13 }, 'value', TI, ti.ForceIndex.calculate({ period: 13, close, volume }));
add('vwap', { period: 0 }, 'value', TI, ti.VWAP.calculate({ high, low, close, volume }));
const kc = ti.KeltnerChannels.calculate({ maPeriod: 20, atrPeriod: 10, useSMA: false, multiplier: 2, high, low, close });
add('keltner', { period: 20, atrPeriod: 10, multiplier: 2 }, 'middle', TI, kc.map((r) => r.middle));
add('keltner', { period: 20, atrPeriod: 10, multiplier: 2 }, 'upper', TI, kc.map((r) => r.upper));
add('psar', { step: 0.02, max: 0.2 }, 'value', TI, ti.PSAR.calculate({ step: 0.02, max: 0.2, high, low }));
const ich = ti.IchimokuCloud.calculate({ conversionPeriod: 9, basePeriod: 26, spanPeriod: 52, displacement: 26, high, low });
add('ichimoku', { conversion: 9, base: 26, spanB: 52, displacement: 0 }, 'conversion', TI, ich.map((r) => r.conversion));
add('ichimoku', { conversion: 9, base: 26, spanB: 52, displacement: 0 }, 'base', TI, ich.map((r) => r.base));
add('ichimoku', { conversion: 9, base: 26, spanB: 52, displacement: 0 }, 'spanA', TI, ich.map((r) => r.spanA));
add('ichimoku', { conversion: 9, base: 26, spanB: 52, displacement: 0 }, 'spanB', TI, ich.map((r) => r.spanB));

// tulind (tulip indicators, C) for what technicalindicators lacks or rounds (RSI, MFI are rounded to 2 decimals there).
add('rsi', { period: 14 }, 'value', TU, tu('rsi', [close], [14])[0]!);
add('mfi', { period: 14 }, 'value', TU, tu('mfi', [high, low, close, volume], [14])[0]!);
add('wma', { period: 20 }, 'value', TU, tu('wma', [close], [20])[0]!);
add('hma', { period: 16 }, 'value', TU, tu('hma', [close], [16])[0]!);
add('trima', { period: 20 }, 'value', TU, tu('trima', [close], [20])[0]!);
add('trima', { period: 21 }, 'value', TU, tu('trima', [close], [21])[0]!);
add('vwma', { period: 20 }, 'value', TU, tu('vwma', [close, volume], [20])[0]!);
add('rma', { period: 14 }, 'value', TU, tu('wilders', [close], [14])[0]!);
add('mom', { period: 10 }, 'value', TU, tu('mom', [close], [10])[0]!);
add('roc', { period: 10 }, 'value', TU, tu('roc', [close], [10])[0]!.map((v) => v * 100), 'tulip roc is a ratio; x100 here');
add('cmo', { period: 14 }, 'value', TU, tu('cmo', [close], [14])[0]!);
add('stddev', { period: 20 }, 'value', TU, tu('stddev', [close], [20])[0]!);
add('variance', { period: 20 }, 'value', TU, tu('var', [close], [20])[0]!);
const lr = { period: 14 };
add('linreg', lr, 'value', TU, tu('linreg', [close], [14])[0]!);
add('linreg', lr, 'slope', TU, tu('linregslope', [close], [14])[0]!);
add('linreg', lr, 'intercept', TU, tu('linregintercept', [close], [14])[0]!);
add('linreg', lr, 'forecast', TU, tu('tsf', [close], [14])[0]!);
const ar = tu('aroon', [high, low], [25]);
add('aroon', { period: 25 }, 'down', TU, ar[0]!);
add('aroon', { period: 25 }, 'up', TU, ar[1]!);
add('aroon', { period: 25 }, 'oscillator', TU, tu('aroonosc', [high, low], [25])[0]!);
add('psar', { step: 0.02, max: 0.2 }, 'value', TU, tu('psar', [high, low], [0.02, 0.2])[0]!);
add('willr', { period: 14 }, 'value', TU, tu('willr', [high, low, close], [14])[0]!);
add('cci', { period: 20 }, 'value', TU, tu('cci', [high, low, close], [20])[0]!);
add('ao', { fast: 5, slow: 34 }, 'value', TU, tu('ao', [high, low], [])[0]!);
add('bop', {}, 'value', TU, tu('bop', [open, high, low, close], [])[0]!);
add('typprice', {}, 'value', TU, tu('typprice', [high, low, close], [])[0]!);
add('medprice', {}, 'value', TU, tu('medprice', [high, low], [])[0]!);
add('dpo', { period: 20 }, 'value', TU, tu('dpo', [close], [20])[0]!);
add('uo', { short: 7, medium: 14, long: 28 }, 'value', TU, tu('ultosc', [high, low, close], [7, 14, 28])[0]!);
const fis = tu('fisher', [high, low], [10]);
add('fisher', { period: 10 }, 'fisher', TU, fis[0]!);
add('fisher', { period: 10 }, 'trigger', TU, fis[1]!);
add('natr', { period: 14 }, 'value', TU, tu('natr', [high, low, close], [14])[0]!);
add('kama', { period: 10, fast: 2, slow: 30 }, 'value', TU, tu('kama', [close], [10])[0]!);
add('obv', {}, 'value', TU, tu('obv', [close, volume], [])[0]!);
add('ad', {}, 'value', TU, tu('ad', [high, low, close, volume], [])[0]!);
add('dema', { period: 20 }, 'value', TU, tu('dema', [close], [20])[0]!);
add('tema', { period: 20 }, 'value', TU, tu('tema', [close], [20])[0]!);
add('adosc', { fast: 3, slow: 10 }, 'value', TU, tu('adosc', [high, low, close, volume], [3, 10])[0]!);
add('stochrsi', { rsiPeriod: 14, stochPeriod: 14, k: 1, d: 1 }, 'k', TU, tu('stochrsi', [close], [14])[0]!.map((v) => v * 100), 'tulip stochrsi is 0..1; x100 here');
// trix is not compared with tulip: it divides the 1-bar change by the current triple EMA, Kairos and technicalindicators by the previous one.
add('ppo', { fast: 12, slow: 26, signal: 9 }, 'ppo', TU, tu('ppo', [close], [12, 26])[0]!);
add('apo', { fast: 12, slow: 26 }, 'value', TU, tu('apo', [close], [12, 26])[0]!);
const adxT = tu('adx', [high, low, close], [14])[0]!;
add('adx', { period: 14 }, 'adx', TU, adxT);

writeFileSync(
  dir + 'known-answers.json',
  JSON.stringify({ candles: 'btc-usdt-1h-500.csv (first 300 rows)', n: N, generatedBy: 'scripts/gen-known-answers.ts', entries }) + '\n',
);
console.log(`wrote ${entries.length} vectors`);
