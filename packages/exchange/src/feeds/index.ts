export * from './replay-feed';
export * from './fetch-closed-candles';
export * from './polling-feed';
export * from './stream-feed';
export * from './ccxt-market-streams';
