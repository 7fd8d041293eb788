export * from './commission-schedule';
export * from './billing-ledger';
export * from './trade-analysis';
export * from './ledger-repository';
export * from './settle-user';
