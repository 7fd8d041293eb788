/**
 * `pnpm bench indicators --all`: Kairos batch against @ixjb94/indicators (the
 * fastest peer library on the six headline cases) on every other indicator
 * both libraries have, on the same candles, timed the same way. Each case
 * gives both libraries the same parameters; where their definitions differ
 * (ixjb94's ADX and EMV take no close, its VWAP and EMV are unsmoothed), the
 * note says so, since those are not like-for-like.
 */
import { createRequire } from 'node:module';
import { getIndicator } from '../../packages/indicators-gpu/src/index.js';

/** Candle columns, as typed arrays (Kairos) and plain arrays (ixjb94 takes number[]). */
export interface PeerColumns {
  readonly typed: Readonly<Record<'open' | 'high' | 'low' | 'close' | 'volume', Float64Array>>;
  readonly plain: Readonly<Record<'open' | 'high' | 'low' | 'close' | 'volume', number[]>>;
}

export interface ExtendedRow {
  readonly label: string;
  readonly kairos: number;
  readonly peer: number;
  readonly note?: string;
}

type Ix = Record<string, (...args: unknown[]) => unknown>;

interface ExtendedCase {
  readonly name: string;
  readonly params: Record<string, number>;
  readonly label: string;
  readonly peer: (ix: Ix, a: PeerColumns['plain']) => unknown;
  readonly note?: string;
}

const CASES: readonly ExtendedCase[] = [
  { name: 'wma', params: { period: 20 }, label: 'WMA(20)', peer: (ix, a) => ix.wma!(a.close, 20) },
  { name: 'dema', params: { period: 20 }, label: 'DEMA(20)', peer: (ix, a) => ix.dema!(a.close, 20) },
  { name: 'tema', params: { period: 20 }, label: 'TEMA(20)', peer: (ix, a) => ix.tema!(a.close, 20) },
  { name: 'hma', params: { period: 16 }, label: 'HMA(16)', peer: (ix, a) => ix.hma!(a.close, 16) },
  { name: 'kama', params: { period: 10 }, label: 'KAMA(10)', peer: (ix, a) => ix.kama!(a.close, 10) },
  { name: 'trima', params: { period: 20 }, label: 'TRIMA(20)', peer: (ix, a) => ix.trima!(a.close, 20) },
  { name: 'vwma', params: { period: 20 }, label: 'VWMA(20)', peer: (ix, a) => ix.vwma!(a.close, a.volume, 20) },
  { name: 'vwap', params: { period: 20 }, label: 'VWAP(20)', peer: (ix, a) => ix.vwap!(a.high, a.low, a.close, a.volume, 20) },
  { name: 'stoch', params: { period: 14, smooth: 3, signal: 3 }, label: 'Stoch(14,3,3)', peer: (ix, a) => ix.stoch!(a.high, a.low, a.close, 14, 3, 3) },
  { name: 'stochrsi', params: { rsiPeriod: 14, stochPeriod: 14, k: 1, d: 1 }, label: 'StochRSI(14)', peer: (ix, a) => ix.stochrsi!(a.close, 14) },
  { name: 'willr', params: { period: 14 }, label: 'WillR(14)', peer: (ix, a) => ix.willr!(a.high, a.low, a.close, 14) },
  { name: 'cci', params: { period: 20 }, label: 'CCI(20)', peer: (ix, a) => ix.cci!(a.high, a.low, a.close, 20) },
  { name: 'mfi', params: { period: 14 }, label: 'MFI(14)', peer: (ix, a) => ix.mfi!(a.high, a.low, a.close, a.volume, 14) },
  { name: 'roc', params: { period: 10 }, label: 'ROC(10)', peer: (ix, a) => ix.roc!(a.close, 10) },
  { name: 'mom', params: { period: 10 }, label: 'MOM(10)', peer: (ix, a) => ix.mom!(a.close, 10) },
  { name: 'ppo', params: { fast: 12, slow: 26 }, label: 'PPO(12,26)', peer: (ix, a) => ix.ppo!(a.close, 12, 26) },
  { name: 'apo', params: { fast: 12, slow: 26 }, label: 'APO(12,26)', peer: (ix, a) => ix.apo!(a.close, 12, 26) },
  { name: 'trix', params: { period: 18 }, label: 'TRIX(18)', peer: (ix, a) => ix.trix!(a.close, 18) },
  { name: 'cmo', params: { period: 14 }, label: 'CMO(14)', peer: (ix, a) => ix.cmo!(a.close, 14) },
  { name: 'dpo', params: { period: 20 }, label: 'DPO(20)', peer: (ix, a) => ix.dpo!(a.close, 20) },
  { name: 'ao', params: {}, label: 'AO(5,34)', peer: (ix, a) => ix.ao!(a.high, a.low) },
  { name: 'uo', params: {}, label: 'UO(7,14,28)', peer: (ix, a) => ix.ultosc!(a.high, a.low, a.close, 7, 14, 28) },
  { name: 'fisher', params: { period: 10 }, label: 'Fisher(10)', peer: (ix, a) => ix.fisher!(a.high, a.low, 10) },
  { name: 'adx', params: { period: 14 }, label: 'ADX(14)', peer: (ix, a) => ix.adx!(a.high, a.low, 14), note: 'ixjb94 takes no close' },
  { name: 'aroon', params: { period: 25 }, label: 'Aroon(25)', peer: (ix, a) => ix.aroon!(a.high, a.low, 25) },
  { name: 'psar', params: {}, label: 'PSAR(0.02,0.2)', peer: (ix, a) => ix.psar!(a.high, a.low, 0.02, 0.2) },
  { name: 'natr', params: { period: 14 }, label: 'NATR(14)', peer: (ix, a) => ix.natr!(a.high, a.low, a.close, 14) },
  { name: 'trange', params: {}, label: 'TrueRange', peer: (ix, a) => ix.tr!(a.high, a.low, a.close) },
  { name: 'stddev', params: { period: 20 }, label: 'StdDev(20)', peer: (ix, a) => ix.stddev!(a.close, 20) },
  { name: 'variance', params: { period: 20 }, label: 'Var(20)', peer: (ix, a) => ix.var!(a.close, 20) },
  { name: 'linreg', params: { period: 14 }, label: 'LinReg(14)', peer: (ix, a) => ix.linreg!(a.close, 14) },
  { name: 'obv', params: {}, label: 'OBV', peer: (ix, a) => ix.obv!(a.close, a.volume) },
  { name: 'ad', params: {}, label: 'A/D', peer: (ix, a) => ix.ad!(a.high, a.low, a.close, a.volume) },
  { name: 'adosc', params: { fast: 3, slow: 10 }, label: 'ADOSC(3,10)', peer: (ix, a) => ix.adosc!(a.high, a.low, a.close, a.volume, 3, 10) },
  { name: 'fi', params: { period: 13 }, label: 'ForceIndex(13)', peer: (ix, a) => ix.fi!(a.close, a.volume, 13) },
  { name: 'eom', params: { period: 1 }, label: 'EMV', peer: (ix, a) => ix.emv!(a.high, a.low, a.volume), note: 'ixjb94 is unsmoothed (Kairos period 1)' },
  { name: 'cmf', params: { period: 20 }, label: 'CMF(20)', peer: (ix, a) => ix.cmf!(a.high, a.low, a.close, a.volume, 20) },
  { name: 'keltner', params: { period: 20 }, label: 'Keltner(20)', peer: (ix, a) => ix.kc!(a.high, a.low, a.close, 20, 2) },
  { name: 'donchian', params: { period: 20 }, label: 'Donchian(20)', peer: (ix, a) => ix.dc!(a.high, a.low, 20) },
  { name: 'coppock', params: {}, label: 'Coppock', peer: (ix, a) => ix.copp!(a.close, 14, 11) },
  { name: 'bop', params: {}, label: 'BOP', peer: (ix, a) => ix.bop!(a.open, a.high, a.low, a.close) },
  { name: 'typprice', params: {}, label: 'TypPrice', peer: (ix, a) => ix.typprice!(a.high, a.low, a.close) },
  { name: 'medprice', params: {}, label: 'MedPrice', peer: (ix, a) => ix.medprice!(a.high, a.low) },
];

