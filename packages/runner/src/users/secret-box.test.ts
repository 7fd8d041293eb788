import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret, scrubSecrets } from './secret';
import { SecretBox, secretBoxFromEnv } from './secret-box';

const k1 = randomBytes(32);
const k2 = randomBytes(32);

describe('SecretBox (AES-256-GCM)', () => {
  it('round-trips and never emits the plain text', () => {
    const box = new SecretBox({ current: k1 });
    const ct = box.encrypt('very-secret-value', 'user:a:secret');
    expect(ct.startsWith(`kx1:${box.currentKeyId}:`)).toBe(true);
    expect(ct).not.toContain('very-secret-value');
    expect(Buffer.from(ct.split(':')[4] ?? '', 'base64url').toString('utf8')).not.toContain('very-secret');
    expect(box.decrypt(ct, 'user:a:secret').reveal()).toBe('very-secret-value');
    expect(box.encrypt('x', 'c'), 'a fresh IV each time').not.toBe(box.encrypt('x', 'c'));
  });

  it('refuses a ciphertext moved to another user or field, or tampered with', () => {
    const box = new SecretBox({ current: k1 });
    const ct = box.encrypt('s3cr3t-value', 'user:a:secret');
    expect(() => box.decrypt(ct, 'user:b:secret')).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    const parts = ct.split(':');
    const data = Buffer.from(parts[4] ?? '', 'base64url');
    data[0] = (data[0] ?? 0) ^ 1;
    parts[4] = data.toString('base64url');
    expect(() => box.decrypt(parts.join(':'), 'user:a:secret')).toThrow(/authentication/);
    expect(() => box.decrypt('garbage', 'user:a:secret')).toThrow(/kx1/);
  });

  it('rotates: the old key still decrypts while it is listed as previous, and needsRotation flags old ciphertexts', () => {
    const old = new SecretBox({ current: k1 });
    const ct = old.encrypt('rotating-secret', 'ctx');
    const rotated = new SecretBox({ current: k2, previous: [k1] });
    expect(rotated.needsRotation(ct)).toBe(true);
    expect(rotated.decrypt(ct, 'ctx').reveal()).toBe('rotating-secret');
    const fresh = rotated.encrypt(rotated.decrypt(ct, 'ctx'), 'ctx');
    expect(rotated.needsRotation(fresh)).toBe(false);
    const withoutOld = new SecretBox({ current: k2 });
    expect(() => withoutOld.decrypt(ct, 'ctx'), 'old key dropped too early').toThrow(/KAIROS_SECRET_KEY_PREVIOUS/);
    expect(withoutOld.decrypt(fresh, 'ctx').reveal()).toBe('rotating-secret');
  });

  it('reads keys from the environment and names the variable when one is bad, without echoing it', () => {
    const box = secretBoxFromEnv({ KAIROS_SECRET_KEY: k2.toString('base64'), KAIROS_SECRET_KEY_PREVIOUS: k1.toString('base64') });
    expect(box.decrypt(new SecretBox({ current: k1 }).encrypt('v-from-old', 'c'), 'c').reveal()).toBe('v-from-old');
    expect(() => secretBoxFromEnv({})).toThrow(/KAIROS_SECRET_KEY: not set/);
    const bad = 'dG9vLXNob3J0LWtleS12YWx1ZQ==';
    let message = '';
    try {
      secretBoxFromEnv({ KAIROS_SECRET_KEY: bad });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^KAIROS_SECRET_KEY: expected 32 bytes/);
    expect(message).not.toContain(bad);
    expect(() => secretBoxFromEnv({ KAIROS_SECRET_KEY: k1.toString('base64'), KAIROS_SECRET_KEY_PREVIOUS: 'nope' })).toThrow(/KAIROS_SECRET_KEY_PREVIOUS/);
  });
});

describe('Secret', () => {
  it('prints as [redacted] in strings, JSON and inspect', () => {
    const s = new Secret('plain-canary-123');
    const text = [`${s}`, JSON.stringify({ s }), inspect({ s }), String(s)].join(' ');
    expect(text).not.toContain('plain-canary-123');
    expect(text).toContain('[redacted]');
    expect(s.reveal()).toBe('plain-canary-123');
  });

  it('scrubs known secrets out of foreign messages', () => {
    expect(scrubSecrets('GET /x?key=abcdef123&sig=zz abcdef123', ['abcdef123', new Secret('zz')])).toBe('GET /x?key=[redacted]&sig=zz [redacted]');
  });
});
