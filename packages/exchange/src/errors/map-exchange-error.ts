import { type ErrorCode, KairosError } from '@kairos/core';
import { errorClassNames } from './ccxt-error-class';
import type { Redactor } from './redactor';

/** Where a failure happened, for the error's details. */
export interface ErrorContext {
  readonly exchange: string;
  readonly operation: string;
  readonly redact: Redactor;
}

interface Rule {
  readonly ccxt: string;
  readonly code: ErrorCode;
  readonly retryable: boolean;
}

/**
 * ccxt class (or the adapter's own HttpRateLimited / HttpUnavailable) → Kairos code, most specific classes first (the first name of the error's
 * class chain that appears here wins). Retryable: the same request may succeed later.
 */
const RULES: readonly Rule[] = [
  { ccxt: 'HttpRateLimited', code: 'EXCHANGE_RATE_LIMITED', retryable: true },
  { ccxt: 'HttpUnavailable', code: 'EXCHANGE_UNAVAILABLE', retryable: true },
  { ccxt: 'OnMaintenance', code: 'EXCHANGE_UNAVAILABLE', retryable: true },
  { ccxt: 'RateLimitExceeded', code: 'EXCHANGE_RATE_LIMITED', retryable: true },
  { ccxt: 'DDoSProtection', code: 'EXCHANGE_RATE_LIMITED', retryable: true },
  { ccxt: 'RequestTimeout', code: 'EXCHANGE_TIMEOUT', retryable: true },
  { ccxt: 'ExchangeNotAvailable', code: 'EXCHANGE_UNAVAILABLE', retryable: true },
  { ccxt: 'InvalidNonce', code: 'EXCHANGE_ERROR', retryable: true },
  { ccxt: 'NetworkError', code: 'EXCHANGE_UNAVAILABLE', retryable: true },
  { ccxt: 'BadResponse', code: 'EXCHANGE_ERROR', retryable: true },
  { ccxt: 'MalformedResponse', code: 'EXCHANGE_ERROR', retryable: true },
  { ccxt: 'CancelPending', code: 'EXCHANGE_ERROR', retryable: true },
  { ccxt: 'OperationFailed', code: 'EXCHANGE_UNAVAILABLE', retryable: true },
  { ccxt: 'AuthenticationError', code: 'EXCHANGE_AUTH', retryable: false },
  { ccxt: 'InsufficientFunds', code: 'INSUFFICIENT_FUNDS', retryable: false },
  { ccxt: 'OrderNotFound', code: 'ORDER_NOT_FOUND', retryable: false },
  { ccxt: 'BadSymbol', code: 'SYMBOL_UNKNOWN', retryable: false },
  { ccxt: 'InvalidOrder', code: 'ORDER_INVALID', retryable: false },
  { ccxt: 'BadRequest', code: 'ORDER_INVALID', retryable: false },
  { ccxt: 'ArgumentsRequired', code: 'ORDER_INVALID', retryable: false },
  { ccxt: 'NotSupported', code: 'EXCHANGE_ERROR', retryable: false },
  { ccxt: 'OperationRejected', code: 'EXCHANGE_ERROR', retryable: false },
  { ccxt: 'ExchangeError', code: 'EXCHANGE_ERROR', retryable: false },
];

/**
 * ccxt classes that mean the venue looked at an order request and refused it: the order
 * certainly does not exist. Any other failure of `createOrder` leaves its outcome unknown.
 */
const DEFINITE_REJECTIONS = ['AuthenticationError', 'InsufficientFunds', 'InvalidOrder', 'BadRequest', 'ArgumentsRequired', 'NotSupported', 'RateLimitExceeded', 'DDoSProtection', 'HttpRateLimited', 'OperationRejected'];

/** Text of venue answers that say an order with this client id already exists. */
const DUPLICATE_CLIENT_ID = /duplicate.{0,20}(client.?order.?id|orderlinkid|clordid)|client.?order.?id.{0,20}(exists|duplicate)/i;

/** A Retry-After the adapter attached to a ccxt error (ms). */
export function retryAfterOf(err: unknown): number | undefined {
  const v = (err as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

/** Whether a failed order request was a definite refusal by the venue. */
export function isDefiniteRejection(err: unknown): boolean {
  if (err instanceof KairosError) return !['EXCHANGE_TIMEOUT', 'EXCHANGE_UNAVAILABLE', 'EXCHANGE_ERROR', 'INTERNAL'].includes(err.code) || err.details.definite === true;
  const names = errorClassNames(err);
  if (names.includes('OrderNotFound')) return false;
  return names.some((n) => DEFINITE_REJECTIONS.includes(n));
}

/** Whether the venue refused an order because its client order id is taken. */
export function isDuplicateClientId(err: unknown): boolean {
  const names = errorClassNames(err);
  if (names.includes('DuplicateOrderId')) return true;
  return err instanceof Error && DUPLICATE_CLIENT_ID.test(err.message);
}

/**
 * Turns anything a ccxt call threw into a `KairosError` with a stable code and retry
 * class. Messages are redacted; the original error is not attached as `cause`, because
 * ccxt messages can carry request details that a logger would print whole.
 */
export function mapExchangeError(err: unknown, ctx: ErrorContext): KairosError {
  if (err instanceof KairosError) return err;
  const names = errorClassNames(err);
  const rule = RULES.find((r) => names.includes(r.ccxt));
  const raw = err instanceof Error ? err.message : String(err);
  const message = ctx.redact(`${ctx.exchange} ${ctx.operation}: ${raw}`).slice(0, 2000);
  const retryAfterMs = retryAfterOf(err);
  const details = {
    exchange: ctx.exchange,
    operation: ctx.operation,
    errorClass: names[0] ?? typeof err,
    ...(names.includes('OnMaintenance') ? { maintenance: true } : {}),
  };
  if (!rule) return new KairosError('INTERNAL', message, { retryable: false, details });
  return new KairosError(rule.code, message, {
    retryable: rule.retryable,
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    details,
  });
}

/**
 * The error for a `createOrder` whose result we could not learn (timeout, connection
 * lost, 5xx, garbage answer): the order may or may not exist on the venue.
 */
export function outcomeUnknown(clientOrderId: string, cause: KairosError, ctx: Omit<ErrorContext, 'redact'>): KairosError {
  return new KairosError('EXCHANGE_OUTCOME_UNKNOWN', `${ctx.exchange} createOrder ${clientOrderId}: outcome unknown (${cause.code}: ${cause.message})`, {
    retryable: false,
    details: { exchange: ctx.exchange, operation: ctx.operation, clientOrderId, causeCode: cause.code },
  });
}
