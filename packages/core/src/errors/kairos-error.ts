/** Every error code Kairos raises. Codes are stable; messages are for people. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'DATA_INVALID'
  | 'DATA_NOT_FOUND'
  | 'SYMBOL_UNKNOWN'
  | 'ORDER_INVALID'
  | 'ORDER_BELOW_MINIMUM'
  | 'ORDER_PRECISION'
  | 'ORDER_NOT_FOUND'
  | 'INSUFFICIENT_FUNDS'
  | 'EXCHANGE_UNAVAILABLE'
  | 'EXCHANGE_RATE_LIMITED'
  | 'EXCHANGE_TIMEOUT'
  | 'EXCHANGE_AUTH'
  | 'EXCHANGE_OUTCOME_UNKNOWN'
  | 'EXCHANGE_ERROR'
  | 'STORE_ERROR'
  /** The store came back empty or from an older state: trading halts, nothing more is written. */
  | 'STORE_STATE_LOST'
  | 'STRATEGY_ERROR'
  | 'USER_NOT_FOUND'
  | 'USER_EXISTS'
  | 'SECRET_UNREADABLE'
  | 'INTERNAL';

export interface KairosErrorOptions {
  readonly retryable?: boolean;
  /** Suggested wait before a retry, when the source said so (e.g. Retry-After). */
  readonly retryAfterMs?: number;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * Base of all Kairos errors: a stable `code`, and whether trying again may help.
 */
export class KairosError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: KairosErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details ?? {};
  }
}

/** A configuration or CLI value is wrong; `key` names it. */
export class ConfigError extends KairosError {
  readonly key: string;
  constructor(key: string, message: string, details: Record<string, unknown> = {}) {
    super('CONFIG_INVALID', `${key}: ${message}`, { details: { key, ...details } });
    this.key = key;
  }
}

/** Market data is malformed; the message names the source and line where known. */
export class DataError extends KairosError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('DATA_INVALID', message, { details });
  }
}

/** An order was refused before or by the venue. Never retryable as-is. */
export class OrderRejectedError extends KairosError {
  constructor(
    code: Extract<ErrorCode, 'ORDER_INVALID' | 'ORDER_BELOW_MINIMUM' | 'ORDER_PRECISION' | 'INSUFFICIENT_FUNDS' | 'SYMBOL_UNKNOWN'>,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { retryable: false, details });
  }
}

/** True for errors that a caller may retry (network trouble, rate limits, maintenance). */
export function isRetryable(err: unknown): boolean {
  return err instanceof KairosError && err.retryable;
}
