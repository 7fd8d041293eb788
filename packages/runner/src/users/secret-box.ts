import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { ConfigError, KairosError } from '@kairos/core';
import { Secret } from './secret';

const VERSION = 'kx1';
const IV_BYTES = 12;
const KEY_BYTES = 32;
const CHECK_VERSION = 'kc1';
// HKDF `info` and HMAC message of the key check: fixed labels, so the check says nothing
// but "made with this key", and the derived key is never the one AES uses.
const CHECK_INFO = 'kairos/registry-key-check/v1';
const CHECK_LABEL = 'kairos registry key check v1';

/** Environment variables the secret box reads. */
export const SECRET_KEY_ENV = 'KAIROS_SECRET_KEY';
export const PREVIOUS_SECRET_KEY_ENV = 'KAIROS_SECRET_KEY_PREVIOUS';

/** Keys of a secret box: one to encrypt with, older ones still accepted to decrypt. */
export interface SecretKeyring {
  readonly current: Buffer;
  readonly previous?: readonly Buffer[];
}

/** Short public fingerprint of a key, stored beside the ciphertext to pick the key back. */
function keyId(key: Buffer): string {
  return createHash('sha256').update('kairos-secret-key-id\0').update(key).digest('hex').slice(0, 12);
}

/**
 * Key check value of a key: `kc1:<keyId>:<mac>`, mac = base64url HMAC-SHA256 of a fixed
 * label under a key derived from the secret key with HKDF-SHA256. It proves which key a
 * registry is under without storing the key or anything it could be read back from.
 */
function keyCheckOf(key: Buffer): string {
  const checkKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), CHECK_INFO, KEY_BYTES));
  return `${CHECK_VERSION}:${keyId(key)}:${createHmac('sha256', checkKey).update(CHECK_LABEL).digest('base64url')}`;
}

/** How a stored key check value relates to a box's keys. */
export type KeyCheckMatch = 'current' | 'previous' | 'none';

/**
 * Encrypts user secrets at rest with AES-256-GCM. A ciphertext reads
 * `kx1:<keyId>:<iv>:<tag>:<data>` (base64url), with a fresh 96-bit IV each time. A
 * context string (e.g. `user:alice:secret`) is bound in as associated data, so a
 * ciphertext copied to another user or field fails to decrypt instead of silently
 * working. Rotation: encrypt with the current key, decrypt with the current or any
 * previous key, and re-encrypt what `needsRotation` flags.
 */
export class SecretBox {
  private readonly current: { id: string; key: Buffer };
  private readonly keys = new Map<string, Buffer>();

  constructor(keyring: SecretKeyring) {
    for (const k of [keyring.current, ...(keyring.previous ?? [])]) {
      if (k.length !== KEY_BYTES) throw new ConfigError(SECRET_KEY_ENV, `a key must be ${KEY_BYTES} bytes, got ${k.length}`);
      const id = keyId(k);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(k));
    }
    this.current = { id: keyId(keyring.current), key: Buffer.from(keyring.current) };
  }

  /** Fingerprint of the key new ciphertexts use. */
  get currentKeyId(): string {
    return this.current.id;
  }

  /** Key check value of the current key, for a registry to store beside its records (see `keyCheckOf`). */
  keyCheck(): string {
    return keyCheckOf(this.current.key);
  }

  /**
   * Which of this box's keys a stored key check value was made with: the current one, a
   * previous one (a rotation is due) or none (a different key). Fails with `DATA_INVALID`
   * on a value in no known format, rather than calling it a mismatch.
   */
  matchKeyCheck(stored: string): KeyCheckMatch {
    if (!/^kc1:[0-9a-f]{12}:[A-Za-z0-9_-]{43}$/.test(stored)) throw new KairosError('DATA_INVALID', `the stored key check value is not a ${CHECK_VERSION} value`);
    const same = (key: Buffer) => timingSafeEqual(Buffer.from(keyCheckOf(key)), Buffer.from(stored));
    if (same(this.current.key)) return 'current';
    for (const [id, key] of this.keys) if (id !== this.current.id && same(key)) return 'previous';
    return 'none';
  }

  /** Fingerprint of the key a ciphertext or key check value names (public: it is in every ciphertext). */
  static keyIdOf(value: string): string | undefined {
    return value.split(':')[1];
  }

  encrypt(plain: string | Secret, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const value = typeof plain === 'string' ? plain : plain.reveal();
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.current.id, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join(':');
  }

  /** Decrypts; fails with `SECRET_UNREADABLE` (never echoing the input) on a wrong key, context or tampering. */
  decrypt(ciphertext: string, context: string): Secret {
    const parts = ciphertext.split(':');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new KairosError('SECRET_UNREADABLE', `not a ${VERSION} ciphertext (${context})`);
    const [, id, iv, tag, data] = parts as [string, string, string, string, string];
    const key = this.keys.get(id);
    if (!key) {
      throw new KairosError('SECRET_UNREADABLE', `encrypted with key ${id}, which is neither ${SECRET_KEY_ENV} nor in ${PREVIOUS_SECRET_KEY_ENV} (${context})`, {
        details: { keyId: id },
      });
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return new Secret(Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8'));
    } catch {
      throw new KairosError('SECRET_UNREADABLE', `ciphertext failed authentication (${context}): wrong key, wrong owner or tampered`);
    }
  }

  /** True when the ciphertext was made with a key other than the current one. */
  needsRotation(ciphertext: string): boolean {
    return ciphertext.split(':')[1] !== this.current.id;
  }
}

function parseKey(raw: string, name: string): Buffer {
  const trimmed = raw.trim();
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) ? Buffer.from(trimmed, 'base64') : Buffer.alloc(0);
  // The value itself never goes into the message.
  if (key.length !== KEY_BYTES) throw new ConfigError(name, `expected ${KEY_BYTES} bytes in base64 (e.g. from \`openssl rand -base64 32\`), got ${key.length} bytes`);
  return key;
}

/**
 * Builds a secret box from `KAIROS_SECRET_KEY` (base64 of 32 bytes) and the optional
 * `KAIROS_SECRET_KEY_PREVIOUS` (one or more old keys, comma-separated), accepted for
 * decryption during a rotation.
 */
export function secretBoxFromEnv(env: Readonly<Record<string, string | undefined>>): SecretBox {
  const raw = env[SECRET_KEY_ENV];
  if (raw === undefined || raw.trim() === '') {
    throw new ConfigError(SECRET_KEY_ENV, 'not set; user secrets are encrypted with it (generate one with `openssl rand -base64 32`)');
  }
  const previous = (env[PREVIOUS_SECRET_KEY_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => parseKey(s, PREVIOUS_SECRET_KEY_ENV));
  return new SecretBox({ current: parseKey(raw, SECRET_KEY_ENV), previous });
}
