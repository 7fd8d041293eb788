import type { KernelIndicator } from '../core/define-indicator.js';
import { ad } from './ad.js';
import { adosc } from './adosc.js';
import { adx } from './adx.js';
import { ao } from './ao.js';
import { apo } from './apo.js';
import { aroon } from './aroon.js';
import { atr } from './atr.js';
import { bbands } from './bbands.js';
import { beta } from './beta.js';
import { cci } from './cci.js';
import { chop } from './chop.js';
import { cmf } from './cmf.js';
import { cmo } from './cmo.js';
import { coppock } from './coppock.js';
import { correl } from './correl.js';
import { dema } from './dema.js';
import { donchian } from './donchian.js';
import { dpo } from './dpo.js';
import { elderray } from './elderray.js';
import { ema } from './ema.js';
import { eom } from './eom.js';
import { er } from './er.js';
import { fi } from './fi.js';
import { fisher } from './fisher.js';
import { hma } from './hma.js';
import { hv } from './hv.js';
import { ichimoku } from './ichimoku.js';
import { kama } from './kama.js';
import { keltner } from './keltner.js';
import { linreg } from './linreg.js';
import { macd } from './macd.js';
import { mfi } from './mfi.js';
import { mom } from './mom.js';
import { natr } from './natr.js';
import { obv } from './obv.js';
import { ppo } from './ppo.js';
import { bop, medprice, typprice } from './price-transforms.js';
import { psar } from './psar.js';
import { rma } from './rma.js';
import { roc } from './roc.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import { stddev } from './stddev.js';
import { stoch } from './stoch.js';
import { stochrsi } from './stochrsi.js';
import { supertrend } from './supertrend.js';
import { tema } from './tema.js';
import { trange } from './trange.js';
import { trima } from './trima.js';
import { trix } from './trix.js';
import { uo } from './uo.js';
import { variance } from './variance.js';
import { vortex } from './vortex.js';
import { vwap } from './vwap.js';
import { vwma } from './vwma.js';
import { willr } from './willr.js';
import { wma } from './wma.js';
import { zscore } from './zscore.js';

/** Every built-in indicator, grouped (moving averages, oscillators, trend, volatility, volume, other). */
export const BUILT_INS: readonly KernelIndicator[] = Object.freeze([
  sma, ema, wma, dema, tema, hma, kama, vwma, vwap, rma, trima,
  rsi, stoch, stochrsi, willr, cci, mfi, roc, mom, macd, ppo, apo, trix, cmo, dpo, er, ao, uo, fisher, coppock,
  adx, aroon, psar, supertrend, ichimoku, vortex, elderray,
  atr, natr, trange, bbands, keltner, donchian, stddev, variance, linreg, zscore, hv, chop, obv,
  ad, adosc, cmf, fi, eom, correl,
  beta, typprice, medprice, bop,
]);

export {
  ad, adosc, adx, ao, apo, aroon, atr, bbands, beta, bop, cci, chop, cmf, cmo, coppock, correl, dema, donchian, dpo, elderray, ema, eom, er, fi, fisher, hma, hv, ichimoku, kama, keltner, linreg, macd, medprice, mfi, mom, natr, obv, ppo, psar, rma, roc, rsi, sma, stddev, stoch, stochrsi, supertrend, tema, trange, trima, trix, typprice, uo, variance, vortex, vwap, vwma, willr, wma, zscore,
};
