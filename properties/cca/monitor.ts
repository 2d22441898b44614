// CCA's properties of one run (the engine's Monitor): the simulation relation Rel1-3 and the §8
// invariants, incrementally; on every step the Ordered failure precedences, the §8 temporal rules and
// the weak-memory permutation condition.

import type { Monitor, Violation } from '../../model/system';
import type { Action, Observation } from '../../real/cca/actions';
import type { RealState } from '../../real/cca/state';
import type { IdealState } from '../../ideal/cca/machine';
import { RelationChecker } from './relation';
import { InvariantChecker } from './invariants';
import { checkPrecedence } from './precedence';
import { checkTransitions } from './transitions';
import { checkStatus } from './oracles/status';
import { checkPostcondition } from './oracles/postconditions';
import { IpaOracle } from './oracles/ipa';
import { checkPsci } from './oracles/psci';

export class CcaMonitor implements Monitor<RealState, IdealState, Action, Observation> {
  private readonly rel = new RelationChecker();
  private readonly inv = new InvariantChecker();
  private readonly ipa = new IpaOracle();

  constructor(private readonly withInvariants: boolean, private readonly withOracles = true) {}

  start(real: RealState, ideal: IdealState): Violation[] {
    this.rel.start(real, ideal);
    return this.invariants(real);
  }

  step(pre: RealState, a: Action, o: Observation, post: RealState): Violation[] {
    const out: Violation[] = [];
    const p = checkPrecedence(pre, a, o);
    if (p) out.push(p);
    if (pre !== post) out.push(...checkTransitions(pre, post, a));
    // Independent oracles (oracles/): the failure table as data, the declarative postconditions (RMI
    // commands and the realm's PSCI calls).
    if (!this.withOracles) return out;
    const st = checkStatus(pre, a, o);
    if (st) out.push(st);
    out.push(...checkPostcondition(pre, a, o, post));
    const ps = checkPsci(pre, a, o, post);
    if (ps) out.push(ps);
    if (pre !== post) out.push(...this.ipa.check(pre, a, o, post));
    if (o.kind === 'micro' && o.permutation) out.push({ property: 'Permutation', component: `cpu ${o.cpu} REALM_DESTROY`, detail: o.permutation });
    return out;
  }

  relation(real: RealState, ideal: IdealState): Violation[] {
    return this.rel.check(real, ideal);
  }

  invariants(real: RealState): Violation[] {
    if (!this.withInvariants) return [];
    return this.inv.check(real).map((v) => ({ property: 'Invariant', component: `${v.invariant} ${v.component}`, detail: v.message }));
  }
}
