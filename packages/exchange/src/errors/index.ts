export * from './redactor';
export * from './ccxt-error-class';
export * from './map-exchange-error';
