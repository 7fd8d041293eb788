import { describe, expect, it } from 'vitest';
import { canTransition, isTerminalStatus } from './order';

describe('order status transitions', () => {
  it('moves forward and never backwards', () => {
    expect(canTransition('pending_submit', 'submitted')).toBe(true);
    expect(canTransition('open', 'partially_filled')).toBe(true);
    expect(canTransition('partially_filled', 'filled')).toBe(true);
    expect(canTransition('partially_filled', 'open'), 'a stale ack must not undo a fill').toBe(false);
    expect(canTransition('submitted', 'pending_submit')).toBe(false);
  });
  it('freezes terminal states', () => {
    for (const s of ['filled', 'canceled', 'rejected', 'expired'] as const) {
      expect(isTerminalStatus(s)).toBe(true);
      expect(canTransition(s, 'open')).toBe(false);
      expect(canTransition(s, s), 'repeating the same state is idempotent').toBe(true);
    }
    expect(canTransition('filled', 'canceled'), 'one terminal state cannot become another').toBe(false);
  });
});
