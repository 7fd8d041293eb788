import { KairosError, ORDER_STATUS_RANK, type OrderStatus } from '@kairos/core';
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be finite');
const count = z.number().int().nonnegative();

const OrderSchema = z.object({
  id: z.string().min(1),
  clientOrderId: z.string(),
  symbol: z.string().min(1),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit']),
  purpose: z.enum(['entry', 'exit']),
  status: z.enum(Object.keys(ORDER_STATUS_RANK) as [OrderStatus, ...OrderStatus[]]),
  amount: finite,
  price: finite.optional(),
  filled: finite,
  average: finite,
  fees: z.array(z.object({ currency: z.string(), cost: finite })).readonly(),
  createdAt: finite,
  updatedAt: finite,
  rejectReason: z.string().optional(),
});

const CandleSchema = z.object({ time: finite, open: finite, high: finite, low: finite, close: finite, volume: finite });

/** Everything a `SimulatedExchange` needs to go on exactly where it stopped, as JSON. */
export const SimulatedVenueStateSchema = z.object({
  version: z.literal(1),
  now: finite,
  seq: count,
  /** Balances by currency: free and reserved. */
  balances: z.record(z.string(), z.object({ free: finite, used: finite })),
  /** Orders still open, and the most recent finished ones (which a caller may still look up). */
  orders: z.array(
    z.object({
      order: OrderSchema,
      reserved: finite,
      steps: count,
      filledSteps: count,
      released: z.boolean().optional(),
    }),
  ),
  /** The last candle seen per symbol: it prices market orders and tickers. */
  lastCandles: z.record(z.string(), CandleSchema),
  /** Close time of the last candle matched per symbol: a resumed replay starts after it. */
  matchedUntil: z.record(z.string(), finite),
});

export type SimulatedVenueState = z.infer<typeof SimulatedVenueStateSchema>;

/** Finished orders kept in a snapshot besides the open ones. */
export const FINISHED_ORDERS_KEPT = 200;

/** Reads a saved venue state, refusing anything malformed with a typed error naming the field. */
export function parseSimulatedVenueState(json: string, where: string): SimulatedVenueState {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new KairosError('DATA_INVALID', `${where}: the saved simulated venue is not JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const parsed = SimulatedVenueStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KairosError('DATA_INVALID', `${where}: the saved simulated venue is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
