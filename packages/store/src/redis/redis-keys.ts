/**
 * The Redis key layout, in one place. Every key starts with `<namespace>:<deployment>:`
 * so deployments share a server safely; per-user keys add `u:<user>:`. User ids and
 * symbols are URI-encoded so a ':' inside them cannot make two keys collide.
 */
export class RedisKeys {
  readonly prefix: string;

  constructor(namespace: string, deployment: string) {
    this.prefix = `${enc(namespace)}:${enc(deployment)}:`;
  }

  /** SET of user ids that have anything stored. */
  users(): string {
    return `${this.prefix}users`;
  }
  /** HASH client order id → key of its order hash (who owns it, and where it is). */
  orderOwners(): string {
    return `${this.prefix}order-owner`;
  }
  private user(u: string): string {
    return `${this.prefix}u:${enc(u)}:`;
  }
  /** HASH of one order's fields. */
  order(u: string, cid: string): string {
    return `${this.user(u)}o:${cid}`;
  }
  /** ZSET createdAt → client order id: all the user's orders. */
  orders(u: string): string {
    return `${this.user(u)}orders`;
  }
  /** SET of the user's client order ids not yet in a terminal state. */
  openOrders(u: string): string {
    return `${this.user(u)}open`;
  }
  /** ZSET createdAt → client order id, per symbol. */
  symbolOrders(u: string, symbol: string): string {
    return `${this.user(u)}sym:${enc(symbol)}`;
  }
  /** HASH fill id → fill JSON. */
  fills(u: string): string {
    return `${this.user(u)}fills`;
  }
  /** HASH fill id → token of the write that stored it. */
  fillTokens(u: string): string {
    return `${this.user(u)}fill-token`;
  }
  /** SET of fill ids of one order. */
  orderFills(u: string, cid: string): string {
    return `${this.user(u)}of:${cid}`;
  }
  /** HASH trade id → trade JSON. */
  trades(u: string): string {
    return `${this.user(u)}trades`;
  }
  /** ZSET exitTime → trade id. */
  tradesByExit(u: string): string {
    return `${this.user(u)}trades-by-exit`;
  }
  /** STRING of the key/value cache, with PX expiry when a TTL was given. */
  value(key: string): string {
    return `${this.prefix}kv:${key}`;
  }
}

function enc(s: string): string {
  return encodeURIComponent(s);
}
