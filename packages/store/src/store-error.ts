import { KairosError } from '@kairos/core';

/**
 * A store could not do what was asked. `retryable` is true for trouble that may pass
 * (a lost connection), false for what will not (a corrupt file, a held lock).
 */
export class StoreError extends KairosError {
  constructor(message: string, options: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {}) {
    super('STORE_ERROR', message, options);
  }
}
