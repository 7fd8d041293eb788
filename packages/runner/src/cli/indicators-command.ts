import { parseArgs } from 'node:util';
import { type Candle, ConfigError } from '@kairos/core';
import { loadCandleFile } from '@kairos/exchange';
import { type IndicatorSpec, type SeriesInputs, getIndicator, listIndicators } from '@kairos/indicators-gpu';
import { z } from 'zod';
import { parseParams } from './args';
import type { CommandIo } from './io';

export const INDICATORS_USAGE = `kairos indicators list [--json]
  kairos indicators compute --name rsi [--param period=14 ...] --file data/BTC_USDT-1h.csv [--json]`;

interface ParamDescription {
  name: string;
  type: string;
  default?: unknown;
  min?: number;
  max?: number;
  values?: unknown[];
  description?: string;
}

/** A plain-JSON description of an indicator spec, read off its zod schema. */
export function describeSpec(spec: IndicatorSpec) {
  const schema = z.toJSONSchema(spec.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; default?: unknown; minimum?: number; maximum?: number; exclusiveMinimum?: number; exclusiveMaximum?: number; enum?: unknown[]; description?: string }>;
  };
  const parameters: ParamDescription[] = Object.entries(schema.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.type ?? (p.enum ? 'enum' : 'unknown'),
    ...(p.default !== undefined ? { default: p.default } : {}),
    ...(p.minimum ?? p.exclusiveMinimum) !== undefined ? { min: (p.minimum ?? p.exclusiveMinimum) as number } : {},
    ...(p.maximum ?? p.exclusiveMaximum) !== undefined ? { max: (p.maximum ?? p.exclusiveMaximum) as number } : {},
    ...(p.enum ? { values: p.enum } : {}),
    ...(p.description ? { description: p.description } : {}),
  }));
  const defaults = spec.params.parse({});
  return { name: spec.name, title: spec.title, inputs: [...spec.inputs], parameters, outputs: [...spec.outputs], warmup: spec.warmup(defaults) };
}

async function list(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean', default: false } } });
  const specs = listIndicators().map(describeSpec);
  if (values.json) {
    io.out(JSON.stringify(specs));
    return 0;
  }
  for (const s of specs) {
    const params = s.parameters.map((p) => `${p.name}=${String(p.default ?? '')}`).join(' ');
    io.out(`${s.name.padEnd(14)} ${s.title.padEnd(36)} in: ${s.inputs.join(',').padEnd(28)} out: ${s.outputs.join(',')}  ${params}`);
  }
  io.out(`${specs.length} indicators`);
  return 0;
}

async function compute(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { name: { type: 'string' }, param: { type: 'string', multiple: true }, file: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (!values.name) throw new ConfigError('--name', `required; allowed: ${listIndicators().map((s) => s.name).join(', ')}`);
  if (!values.file) throw new ConfigError('--file', 'required: a candle CSV like data/BTC_USDT-1h.csv');
  let indicator;
  try {
    indicator = getIndicator(values.name);
  } catch (err) {
    throw new ConfigError('--name', (err as Error).message);
  }
  let params;
  try {
    params = indicator.parseParams(parseParams(values.param) as never);
  } catch (err) {
    throw new ConfigError('--param', (err as Error).message);
  }
  const { candles } = await loadCandleFile(values.file);
  const column = (pick: (i: number) => number) => Float64Array.from({ length: candles.length }, (_, i) => pick(i));
  const inputs: SeriesInputs = {};
  for (const name of indicator.spec.inputs) {
    if (name === 'benchmark') throw new ConfigError('--name', `${values.name} needs a second (benchmark) series; use the library API`);
    inputs[name] = column((i) => (candles[i] as Candle)[name]);
  }
  const outputs = indicator.batch(inputs, params);
  const plain: Record<string, Array<number | null>> = {};
  for (const [k, arr] of Object.entries(outputs)) plain[k] = Array.from(arr, (v) => (Number.isFinite(v) ? v : null));
  if (values.json) {
    io.out(JSON.stringify({ indicator: indicator.spec.name, params, candles: candles.length, outputs: plain }));
    return 0;
  }
  const names = Object.keys(plain);
  io.out(['time', ...names].join('\t'));
  for (let i = Math.max(0, candles.length - 20); i < candles.length; i++) {
    io.out([new Date((candles[i] as { time: number }).time).toISOString(), ...names.map((n) => String(plain[n]?.[i] ?? ''))].join('\t'));
  }
  return 0;
}

/** `kairos indicators list|compute`: what indicators exist, and one computed over a candle file. */
export async function indicatorsCommand(argv: string[], io: CommandIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'list') return list(rest, io);
  if (sub === 'compute') return compute(rest, io);
  throw new ConfigError('indicators', `unknown subcommand '${sub ?? ''}'; allowed: list, compute`);
}
