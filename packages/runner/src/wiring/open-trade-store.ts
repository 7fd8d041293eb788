import { join } from 'node:path';
import { ConfigError, JournalingTradeStore, type Logger, MemoryTradeStore, RetryingTradeStore, type StoreAway, type TradeStore, type TradingGate } from '@kairos/core';
import { FileTradeStore, RedisTradeStore } from '@kairos/store';

export interface OpenedTradeStore {
  readonly store: TradeStore;
  /** What was opened, for the start banner (passwords hidden). */
  readonly description: string;
  /** Set for Redis: the journaling wrapper, for how long the store was away and a lost state. */
  readonly journaling?: JournalingTradeStore;
}

/** Where a session's write journal lives by default: `.kairos/journal/<session>`, beside the working directory. */
export function defaultJournalDir(session: string): string {
  return join('.kairos', 'journal', session);
}

/** `store away 61.2 s (1 outage)`, for the summary lines. */
export function storeAwayText(away: StoreAway): string {
  const now = away.away ? ', away now' : '';
  return `store away ${(away.totalMs / 1000).toFixed(1)} s (${away.outages} outage${away.outages === 1 ? '' : 's'}${now})`;
}

/**
 * Opens the trade store named by `spec`: `memory`, `file:<dir>` (append-only, crash-safe)
 * or `redis://…`. Without a spec, `REDIS_URL` from the environment selects Redis, else
 * memory. Durable stores are wrapped so that a lost connection blocks new entries on
 * `gate` until it is back. Redis is wrapped in a `JournalingTradeStore`: through an
 * outage of any length exits go on and their writes are journaled in `journalDir`
 * (default `defaultJournalDir(session)`), and a Redis that comes back empty or from an
 * older state is refused (`STORE_STATE_LOST`). The file store is wrapped in a
 * `RetryingTradeStore` (its failures are local disk trouble, which a journal on the same
 * disk would share).
 */
export async function openTradeStore(
  spec: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  deps: { gate: TradingGate; logger?: Logger; deployment?: string; session?: string; journalDir?: string },
): Promise<OpenedTradeStore> {
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
    return openRedis(chosen, deps);
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

async function openRedis(url: string, deps: { gate: TradingGate; logger?: Logger; deployment?: string; session?: string; journalDir?: string }): Promise<OpenedTradeStore> {
  // No client-side queue: while Redis is away the journal holds the writes, and none may
  // reach a server restarted empty before the epoch check has looked at it.
  const redis = await RedisTradeStore.connect({ url, deployment: deps.deployment ?? 'default', queueWhileDisconnected: false, ...(deps.logger ? { logger: deps.logger } : {}) });
  const name = `redis ${url.replace(/\/\/[^@/]*@/, '//***@')}`;
  const dir = deps.journalDir ?? defaultJournalDir(deps.session ?? 'default');
  let store: JournalingTradeStore;
  try {
    store = await JournalingTradeStore.open(redis, {
      dir,
      name,
      // The outage's first and last lines come from the store; the gate follows them.
      onHealthChange: (ok) => (ok ? deps.gate.unblock('store') : deps.gate.block('store', 'trade store unavailable')),
      // A paused server never answers QUIT: drop the connection so the process can exit.
      onAbandon: () => redis.client.disconnect(),
      ...(deps.logger ? { logger: deps.logger } : {}),
    });
  } catch (err) {
    redis.client.disconnect();
    throw err;
  }
  // ioredis reconnects on its own: the epoch marker is checked before anything more is written.
  redis.client.on('ready', () => store.reconnected());
  return { store, description: `${name} (journal ${dir})`, journaling: store };
}
