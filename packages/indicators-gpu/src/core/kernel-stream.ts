import { IndicatorError } from './indicator-error.js';
import type { Kernel } from './kernel.js';
import type { Bar, BatchableStream, InputName, SeriesInputs } from './types.js';
import { backfill } from './stream-backfill.js';

type Step = (bar: Bar) => Readonly<Record<string, number>>;

/**
 * Streaming form derived from a kernel: the kernel runs on one-element input
 * arrays, and before each update the hot part of its state is copied aside
 * so replace() is "restore + run again" — O(hot), which is O(1) for every
 * kernel except the rolling max/min ones (their deque is hot; O(period)).
 *
 * update()/replace() are generated per stream (see {@link compileSteps}):
 * each stream gets its own straight-line code, so its calls into the kernel,
 * the field reads and the result literal stay monomorphic even when a
 * process streams dozens of different indicators.
 */
export class KernelStream<P> implements BatchableStream {
  private readonly state: Float64Array;
  /** [bars fed] — shared with the generated steps. */
  private readonly counter = new Float64Array(1);
  private readonly step: { update: Step; replace: Step };

  constructor(
    private readonly name: string,
    private readonly inputs: readonly InputName[],
    private readonly outputNames: readonly string[],
    private readonly kernel: Kernel<P>,
    private readonly params: P,
    factory: StepFactory = createStepFactory(name, inputs, outputNames),
  ) {
    const layout = kernel.layout(params);
    this.state = new Float64Array(layout.size);
    kernel.init?.(this.state, params);
    this.step = factory(kernel, params, this.state, layout.hot, this.counter);
  }

  get count(): number {
    return this.counter[0]!;
  }

  update(bar: Bar): Readonly<Record<string, number>> {
    return this.step.update(bar);
  }

  replace(bar: Bar): Readonly<Record<string, number>> {
    return this.step.replace(bar);
  }

  updateBatch(inputs: SeriesInputs): Record<string, Float64Array> {
    return backfill(
      {
        name: this.name,
        inputs: this.inputs,
        outputs: this.outputNames,
        kernel: this.kernel,
        params: this.params,
        state: this.state,
        advance: (bars) => (this.counter[0] = this.counter[0]! + bars),
        update: (bar) => this.step.update(bar),
      },
      inputs,
    );
  }
}

/** Builds one stream's update/replace around its kernel, params and state. */
export type StepFactory = <P>(kernel: Kernel<P>, params: P, state: Float64Array, hot: number, counter: Float64Array) => {
  update: Step;
  replace: Step;
};

/**
 * Generate update/replace for an indicator (once per indicator: every
 * stream of it then shares the code and its type feedback, so a new stream
 * starts fast and each indicator's call into its kernel stays monomorphic).
 * Straight-line code: read and validate each bar field the indicator uses
 * (price > 0, volume >= 0, finite; high >= low), copy the hot state aside
 * (update) or back (replace), run the kernel on the one bar, return a
 * fresh object literal of the outputs (one hidden class). Input names come
 * from the fixed InputName set and output names are JSON-quoted, so the
 * generated source cannot be injected into.
 */
export function createStepFactory(name: string, inputs: readonly InputName[], outputs: readonly string[]): StepFactory {
  const fail = (k: number, v: unknown, index: number): never => {
    const field = inputs[k]!;
    const want = field === 'volume' ? 'a finite number >= 0' : 'a finite price > 0';
    throw new IndicatorError('INDICATOR_BAD_INPUT', `${name}: bar.${field} is ${v}, expected ${want} (bar #${index})`, field);
  };
  const failRange = (bar: Bar): never => {
    throw new IndicatorError('INDICATOR_BAD_INPUT', `${name}: bar.high (${bar.high}) is below bar.low (${bar.low})`, 'high');
  };
  const notStarted = (): never => {
    throw new IndicatorError('INDICATOR_BAD_STATE', `${name}: replace() called before any update()`);
  };
  const load = (index: string) =>
    inputs
      .map((f, k) => {
        const ok = f === 'volume' ? 'v >= 0 && v < Infinity' : 'v > 0 && v < Infinity';
        return `v = bar.${f}; if (!(${ok})) fail(${k}, v, ${index}); in${k}[0] = v;`;
      })
      .join('\n') + (inputs.includes('high') && inputs.includes('low') ? '\nif (bar.high < bar.low) failRange(bar);' : '');
  const result = `return {${outputs.map((o, k) => `${JSON.stringify(o)}: out${k}[0]`).join(', ')}};`;
  const src = `
    "use strict";
    return function (kernel, params, st, hot, counter) {
      const snap = new Float64Array(hot);
      ${inputs.map((_, k) => `const in${k} = new Float64Array(1);`).join(' ')}
      ${outputs.map((_, k) => `const out${k} = new Float64Array(1);`).join(' ')}
      const ins = [${inputs.map((_, k) => `in${k}`).join(', ')}];
      const outs = [${outputs.map((_, k) => `out${k}`).join(', ')}];
      function update(bar) {
        let v;
        ${load('counter[0]')}
        for (let i = 0; i < hot; i++) snap[i] = st[i];
        kernel.run(ins, outs, st, params, 0, 1);
        counter[0]++;
        ${result}
      }
      function replace(bar) {
        if (counter[0] === 0) notStarted();
        let v;
        ${load('counter[0] - 1')}
        for (let i = 0; i < hot; i++) st[i] = snap[i];
        kernel.run(ins, outs, st, params, 0, 1);
        ${result}
      }
      return { update, replace };
    };`;
  return new Function('fail', 'failRange', 'notStarted', src)(fail, failRange, notStarted) as StepFactory;
}