/**
 * Times every case, Kairos and ixjb94 interleaved, with the bench's own
 * timer (it returns seconds per call, by process CPU time).
 */
export function extendedPeers(cols: PeerColumns, requireFrom: string, time: (subjects: [string, () => unknown][]) => [string, { cpu: number }][]): ExtendedRow[] {
  const { IndicatorsSync } = createRequire(requireFrom)('@ixjb94/indicators') as { IndicatorsSync: new () => Ix };
  const ix = new IndicatorsSync();
  const n = cols.typed.close.length;
  const rows: ExtendedRow[] = [];
  for (const cs of CASES) {
    const ind = getIndicator(cs.name);
    const params = ind.parseParams(cs.params);
    const ins = Object.fromEntries(ind.spec.inputs.map((k) => [k, cols.typed[k as keyof PeerColumns['typed']]]));
    const out = Object.fromEntries(ind.spec.outputs.map((k) => [k, new Float64Array(n)]));
    const timed = new Map(time([
      ['kairos', () => ind.batchInto(ins, params, out)],
      ['peer', () => cs.peer(ix, cols.plain)],
    ]));
    const mcs = (k: string) => n / timed.get(k)!.cpu / 1e6;
    rows.push({ label: `${cs.label} n=${n}`, kairos: mcs('kairos'), peer: mcs('peer'), ...(cs.note ? { note: cs.note } : {}) });
  }
  return rows;
}
