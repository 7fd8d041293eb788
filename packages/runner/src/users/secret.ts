const REDACTED = '[redacted]';

/**
 * A plain secret held in memory. It prints as `[redacted]` everywhere a value can leak
 * by accident (string templates, `JSON.stringify`, `console.log`/`util.inspect`, pino),
 * because the value sits in a private field; only `reveal()` gives it out.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value. Call it only where the value is handed to the exchange client. */
  reveal(): string {
    return this.#value;
  }

  /** True when the secret is empty. */
  get empty(): boolean {
    return this.#value.length === 0;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Secret(${REDACTED})`;
  }
}

/**
 * Replaces every occurrence of the given plain values in a text, for messages that come
 * from code we do not control (an exchange library echoing a request, say).
 */
export function scrubSecrets(text: string, secrets: readonly (string | Secret)[]): string {
  let out = text;
  for (const s of secrets) {
    const plain = typeof s === 'string' ? s : s.reveal();
    // Short values would redact ordinary words; real keys and secrets are long.
    if (plain.length >= 6) out = out.split(plain).join(REDACTED);
  }
  return out;
}
