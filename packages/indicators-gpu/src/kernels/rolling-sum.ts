/**
 * `sumStep`'s state (count, head, sum at st[h..h+2]; ring of period + 1 at r)
 * held in fields for the length of one kernel run, so the bars of the run
 * do not store and reload it through the state array; `save` writes it
 * back. `push` is `sumStep`, operation for operation, so the bits are the
 * same whichever a kernel uses. Made per run and not kept, it lets V8
 * replace the object by plain registers where the run inlines it.
 */
export class RollingSum {
  #count: number;
  #head: number;
  #sum: number;

  constructor(
    private readonly st: Float64Array,
    private readonly h: number,
    private readonly r: number,
    private readonly period: number,
  ) {
    this.#count = st[h]!;
    this.#head = st[h + 1]! | 0;
    this.#sum = st[h + 2]!;
  }

  /** Adds x; the window's sum once `period` values are in, else NaN. A NaN x is skipped. */
  push(x: number): number {
    if (x !== x) return NaN;
    const st = this.st;
    st[this.r + this.#head] = x;
    const head = this.#head === this.period ? 0 : this.#head + 1;
    this.#head = head;
    const s = this.#sum + x - st[this.r + head]!;
    this.#sum = s;
    const c = this.#count + 1;
    this.#count = c;
    return c >= this.period ? s : NaN;
  }

  /** Writes the state back for the next run. */
  save(): void {
    this.st[this.h] = this.#count;
    this.st[this.h + 1] = this.#head;
    this.st[this.h + 2] = this.#sum;
  }
}
