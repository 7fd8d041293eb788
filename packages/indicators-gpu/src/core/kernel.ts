/**
 * The one kernel each indicator is written as. It is resumable: it walks bars
 * [from, to) of its input arrays and keeps everything it must remember
 * between calls in `state`. Batch runs it once over the whole series; the
 * streaming path runs it on one-element arrays one bar at a time with the
 * same state; the multi-series backend runs it per (series, params).
 *
 * State layout: `state[0 .. hot)` are the slots that change every bar and
 * are snapshotted before each streaming update so `replace()` can roll the
 * last bar back. Anything after `hot` must be ring buffers with one spare
 * slot (capacity = window + 1) written only at the current bar's slot: a
 * rolled-back bar then never loses the value that leaves the window.
 */
export interface Kernel<P> {
  /** State size and hot prefix for these params. */
  layout(params: P): KernelLayout;
  /** Optional initial values (state arrives zero-filled). */
  init?(state: Float64Array, params: P): void;
  /**
   * Set when run() screens its own inputs as it goes (a compare per value,
   * far cheaper than a separate pass over every input): it must then return
   * false whenever [from, to) holds a value the input check would reject
   * (NaN, Infinity, price <= 0, volume < 0, high < low). It may also return
   * false on good input (say, on overflow); batch then runs the full check,
   * which names the culprit or finds nothing and lets the result stand.
   */
  readonly screensInputs?: boolean;
  /**
   * Process bars [from, to). `inputs` are in spec.inputs order and
   * `outputs` in spec.outputs order; write every output for every bar
   * (NaN during warm-up). Must not allocate per bar: a run over many bars
   * may allocate a fixed amount of scratch once (the kernels with rolling
   * extremes take a few blocks of buffers for runs of several windows).
   */
  run(
    inputs: readonly Float64Array[],
    outputs: readonly Float64Array[],
    state: Float64Array,
    params: P,
    from: number,
    to: number,
  ): boolean | void;
}

export interface KernelLayout {
  /** Total state slots. */
  readonly size: number;
  /** Leading slots snapshotted per streaming update (see {@link Kernel}). */
  readonly hot: number;
}
