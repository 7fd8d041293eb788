import { KairosConfigSchema, builtinStrategies, summarize } from '@kairos/core';
import { createSimulation, defaultDataDir } from '@kairos/runner';
import { channelBreakout } from './channel-breakout';

const config = KairosConfigSchema.parse({ mode: 'backtest', symbols: ['BTC/USDT', 'ETH/USDT'], strategy: { id: 'channel-breakout', params: { period: 55 } } });
const strategies = builtinStrategies().register(channelBreakout);
const sim = await createSimulation({ config, mode: 'backtest', dataDir: defaultDataDir(), strategies });
const report = await sim.engine.run();
console.log(summarize(report.trades, report.equityCurve, report.startEquity));
