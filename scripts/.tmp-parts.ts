import { getIndicator } from '../packages/indicators-gpu/src/index.js';
import { validateInputs } from '../packages/indicators-gpu/src/core/validate-inputs.js';
import { runKernel } from '../packages/indicators-gpu/src/core/define-indicator.js';
const N = 100_000; const close = new Float64Array(N); for (let i = 0; i < N; i++) close[i] = 30000 + 1000 * Math.sin(i / 50) + (i % 7);
const cpu = (fn: () => void) => { const t = process.cpuUsage(); for (let k = 0; k < 200; k++) fn(); const d = process.cpuUsage(t); return (d.user + d.system) / 200; };
for (const name of ['sma', 'ema', 'sma', 'ema']) {
  const ind = getIndicator(name) as any; const p = ind.parseParams({ period: 20 }); const o = new Float64Array(N);
  for (let w = 0; w < 20; w++) { validateInputs(name, ['close'], { close }); ind.parseParams(p); runKernel(ind.kernel, [close], [o], p, N); }
  console.log(name, 'validate us', cpu(() => validateInputs(name, ['close'], { close })).toFixed(1), 'parse us', cpu(() => ind.parseParams(p)).toFixed(1), 'kernel us', cpu(() => runKernel(ind.kernel, [close], [o], p, N)).toFixed(1), 'batchInto us', cpu(() => ind.batchInto({ close }, p, { value: o })).toFixed(1));
}
