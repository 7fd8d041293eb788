import { type Fill, KairosError, MemoryTradeStore, type OrderQuery, STORE_EPOCH_KEY, type StoreTime, type StoredOrder, type Trade, type TradeQuery, type TradeStore } from '../src';

/** The calls that reached a store, in order, as `op:key`. */
export type CallLog = string[];

/**
 * A memory store that can be taken down (every call fails with a retryable error, as a
 * lost Redis connection does), made to hang (a paused server), or swapped for another
 * state (`backing`: a restart without persistence, or a restore from an older backup).
 * `log` lists the writes it took, in order.
 */
export class OutageStore implements TradeStore {
  down = false;
  hang = false;
  backing = new MemoryTradeStore();
  readonly log: CallLog = [];

  private gate(op: string): Promise<void> {
    if (this.hang) return new Promise(() => {});
    if (this.down) return Promise.reject(new KairosError('STORE_ERROR', `${op}: connection lost`, { retryable: true }));
    return Promise.resolve();
  }

  async saveOrder(o: StoredOrder): Promise<void> {
    await this.gate('saveOrder');
    this.log.push(`saveOrder:${o.clientOrderId}:${o.status}`);
    return this.backing.saveOrder(o);
  }
  async getOrder(cid: string): Promise<StoredOrder | undefined> {
    await this.gate('getOrder');
    return this.backing.getOrder(cid);
  }
  async listOrders(q?: OrderQuery): Promise<StoredOrder[]> {
    await this.gate('listOrders');
    return this.backing.listOrders(q);
  }
  async saveFill(u: string, f: Fill): Promise<boolean> {
    await this.gate('saveFill');
    this.log.push(`saveFill:${f.id}`);
    return this.backing.saveFill(u, f);
  }
  async listFills(u: string, cid?: string): Promise<Fill[]> {
    await this.gate('listFills');
    return this.backing.listFills(u, cid);
  }
  async saveTrade(t: Trade): Promise<void> {
    await this.gate('saveTrade');
    this.log.push(`saveTrade:${t.id}`);
    return this.backing.saveTrade(t);
  }
  async listTrades(q?: TradeQuery): Promise<Trade[]> {
    await this.gate('listTrades');
    return this.backing.listTrades(q);
  }
  async getValue(k: string): Promise<string | undefined> {
    await this.gate('getValue');
    return this.backing.getValue(k);
  }
  async setValue(k: string, v: string, ttl?: number): Promise<void> {
    await this.gate('setValue');
    if (k !== STORE_EPOCH_KEY) this.log.push(`setValue:${k}=${v}`);
    return this.backing.setValue(k, v, ttl);
  }
  async deleteValue(k: string): Promise<void> {
    await this.gate('deleteValue');
    this.log.push(`deleteValue:${k}`);
    return this.backing.deleteValue(k);
  }
}

/**
 * Virtual time: `sleep` moves the clock forward at once and yields one real turn of the
 * event loop, so a ten-minute outage runs in milliseconds. Timers (call timeouts) run on
 * the wall clock.
 */
export function virtualTime(start = 1_700_000_000_000): StoreTime & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      now += ms;
      await new Promise<void>((r) => setImmediate(r));
    },
    setTimer: (fn, ms) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  };
}

/** Polls `cond` on the wall clock until it holds, or fails after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
