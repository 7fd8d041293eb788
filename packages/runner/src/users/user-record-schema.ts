import { KairosError, type UserRecord } from '@kairos/core';
import { z } from 'zod';

/** Shape check of a stored user record; a store that reads garbage fails loudly. */
export const UserRecordSchema = z.object({
  id: z.string().min(1),
  exchange: z.string().min(1),
  preferredExchange: z.string().min(1),
  credentials: z.object({ apiKey: z.string().min(1), secret: z.string().min(1), apiKeyHint: z.string() }),
  deposit: z.number().min(0),
  assets: z.record(z.string(), z.number()),
  dailyTrades: z.object({ day: z.string(), count: z.number().int().min(0) }),
  status: z.enum(['active', 'suspended']),
  createdAt: z.number(),
  updatedAt: z.number(),
});

/** Parses one stored record (JSON text or value); `where` names the source in the error. */
export function parseUserRecord(raw: unknown, where: string): UserRecord {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new KairosError('DATA_INVALID', `user record in ${where} is not JSON`);
    }
  }
  const parsed = UserRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KairosError('DATA_INVALID', `user record in ${where} is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  return parsed.data;
}
