import { ConfigError, type Logger } from '@kairos/core';
import { type Redactor, redactValue } from '../errors/redactor';
import type { CcxtLike } from './ccxt-like';
import type { ResolvedCcxtExchangeConfig } from './ccxt-exchange-config';
import type { VenueProfile } from './venue-profile';

/** A rate-limit answer that named its own wait (HTTP 429 with Retry-After). */
export class HttpRateLimited extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'HttpRateLimited';
  }
}

/** A 503 that named its own wait (Retry-After). */
export class HttpUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'HttpUnavailable';
  }
}

/** A 2xx answer whose body is not JSON (truncated, an HTML page): ccxt would parse garbage. */
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

/** Retry-After as ms: delta-seconds or an HTTP date. */
export function parseRetryAfter(headers: unknown, now: number): number | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const entry = Object.entries(headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === 'retry-after');
  const raw = entry?.[1];
  if (typeof raw !== 'string' && typeof raw !== 'number') return undefined;
  const secs = Number(raw);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const date = Date.parse(String(raw));
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * Applies Kairos' settings to a ccxt instance: our own limiter replaces ccxt's, the
 * timeout, sandbox and URL overrides, Retry-After capture, and a log hook that redacts
 * credentials from ccxt's verbose traces (ccxt prints request headers whole).
 */
export function configureClient(client: CcxtLike, config: ResolvedCcxtExchangeConfig, profile: VenueProfile, logger: Logger, redact: Redactor): CcxtLike {
  client.enableRateLimit = false;
  client.timeout = config.timeoutMs;
  client.options = { ...client.options, ...(profile.ccxtOptions ?? {}), ...config.ccxtOptions };
  if (config.sandbox) {
    if (!profile.capabilities.sandbox) throw new ConfigError('exchange.sandbox', `${config.exchangeId} has no sandbox known to Kairos`);
    client.setSandboxMode(true);
  }
  if (config.apiUrl !== undefined) {
    const api = client.urls.api;
    const keys = typeof api === 'object' && api !== null ? Object.keys(api) : [];
    client.urls = { ...client.urls, api: Object.fromEntries((keys.length > 0 ? keys : ['public', 'private']).map((k) => [k, config.apiUrl])) };
  }
  client.verbose = config.verbose;
  client.log = (...args: unknown[]): void => {
    logger.debug({ exchange: config.exchangeId, trace: args.map((a) => redactValue(a, redact)).join(' ') }, 'ccxt trace');
  };
  const handleErrors = client.handleErrors.bind(client);
  client.handleErrors = (...args: unknown[]): unknown => {
    const [code, reason, , , headers, body, response] = args;
    if (typeof code === 'number' && code >= 200 && code < 300 && response === undefined && typeof body === 'string' && body.trim() !== '') {
      throw new MalformedResponse(`${config.exchangeId} HTTP ${code}: body is not JSON (${body.length} bytes)`);
    }
    const retryAfterMs = parseRetryAfter(headers, Date.now());
    let result: unknown;
    try {
      result = handleErrors(...args);
    } catch (e) {
      if (retryAfterMs !== undefined && typeof e === 'object' && e !== null) (e as { retryAfterMs?: number }).retryAfterMs = retryAfterMs;
      throw e;
    }
    if (retryAfterMs !== undefined && code === 429) throw new HttpRateLimited(`${config.exchangeId} HTTP 429 ${String(reason)}`, retryAfterMs);
    if (retryAfterMs !== undefined && code === 503) throw new HttpUnavailable(`${config.exchangeId} HTTP 503 ${String(reason)}`, retryAfterMs);
    return result;
  };
  return client;
}

/** Builds the ccxt instance for `config.exchangeId`, loading ccxt on first use only. */
export async function createCcxtClient(config: ResolvedCcxtExchangeConfig): Promise<CcxtLike> {
  const mod = (await import('ccxt')) as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
  const registry = (mod.default ?? mod) as Record<string, unknown>;
  const Ctor = registry[config.exchangeId];
  if (typeof Ctor !== 'function') throw new ConfigError('exchange.exchangeId', `ccxt has no exchange '${config.exchangeId}'`);
  const creds = config.credentials;
  return new (Ctor as new (settings: Record<string, unknown>) => CcxtLike)({
    ...(creds ? { apiKey: creds.apiKey, secret: creds.secret, ...(creds.password ? { password: creds.password } : {}) } : {}),
    enableRateLimit: false,
  });
}
