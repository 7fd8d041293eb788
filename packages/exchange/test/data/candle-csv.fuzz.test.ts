import { type Candle, DataError, timeframeMs } from '@kairos/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCandleCsv } from '../../src/data/candle-file';
import { type CandleSanityOptions, DEFAULT_CANDLE_BOUNDS, DEFAULT_MAX_JUMP, MAX_CANDLE_TIME, MIN_CANDLE_TIME } from '../../src/data/candle-sanity';

// Property: whatever the text, the loader either returns candles that are safe to trade
// on, or refuses with a DataError that names file and line in a short message. It never
// throws anything else, never accepts a non-finite or out-of-bounds price, and never
// refuses a well-formed series.

const FILE = 'FZ_USDT-5m.csv';
const STEP = timeframeMs('5m');
const HEADER = 'timestamp,open,high,low,close,volume';
const MAX_MESSAGE = 300;

/** `m · 10^-d` written as a plain decimal, the way the data sets spell numbers. */
function decimal(m: number, d: number): string {
  if (d === 0) return String(m);
  const s = String(m).padStart(d + 1, '0');
  return `${s.slice(0, -d)}.${s.slice(-d)}`;
}

/** A well-formed series: a random walk of scaled integers, aligned times, optional gaps. */
const seriesArb = fc
  .record({
    start: fc.integer({ min: 0, max: 2_000_000 }),
    digits: fc.integer({ min: 0, max: 10 }),
    first: fc.integer({ min: 1_000, max: 5_000_000 }),
    steps: fc.array(
      fc.record({ move: fc.integer({ min: -8, max: 8 }), up: fc.nat(6), down: fc.nat(6), skip: fc.oneof({ weight: 9, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 50 }) }), volume: fc.nat(1_000_000_000) }),
      { maxLength: 25 },
    ),
  })
  .map(({ start, digits, first, steps }) => {
    const rows: string[][] = [];
    let time = MIN_CANDLE_TIME + (start + 200_000) * STEP; // from about 2010 on
    let m = first;
    for (const s of steps) {
      const open = m;
      const close = Math.max(1_000, Math.round(m * (1 + s.move / 100)));
      const high = Math.max(open, close) + Math.round((m * s.up) / 100);
      const low = Math.max(1, Math.min(open, close) - Math.round((m * s.down) / 100));
      time += s.skip * STEP;
      rows.push([String(time), decimal(open, digits), decimal(high, digits), decimal(low, digits), decimal(close, digits), decimal(s.volume, 3)]);
      time += STEP;
      m = close;
    }
    return rows;
  });

/** Field values a broken or hostile file could hold. */
const badFieldArb = fc.oneof(
  fc.constantFrom('', ' ', '\t', '0x10', '0o17', '0b101', '1e300', '1e-300', '1.5e-7', '+5', ' 5', '5 ', '.5', '5.', '1_0', 'NaN', 'Infinity', '-Infinity', '-1', '-0', '0', '٣', '１', `1${'0'.repeat(400)}`, `0.${'0'.repeat(40)}1`, '9'.repeat(25), '0000000', '1,5'),
  fc.string({ maxLength: 12 }),
  fc.double().map(String),
  fc.integer().map(String),
);

type Mutation =
  | { kind: 'field'; row: number; col: number; value: string }
  | { kind: 'scale'; row: number; factor: number }
  | { kind: 'duplicate' | 'swap' | 'drop'; row: number }
  | { kind: 'extraColumn' | 'missingColumn'; row: number }
  | { kind: 'time'; row: number; time: number }
  | { kind: 'insert'; row: number; line: string }
  | { kind: 'header'; line: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), row: fc.nat(30), col: fc.nat(5), value: badFieldArb }),
  fc.record({ kind: fc.constant('scale' as const), row: fc.nat(30), factor: fc.constantFrom(1e-300, 1e-6, 0.001, 0.009, 0.5, 2, 50, 99, 101, 120, 1000, 1e6, 1e300) }),
  fc.record({ kind: fc.constantFrom('duplicate' as const, 'swap' as const, 'drop' as const), row: fc.nat(30) }),
  fc.record({ kind: fc.constantFrom('extraColumn' as const, 'missingColumn' as const), row: fc.nat(30) }),
  fc.record({
    kind: fc.constant('time' as const),
    row: fc.nat(30),
    time: fc.oneof(fc.constantFrom(0, -STEP, MIN_CANDLE_TIME - STEP, MIN_CANDLE_TIME, MAX_CANDLE_TIME, 8.64e15 + STEP, 1e21), fc.integer({ min: MIN_CANDLE_TIME, max: MAX_CANDLE_TIME })),
  }),
  fc.record({ kind: fc.constant('insert' as const), row: fc.nat(30), line: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '   ', '\r', ',,,,,', HEADER)) }),
  fc.record({ kind: fc.constant('header' as const), line: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom(HEADER.toUpperCase(), ` ${HEADER} `, 'timestamp,open,high,low,close')) }),
);

