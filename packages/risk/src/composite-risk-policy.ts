import type { OrderProposal, RiskContext, RiskDecision, RiskNote, RiskPolicy } from '@kairos/core';

/**
 * Chains policies in order: each sees the proposal as the previous one left it; the
 * first rejection wins. Notes from every policy are kept so each decision is explained.
 */
export class CompositeRiskPolicy implements RiskPolicy {
  readonly id: string;

  constructor(
    private readonly policies: readonly RiskPolicy[],
    id = 'composite',
  ) {
    this.id = id;
  }

  evaluate(proposal: OrderProposal, context: RiskContext): RiskDecision {
    let current = proposal;
    const notes: RiskNote[] = [];
    for (const policy of this.policies) {
      const d = policy.evaluate(current, context);
      notes.push(...d.notes);
      if (d.verdict === 'reject') return { ...d, notes };
      current = d.proposal;
    }
    return { verdict: 'approve', proposal: current, notes };
  }
}

/** Approves everything unchanged: the "no risk rules" choice, for comparisons. */
export class NullRiskPolicy implements RiskPolicy {
  readonly id = 'null';
  evaluate(proposal: OrderProposal): RiskDecision {
    return { verdict: 'approve', proposal, notes: [] };
  }
}
