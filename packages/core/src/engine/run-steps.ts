/**
 * A piece of work written once as a generator that yields each value it waits for:
 * a plain value when the answer is already there (a memory store, a simulated venue),
 * a promise when it is not. `yield x` stands where `await x` would.
 */
export type Steps<T> = Generator<unknown, T, unknown>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `steps` synchronously for as long as every yielded value is plain, and awaits
 * from the first promise on. Returns the result itself when nothing was awaited, or a
 * promise of it: either way the steps run in the same order with the same values, and
 * a rejection is thrown back into the generator at its `yield`, as `await` would.
 * A backtest's order path thus costs no promise or microtask per store write.
 */
export function runSteps<T>(steps: Steps<T>): T | Promise<T> {
  let step = steps.next();
  while (!step.done) {
    if (isThenable(step.value)) return finish(steps, step.value);
    step = steps.next(step.value);
  }
  return step.value;
}

async function finish<T>(steps: Steps<T>, first: PromiseLike<unknown>): Promise<T> {
  let pending = first;
  for (;;) {
    let step: IteratorResult<unknown, T>;
    let value: unknown;
    let failed = false;
    try {
      value = await pending;
    } catch (error) {
      failed = true;
      value = error;
    }
    step = failed ? steps.throw(value) : steps.next(value);
    while (!step.done && !isThenable(step.value)) step = steps.next(step.value);
    if (step.done) return step.value;
    pending = step.value as PromiseLike<unknown>;
  }
}
