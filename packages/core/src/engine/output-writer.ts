/** Copies one streaming result's named outputs into columns at bar `i` (NaN for a missing one). */
export type OutputWriter = (result: Readonly<Record<string, number>>, columns: readonly Float64Array[], i: number) => void;

// Compiled once per list of output names: a pure function of the names, so a shared
// memo (not state) that every symbol's indicator set reuses.
const writers = new Map<string, OutputWriter>();

/**
 * The writer for streams whose outputs are `outputs`, in that order. A loop over the
 * names (`result[name]`) is one keyed property load that sees every indicator's result
 * shape, so V8 treats it as megamorphic and looks each one up the slow way: about a fifth
 * of a live update's time, with a handful of indicators per symbol. Compiled, each copy
 * is a load by a fixed name, which stays fast for the few result shapes that share the
 * names.
 */
export function outputWriter(outputs: readonly string[]): OutputWriter {
  const key = JSON.stringify(outputs);
  let writer = writers.get(key);
  if (!writer) {
    const body = outputs.map((name, k) => `columns[${k}][i] = result[${JSON.stringify(name)}] ?? NaN;`).join('\n');
    writer = new Function('result', 'columns', 'i', `"use strict";\n${body}`) as OutputWriter;
    writers.set(key, writer);
  }
  return writer;
}
