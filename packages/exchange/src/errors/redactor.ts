/** Replaces every secret in a text with a fixed mark. */
export type Redactor = (text: string) => string;

const MARK = '[REDACTED]';

/**
 * Header and query names whose values are credentials or signatures on the venues we
 * support (Bybit `X-BAPI-*`, Binance `X-MBX-APIKEY`/`signature`, OKX `OK-ACCESS-*`, MEXC
 * `ApiKey`/`Signature`). Their values are removed even when they are not the raw secret.
 */
const SENSITIVE_FIELD = /((?:x-bapi-(?:api-key|sign)|x-mbx-apikey|ok-access-(?:key|sign|passphrase)|api[-_]?key|apisecret|secret|signature|sign|passphrase|password)["']?\s*[:=]\s*["']?)([^"'&,\s}]+)/gi;

/**
 * A redactor for the given secrets. Secrets shorter than 4 characters are ignored (they
 * would blank out ordinary text); such keys do not exist on real venues.
 */
export function createRedactor(secrets: ReadonlyArray<string | undefined>): Redactor {
  const list = secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const s of list) out = out.split(s).join(MARK);
    return out.replace(SENSITIVE_FIELD, (_m, name: string) => `${name}${MARK}`);
  };
}

/** Renders anything (objects, errors, headers) as text, then redacts it. */
export function redactValue(value: unknown, redact: Redactor): string {
  if (typeof value === 'string') return redact(value);
  if (value instanceof Error) return redact(`${value.name}: ${value.message}`);
  try {
    return redact(JSON.stringify(value) ?? String(value));
  } catch {
    return redact(String(value));
  }
}
