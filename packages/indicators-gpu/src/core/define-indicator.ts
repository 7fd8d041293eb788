import type { z } from 'zod';
import { IndicatorError } from './indicator-error.js';
import type { Kernel } from './kernel.js';
import { createStepFactory, KernelStream, type StepFactory } from './kernel-stream.js';
import { parseParams } from './parse-params.js';
import type { BatchableStream, Indicator, IndicatorSpec, InputName, ParamRecord, SeriesInputs } from './types.js';
import { checkInputValues, resolveInputs } from './validate-inputs.js';
import type { GpuKernel } from '../multi/gpu-kernel.js';
import type { StateStream } from './state-stream.js';

/** What a (built-in or third-party) indicator author writes: the spec and one kernel. */
export interface IndicatorDefinition<P extends ParamRecord> {
  readonly name: string;
  readonly title: string;
  readonly inputs: readonly InputName[];
  readonly params: z.ZodType<P>;
  readonly outputs: readonly string[];
  warmup(params: P): number;
  /** Cross-param rule, e.g. fast < slow; return a message starting with the param name. */
  check?(params: P): string | undefined;
  /** The one kernel all CPU paths run. */
  readonly kernel: Kernel<P>;
  /**
   * Optional hand-written streaming form (see {@link StateStream}) for an
   * indicator whose update cost matters; it must agree with the kernel bit
   * for bit. Without it, streams are generated from the kernel.
   */
  stream?(params: P): BatchableStream;
  /** Optional gpu.js form for the multi-series GPU backend (float32). */
  readonly gpu?: GpuKernel<P>;
  /** One line on the conventions used (seeding, smoothing, sample vs population). */
  readonly notes?: string;
}

/** An indicator built from a definition; keeps the kernel for the multi-series backends. */
export interface KernelIndicator<P extends ParamRecord = ParamRecord> extends Indicator<P> {
  stream(params?: Partial<P>): BatchableStream;
  readonly kernel: Kernel<P>;
  readonly gpu?: GpuKernel<P>;
  readonly notes?: string;
}

const NAME_RE = /^[a-z][a-z0-9_]*$/;
/** Every legal input name (also guards the generated streaming code, which reads bar.<input>). */
const INPUT_NAMES: readonly InputName[] = ['open', 'high', 'low', 'close', 'volume', 'benchmark'];

/**
 * Turn a spec + kernel into a full indicator: batch, batchInto, streaming
 * (and multi-series via `computeMany`). Third-party indicators use this too.
 */
export function defineIndicator<P extends ParamRecord>(def: IndicatorDefinition<P>): KernelIndicator<P> {
  if (!NAME_RE.test(def.name)) {
    throw new IndicatorError('INDICATOR_BAD_PARAM', `indicator name '${def.name}' must be lower-case [a-z0-9_]`, 'name');
  }
  if (def.inputs.length === 0 || def.outputs.length === 0) {
    throw new IndicatorError('INDICATOR_BAD_PARAM', `${def.name}: needs at least one input and one output`, 'inputs');
  }
  for (const input of def.inputs) {
    if (!INPUT_NAMES.includes(input)) {
      throw new IndicatorError('INDICATOR_BAD_PARAM', `${def.name}: input '${String(input)}' is not one of ${INPUT_NAMES.join(', ')}`, 'inputs');
    }
  }
  if (new Set(def.inputs).size !== def.inputs.length || new Set(def.outputs).size !== def.outputs.length || def.outputs.some((o) => !o)) {
    throw new IndicatorError('INDICATOR_BAD_PARAM', `${def.name}: inputs and outputs must be unique, non-empty names`, 'outputs');
  }
  const spec: IndicatorSpec<P> = Object.freeze({
    name: def.name,
    title: def.title,
    inputs: Object.freeze([...def.inputs]),
    params: def.params,
    outputs: Object.freeze([...def.outputs]),
    warmup: (p: P) => def.warmup(p),
  });
  const { kernel } = def;
  // Streaming code is generated on first use and shared by all streams of this indicator.
  let steps: StepFactory | undefined;
  const parse = (params?: Partial<P>): P => parseParams(def.name, def.params, params, def.check);

  const batchInto = (inputs: SeriesInputs, params: P, out: Record<string, Float64Array>): void => {
    const p = parse(params);
    const arrays = resolveInputs(def.name, def.inputs, inputs);
    const n = arrays[0]!.length;
    const outs = def.outputs.map((name) => {
      const o = out?.[name];
      if (!(o instanceof Float64Array) || o.length !== n) {
        throw new IndicatorError('INDICATOR_BAD_OUTPUT', `${def.name}: output '${name}' must be a Float64Array of length ${n}`, name);
      }
      return o;
    });
    runChecked(def.name, def.inputs, kernel, arrays, outs, p, n);
  };

  return Object.freeze({
    spec,
    kernel,
    ...(def.gpu ? { gpu: def.gpu } : {}),
    ...(def.notes ? { notes: def.notes } : {}),
    parseParams: parse,
    batch(inputs: SeriesInputs, params?: Partial<P>): Record<string, Float64Array> {
      const p = parse(params);
      const arrays = resolveInputs(def.name, def.inputs, inputs);
      const n = arrays[0]!.length;
      const out: Record<string, Float64Array> = {};
      const outs = def.outputs.map((name) => (out[name] = new Float64Array(n)));
      runChecked(def.name, def.inputs, kernel, arrays, outs, p, n);
      return out;
    },
    batchInto,
    stream(params?: Partial<P>) {
      if (def.stream) return def.stream(parse(params));
      steps ??= createStepFactory(def.name, def.inputs, def.outputs);
      return new KernelStream(def.name, def.inputs, def.outputs, kernel, parse(params), steps);
    },
  });
}

/** Fresh state, one pass. Shared by batch and the CPU multi-series backend. Returns what run() returned. */
export function runKernel<P>(kernel: Kernel<P>, inputs: readonly Float64Array[], outputs: readonly Float64Array[], params: P, n: number): boolean | void {
  const state = new Float64Array(kernel.layout(params).size);
  kernel.init?.(state, params);
  if (n > 0) return kernel.run(inputs, outputs, state, params, 0, n);
}

/**
 * Batch with input checking: a kernel that screens its own inputs runs
 * first and the full check only runs if it flagged something (to name the
 * culprit); any other kernel gets the full check up front. Either way bad
 * input throws; the outputs' contents are then unspecified.
 */
function runChecked<P>(
  name: string,
  names: readonly InputName[],
  kernel: Kernel<P>,
  arrays: readonly Float64Array[],
  outs: readonly Float64Array[],
  p: P,
  n: number,
): void {
  if (kernel.screensInputs !== true) {
    checkInputValues(name, names, arrays);
    runKernel(kernel, arrays, outs, p, n);
  } else if (runKernel(kernel, arrays, outs, p, n) === false) {
    checkInputValues(name, names, arrays);
  }
}