/** Applies mutations to the rows; returns the CSV text. */
function render(rows: string[][], mutations: readonly Mutation[], crlf: boolean): string {
  const lines: string[][] | string[] = rows.map((r) => [...r]);
  let header = HEADER;
  const out: Array<string[] | string> = lines;
  for (const mu of mutations) {
    if (mu.kind === 'header') {
      header = mu.line;
      continue;
    }
    if (out.length === 0 && mu.kind !== 'insert') continue;
    const i = mu.row % Math.max(out.length, 1);
    const r = out[i];
    const cells = Array.isArray(r) ? r : undefined;
    switch (mu.kind) {
      case 'field':
        if (cells) cells[mu.col] = mu.value;
        break;
      case 'scale':
        if (cells) for (let c = 1; c <= 4; c++) cells[c] = String(Number(cells[c]) * mu.factor);
        break;
      case 'duplicate':
        out.splice(i, 0, Array.isArray(r) ? [...r] : (r as string));
        break;
      case 'swap':
        if (i + 1 < out.length) [out[i], out[i + 1]] = [out[i + 1] as string[], r as string[]];
        break;
      case 'drop':
        out.splice(i, 1);
        break;
      case 'extraColumn':
        if (cells) cells.push('1');
        break;
      case 'missingColumn':
        if (cells) cells.pop();
        break;
      case 'time':
        if (cells) cells[0] = String(mu.time);
        break;
      case 'insert':
        out.splice(i, 0, mu.line);
        break;
    }
  }
  return [header, ...out.map((r) => (Array.isArray(r) ? r.join(',') : r))].join(crlf ? '\r\n' : '\n');
}

/** The bounds a candle list must meet to be traded on. */
function checkTradeable(candles: readonly Candle[], options: CandleSanityOptions): void {
  const maxJump = options.maxJump ?? DEFAULT_MAX_JUMP;
  let prev: Candle | undefined;
  for (const c of candles) {
    for (const p of [c.open, c.high, c.low, c.close]) {
      expect(Number.isFinite(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(DEFAULT_CANDLE_BOUNDS.minPrice);
      expect(p).toBeLessThanOrEqual(DEFAULT_CANDLE_BOUNDS.maxPrice);
    }
    expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
    expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
    expect(c.volume >= 0 && c.volume <= DEFAULT_CANDLE_BOUNDS.maxVolume).toBe(true);
    expect(Number.isSafeInteger(c.time) && c.time >= MIN_CANDLE_TIME && c.time < MAX_CANDLE_TIME && c.time % STEP === 0).toBe(true);
    if (!options.acceptJumps) {
      const lo = Math.min(c.low, prev?.close ?? c.low);
      const hi = Math.max(c.high, prev?.close ?? c.high);
      expect(hi / lo).toBeLessThanOrEqual(maxJump);
    }
    if (prev) expect(c.time).toBeGreaterThan(prev.time);
    prev = c;
  }
}

const optionsArb: fc.Arbitrary<CandleSanityOptions> = fc.oneof(
  fc.constant({}),
  fc.record({ maxJump: fc.constantFrom(1.5, 10, 100, 1000) }),
  fc.constant({ acceptJumps: true }),
);

describe('candle loader fuzz', () => {
  it('accepts safe candles or refuses with file and line, nothing else', () => {
    fc.assert(
      fc.property(seriesArb, fc.array(mutationArb, { maxLength: 4 }), optionsArb, fc.boolean(), (rows, mutations, options, crlf) => {
        const text = render(rows, mutations, crlf);
        const lineCount = text.split(/\r?\n/).length;
        let result: { candles: Candle[] } | undefined;
        try {
          result = parseCandleCsv(text, FILE, '5m', options);
        } catch (err) {
          if (!(err instanceof DataError)) throw err;
          const m = /^FZ_USDT-5m\.csv:(\d+): /.exec(err.message);
          expect(m, err.message).not.toBeNull();
          const line = Number(m?.[1]);
          expect(line >= 1 && line <= lineCount, err.message).toBe(true);
          expect(err.message.length, err.message).toBeLessThanOrEqual(MAX_MESSAGE);
          expect(err.message).not.toMatch(/[\u0000-\u001f\u007f]/);
          expect(err.details).toMatchObject({ file: FILE, line });
          return;
        }
        checkTradeable(result.candles, options);
        // Accepted text was spelled strictly: decimal digits (an exponent allowed), no hex, signs or blank fields.
        for (const line of text.split(/\r?\n/).slice(1)) {
          if (line.trim() !== '') expect(line).toMatch(/^\d+(,\d+(\.\d+)?([eE][-+]?\d{1,3})?){5}$/);
        }
        expect(result.candles.length).toBe(text.split(/\r?\n/).slice(1).filter((l) => l.trim() !== '').length);
        // An untouched series is never refused and is read exactly.
        if (mutations.length === 0) {
          expect(result.candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume].map(String))).toEqual(rows.map((r) => r.map((v) => String(Number(v)))));
        }
      }),
      { numRuns: 3_000, seed: 20_250_101 },
    );
  });

  it('refuses a huge first line quickly and briefly, whatever it holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 5 }), fc.integer({ min: 1_000, max: 200_000 }), (unit, times) => {
        const line = unit.repeat(times);
        fc.pre(line.trim().toLowerCase() !== HEADER);
        try {
          parseCandleCsv(`${line}\n1`, FILE, '5m');
        } catch (err) {
          expect(err).toBeInstanceOf(DataError);
          expect((err as Error).message.length).toBeLessThanOrEqual(MAX_MESSAGE);
          return;
        }
        throw new Error('accepted a bad header');
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
