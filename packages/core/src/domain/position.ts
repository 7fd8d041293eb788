/** A user's holding in one symbol (spot: long only). */
export interface Position {
  readonly symbol: string;
  /** Base units held. */
  readonly amount: number;
  /** Average entry price of what is held, in quote units (fees excluded). */
  readonly avgEntryPrice: number;
  /** Quote spent on buys of the current round trip, fees included. */
  readonly costBasis: number;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly openedAt: number;
  readonly lastPrice: number;
  readonly unrealizedPnl: number;
}

/** A closed round trip: from flat to flat in one symbol. */
export interface Trade {
  readonly id: string;
  readonly userId: string;
  readonly symbol: string;
  readonly side: 'long';
  readonly strategyId: string;
  readonly entryTime: number;
  readonly entryPrice: number;
  readonly exitTime: number;
  readonly exitPrice: number;
  /** Base amount bought over the round trip. */
  readonly amount: number;
  /** Net profit in quote units after all fees. */
  readonly pnl: number;
  /** Net profit relative to the quote spent. */
  readonly pnlPct: number;
  /** All fees of the round trip, valued in quote units. */
  readonly fees: number;
  readonly entryReason?: string;
  readonly exitReason?: string;
}
