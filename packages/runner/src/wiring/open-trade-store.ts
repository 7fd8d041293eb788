import { ConfigError, type Logger, MemoryTradeStore, RetryingTradeStore, type TradeStore, type TradingGate } from '@kairos/core';
import { FileTradeStore, RedisTradeStore } from '@kairos/store';

export interface OpenedTradeStore {
  readonly store: TradeStore;
  /** What was opened, for the start banner (passwords hidden). */
  readonly description: string;
}

/**
 * Opens the trade store named by `spec`: `memory`, `file:<dir>` (append-only, crash-safe)
 * or `redis://…`. Without a spec, `REDIS_URL` from the environment selects Redis, else
 * memory. Durable stores are wrapped so that a lost connection is retried and blocks new
 * entries on `gate` until it is back.
 */
export async function openTradeStore(spec: string | undefined, env: Readonly<Record<string, string | undefined>>, deps: { gate: TradingGate; logger?: Logger; deployment?: string }): Promise<OpenedTradeStore> {
  const chosen = spec ?? env.REDIS_URL ?? 'memory';
  if (chosen === 'memory') return { store: new MemoryTradeStore(), description: 'memory (not kept after exit)' };
  let inner: TradeStore;
  let description: string;
  if (chosen.startsWith('file:')) {
    const dir = chosen.slice('file:'.length);
    if (dir === '') throw new ConfigError('--store', "file: needs a folder, e.g. file:.kairos/trades");
    inner = await FileTradeStore.open({ dir, ...(deps.logger ? { logger: deps.logger } : {}) });
    description = `file ${dir}`;
  } else if (/^rediss?:\/\//.test(chosen)) {
    inner = await RedisTradeStore.connect({ url: chosen, deployment: deps.deployment ?? 'default', ...(deps.logger ? { logger: deps.logger } : {}) });
    description = `redis ${chosen.replace(/\/\/[^@/]*@/, '//***@')}`;
  } else {
    throw new ConfigError('--store', `'${chosen}' is not a store; allowed: memory, file:<dir>, redis://host:port`);
  }
  const store = new RetryingTradeStore(inner, {
    onHealthChange: (ok, error) => {
      // Each retry is logged too; these two lines mark where the outage starts and ends.
      if (ok) {
        deps.logger?.warn({ store: description }, 'trade store available again; its block on new entries is lifted');
        deps.gate.unblock('store');
      } else {
        deps.logger?.error({ store: description, error }, 'trade store unavailable; new entries blocked until it is back');
        deps.gate.block('store', 'trade store unavailable');
      }
    },
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  return { store, description };
}
